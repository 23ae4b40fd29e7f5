from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CaseworkConfig(AppConfig):
    name = "tuopin.casework"
    verbose_name = _("村情上报与审批")

    def ready(self) -> None:
        from tuopin.core import attention, indicators
        from tuopin.registry import panels

        from . import indicators as mine
        from . import support

        panels.register("casework.support", support.household_panel)
        indicators.register(*mine.INDICATORS)
        attention.register(self.name, mine.waiting)
