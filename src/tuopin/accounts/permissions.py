"""The one check that an actor holds a permission, for services and access functions.

Services that write take the actor (``by``) and call :func:`require` before they change
anything; access functions (``get_household_for`` and the like) call it before they scope.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.utils.translation import gettext as _

from tuopin.core.errors import PermissionDenied

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

    from .models import User


def has(user: User | AnonymousUser | None, perm: str) -> bool:
    """Whether ``user`` is an active, logged-in user holding ``perm`` (``app.codename``)."""
    return bool(
        user is not None and user.is_authenticated and user.is_active and user.has_perm(perm)
    )


def require(user: User | AnonymousUser | None, perm: str, message: str | None = None) -> None:
    """Raise :class:`PermissionDenied` (403) unless ``user`` holds ``perm``."""
    if not has(user, perm):
        raise PermissionDenied(message or _("没有权限执行此操作"), detail={"permission": perm})
