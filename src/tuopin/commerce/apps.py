from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CommerceConfig(AppConfig):
    name = "tuopin.commerce"
    verbose_name = _("兴农扶贫电商")

    def ready(self) -> None:
        from tuopin.core import indicators
        from tuopin.registry import panels

        from . import indicators as mine
        from . import panels as commerce_panels

        panels.register("commerce.cooperatives", commerce_panels.household_panel)

        indicators.register(*mine.INDICATORS)
