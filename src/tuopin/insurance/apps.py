from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class InsuranceConfig(AppConfig):
    name = "tuopin.insurance"
    verbose_name = _("公益保险")
