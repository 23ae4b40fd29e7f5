"""The one place that decides which areas a user may see. Every selector filters through here.

Scopes are code prefixes (a materialized path): a user scoped to county 422823 sees every area
whose code starts with ``422823``. Nationwide roles and superusers see everything.
"""

from __future__ import annotations

from functools import reduce
from operator import or_
from typing import TYPE_CHECKING, TypeVar

from django.db.models import Model, Q, QuerySet

from tuopin.areas import codes

from . import permissions, roles

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

    from .models import User

M = TypeVar("M", bound=Model)
_CACHE_ATTR = "_tuopin_scope_prefixes"


def area_prefixes(user: User | AnonymousUser) -> list[str] | None:
    """The code prefixes ``user`` may see; ``None`` means every area; ``[]`` means none."""
    if not user.is_authenticated or not user.is_active:
        return []
    cached: list[str] | None | bool = getattr(user, _CACHE_ATTR, False)
    if cached is not False:
        return cached  # type: ignore[return-value]
    prefixes: list[str] | None
    if user.is_superuser or user.groups.filter(name__in=roles.NATIONWIDE_ROLES).exists():
        prefixes = None
    else:
        found = sorted(
            codes.prefix_of(c) for c in user.area_scopes.values_list("area_id", flat=True)
        )
        # Drop prefixes already covered by a shorter one.
        prefixes = []
        for p in found:
            if not any(p.startswith(q) for q in prefixes):
                prefixes.append(p)
    setattr(user, _CACHE_ATTR, prefixes)
    return prefixes


def scope_q(user: User | AnonymousUser, field: str) -> Q:
    """A ``Q`` that keeps rows whose area code ``field`` lies in the user's scope."""
    prefixes = area_prefixes(user)
    if prefixes is None:
        return Q()
    if not prefixes:
        return Q(pk__in=[])
    return reduce(or_, (Q(**{f"{field}__startswith": p}) for p in prefixes))


def scope(queryset: QuerySet[M], user: User | AnonymousUser, field: str) -> QuerySet[M]:
    """Filter ``queryset`` to the user's areas through the area-code field ``field``."""
    return queryset.filter(scope_q(user, field))


def covers(user: User | AnonymousUser, code: str) -> bool:
    """Whether the area ``code`` lies in the user's scope."""
    prefixes = area_prefixes(user)
    if prefixes is None:
        return True
    return any(code.startswith(p) for p in prefixes)


def may_unmask(user: User | AnonymousUser) -> bool:
    """Whether ``user`` sees whole ID numbers, birth dates and phones (``docs/privacy.md``)."""
    return permissions.has(user, roles.UNMASK_PERMISSION)
