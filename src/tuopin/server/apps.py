from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ServerConfig(AppConfig):
    name = "tuopin.server"
    verbose_name = _("运行")
