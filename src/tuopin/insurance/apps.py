from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class InsuranceConfig(AppConfig):
    name = "tuopin.insurance"
    verbose_name = _("公益保险")

    def ready(self) -> None:
        # "Why not eligible" on a person's page: the registry asks, insurance answers.
        from tuopin.registry import eligibility

        from . import why

        eligibility.register("insurance", why.person_verdicts)
