from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class InsuranceConfig(AppConfig):
    name = "tuopin.insurance"
    verbose_name = _("公益保险")

    def ready(self) -> None:
        from tuopin.core import attention, chronicle, indicators

        from . import indicators as mine

        indicators.register(*mine.INDICATORS)
        chronicle.register(self.name, mine.happenings)
        attention.register(self.name, mine.waiting)
        # "Why not eligible" on a person's page: the registry asks, insurance answers.
        from tuopin.registry import eligibility

        from . import why

        eligibility.register("insurance", why.person_verdicts)
