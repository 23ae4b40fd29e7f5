from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class FarmingConfig(AppConfig):
    name = "tuopin.farming"
    verbose_name = _("订单农业")

    def ready(self) -> None:
        from tuopin.core import indicators
        from tuopin.registry import panels

        from . import household
        from . import indicators as mine

        panels.register("farming.deliveries", household.household_panel)
        indicators.register(*mine.INDICATORS)
