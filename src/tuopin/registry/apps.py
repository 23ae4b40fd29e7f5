from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RegistryConfig(AppConfig):
    name = "tuopin.registry"
    verbose_name = _("建档立卡")

    def ready(self) -> None:
        from tuopin.core import indicators

        from . import indicators as mine

        indicators.register(*mine.INDICATORS)
