from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SelectionConfig(AppConfig):
    name = "tuopin.selection"
    verbose_name = _("评选与培训")
