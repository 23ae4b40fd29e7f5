from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DocumentsConfig(AppConfig):
    name = "tuopin.documents"
    verbose_name = _("单据与照片")
