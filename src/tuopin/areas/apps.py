from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AreasConfig(AppConfig):
    name = "tuopin.areas"
    verbose_name = _("行政区划")
