from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ForestConfig(AppConfig):
    name = "tuopin.forest"
    verbose_name = _("绿色能量与认种认养")

    def ready(self) -> None:
        from tuopin.core import chronicle, indicators
        from tuopin.registry import panels

        from . import indicators as mine
        from . import work

        panels.register("forest.wages", work.household_panel)

        indicators.register(*mine.INDICATORS)
        chronicle.register(self.name, mine.happenings)
