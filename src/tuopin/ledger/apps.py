from typing import Any

from django.apps import AppConfig
from django.db.backends.signals import connection_created
from django.utils.translation import gettext_lazy as _


def fire_delete_triggers_on_replace(sender: Any, connection: Any, **kwargs: Any) -> None:
    """SQLite runs no DELETE trigger for the row an ``INSERT OR REPLACE`` removes unless
    recursive triggers are on; the ledger's append-only triggers rely on it (migration
    ``ledger/0004`` also refuses the replace itself, for connections made outside Django)."""
    if connection.vendor == "sqlite":
        with connection.cursor() as cursor:
            cursor.execute("PRAGMA recursive_triggers = ON")


class LedgerConfig(AppConfig):
    name = "tuopin.ledger"
    verbose_name = _("公开账本")

    def ready(self) -> None:
        # Infrastructure, not domain flow: every connection, from any settings, gets the pragma.
        connection_created.connect(fire_delete_triggers_on_replace, dispatch_uid="ledger_pragma")
        # The registry (below the ledger) records its decisions through this (issue 18).
        from tuopin.registry import decisions

        from . import services

        decisions.register(services.append_entry)
