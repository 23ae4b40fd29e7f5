"""What every app's back office shares: view-only admin for rows that change only through
services (with their ledger entries and actor checks)."""

from __future__ import annotations

from typing import Any


class ViewOnly:
    """Mixed into a ModelAdmin or an inline: no add, change or delete, whatever the user's
    model permissions; the rows are still listed and shown."""

    def has_add_permission(self, request: Any, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: Any, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: Any, obj: Any = None) -> bool:
        return False
