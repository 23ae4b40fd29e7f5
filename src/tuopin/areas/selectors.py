"""Reads of the area tree. Area names and codes are public; scoping applies to what lies below."""

from __future__ import annotations

from functools import reduce
from operator import or_

from django.db.models import Q, QuerySet
from django.utils.translation import gettext as _

from .codes import prefix_of
from .errors import AreaNotFound
from .models import Area, Level


def get_area(code: str) -> Area:
    """The area with ``code`` (6, 9 or 12 digits accepted), or :class:`AreaNotFound`."""
    from . import codes

    try:
        full = codes.normalise(code)
    except codes.AreaCodeError:
        raise AreaNotFound(_("区划不存在：%(code)s") % {"code": code}) from None
    area = Area.objects.select_related("parent").filter(code=full).first()
    if area is None:
        raise AreaNotFound(_("区划不存在：%(code)s") % {"code": code})
    return area


def children_of(area: Area | None) -> QuerySet[Area]:
    """Direct children of ``area``; provinces when ``area`` is None."""
    if area is None:
        return Area.objects.filter(parent__isnull=True)
    return Area.objects.filter(parent=area)


def ancestors_of(area: Area) -> list[Area]:
    """From the province down to ``area``'s parent, in one query."""
    from . import codes

    found = {a.code: a for a in Area.objects.filter(code__in=codes.ancestor_codes(area.code))}
    return [found[c] for c in reversed(codes.ancestor_codes(area.code)) if c in found]


def areas_by_codes(codes_: list[str]) -> dict[str, Area]:
    return {a.code: a for a in Area.objects.filter(code__in=codes_)}


def existing_village_codes(codes_: set[str]) -> set[str]:
    """Which of ``codes_`` are villages in the tree (one query)."""
    return set(
        Area.objects.filter(code__in=codes_, level=Level.VILLAGE).values_list("code", flat=True)
    )


def villages_under(code: str) -> QuerySet[Area]:
    """The villages below an area (a code prefix by level), with or without coordinates."""
    return Area.objects.filter(level=Level.VILLAGE, code__startswith=prefix_of(code)).order_by(
        "code"
    )


def counties(*, prefixes: list[str] | None = None, poor_only: bool = False) -> list[Area]:
    """Counties under any of ``prefixes`` (all if None), optionally only the poor ones."""
    qs = _under(prefixes).filter(level=Level.COUNTY)
    if poor_only:
        qs = qs.filter(Q(national_poor=True) | Q(provincial_poor=True))
    return list(qs.order_by("code"))


def _under(prefixes: list[str] | None) -> QuerySet[Area]:
    """Areas whose code starts with one of ``prefixes`` (None: every area)."""
    if prefixes is None:
        return Area.objects.all()
    if not prefixes:
        return Area.objects.none()
    return Area.objects.filter(reduce(or_, (Q(code__startswith=p) for p in prefixes)))


def count_by_level(prefixes: list[str] | None) -> dict[int, int]:
    """How many areas of each level lie under ``prefixes`` (None: the whole tree); one query."""
    from django.db.models import Count

    rows = _under(prefixes).order_by().values("level").annotate(n=Count("code"))
    return {r["level"]: r["n"] for r in rows}


def areas_under(prefixes: list[str] | None, *, max_level: int) -> list[Area]:
    """The areas under ``prefixes`` down to ``max_level``, in tree order (by code)."""
    return list(_under(prefixes).filter(level__lte=max_level).order_by("code"))
