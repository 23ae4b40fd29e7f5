from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SelectionConfig(AppConfig):
    name = "tuopin.selection"
    verbose_name = _("评选与培训")

    def ready(self) -> None:
        from tuopin.core import indicators
        from tuopin.registry import panels

        from . import indicators as mine
        from . import selectors

        panels.register("selection.awards", selectors.household_panel)

        indicators.register(*mine.INDICATORS)
