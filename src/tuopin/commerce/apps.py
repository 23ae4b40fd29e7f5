from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CommerceConfig(AppConfig):
    name = "tuopin.commerce"
    verbose_name = _("兴农扶贫电商")
