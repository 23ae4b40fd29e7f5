from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class LedgerConfig(AppConfig):
    name = "tuopin.ledger"
    verbose_name = _("公开账本")
