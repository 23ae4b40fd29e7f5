"""Live aggregates of field reports (智能报表): for an area and a period, the totals of the
aggregating fields and the shares of choice fields, by child area for drill-down.

All in SQL over ``Value``'s (field, period, area prefix) index: GROUP BY the first digits of
the area code, never a submission loaded into Python. Scoped: an area outside the user's
scope is not found, and a user scoped below the area sees only their part of it.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal
from typing import TYPE_CHECKING

from django.db.models import Count, Q, Sum
from django.db.models.functions import Substr
from django.utils.translation import gettext as _

from tuopin.accounts import permissions, scoping
from tuopin.accounts.approvals import Status
from tuopin.areas import codes
from tuopin.areas import selectors as areas
from tuopin.areas.errors import AreaNotFound
from tuopin.areas.models import Area

from .models import NUMERIC_KINDS, FieldKind, ReportField, ReportType, Submission, Value

if TYPE_CHECKING:
    from tuopin.casework.selectors import AnyUser

AGGREGATES = "casework.view_report_aggregates"


@dataclass
class Row:
    code: str
    name: str
    reports: int = 0
    totals: dict[str, Decimal] = field(default_factory=dict)  # field key → sum
    shares: dict[str, dict[str, int]] = field(default_factory=dict)  # field key → choice → n


@dataclass
class Aggregate:
    report_type: ReportType
    area: Area
    period_start: dt.date
    total: Row
    rows: list[Row]  # one per child area with reports
    child_level: int | None
    numeric_fields: list[ReportField]
    choice_fields: list[ReportField]


def _visible(user: AnyUser, code: str, field: str = "area_code") -> Q:
    """Rows of ``code``'s subtree that the user may see (their scopes inside it)."""
    prefix = codes.prefix_of(code)
    mine = scoping.area_prefixes(user)
    if mine is None or any(prefix.startswith(p) for p in mine):
        return Q(**{f"{field}__startswith": prefix})
    inside = [p for p in mine if p.startswith(prefix)]
    if not inside:
        raise AreaNotFound(_("区划不存在：%(c)s") % {"c": code})
    q = Q(pk__in=[])
    for p in inside:
        q |= Q(**{f"{field}__startswith": p})
    return q


def aggregate(
    user: AnyUser, report_type: ReportType, *, area_code: str, period_start: dt.date
) -> Aggregate:
    """Totals and shares for ``area_code`` and its child areas in one period."""
    permissions.require(user, AGGREGATES, _("没有查看上报汇总的权限"))
    try:
        code = codes.normalise(area_code)
    except codes.AreaCodeError:
        raise AreaNotFound(_("区划不存在：%(c)s") % {"c": area_code}) from None
    area = areas.areas_by_codes([code]).get(code)
    if area is None:
        raise AreaNotFound(_("区划不存在：%(c)s") % {"c": area_code})
    fields = list(report_type.fields.all())
    numeric = [f for f in fields if f.kind in NUMERIC_KINDS and f.aggregate]
    choice = [f for f in fields if f.kind == FieldKind.CHOICE]
    level = codes.level_of(code)
    child_level = level + 1 if level < codes.VILLAGE else None
    width = codes.PREFIX_LENGTH[child_level] if child_level else 12
    base = Value.objects.filter(_visible(user, code), period_start=period_start, counted=True)
    total = Row(code=code, name=area.name)
    by_child: dict[str, Row] = {}

    def child(key: str) -> Row:
        return by_child.setdefault(key, Row(code=key.ljust(12, "0"), name=""))

    # Reports per child: the submissions themselves (rejected ones no longer count).
    counts = (
        Submission.objects.filter(
            _visible(user, code, "area__code"),
            report_type=report_type,
            period_start=period_start,
        )
        .exclude(status=Status.REJECTED)
        .annotate(part=Substr("area_id", 1, width))
        .values("part")
        .annotate(n=Count("id"))
    )
    for nrow in counts:
        child(nrow["part"]).reports = nrow["n"]
        total.reports += nrow["n"]
    for f in numeric:
        sums = (
            base.filter(field=f)
            .annotate(part=Substr("area_code", 1, width))
            .values("part")
            .annotate(s=Sum("number"))
        )
        total.totals[f.key] = Decimal(0)
        for srow in sums:
            value = srow["s"] or Decimal(0)
            child(srow["part"]).totals[f.key] = value
            total.totals[f.key] += value
    for f in choice:
        shares = (
            base.filter(field=f)
            .annotate(part=Substr("area_code", 1, width))
            .values("part", "text")
            .annotate(n=Count("id"))
        )
        total.shares[f.key] = {c: 0 for c in f.choice_list}
        for crow in shares:
            choice_, n = crow["text"], crow["n"]
            child(crow["part"]).shares.setdefault(f.key, {})[choice_] = n
            total.shares[f.key][choice_] = total.shares[f.key].get(choice_, 0) + n
    names = areas.areas_by_codes([r.code for r in by_child.values()])
    rows = sorted(by_child.values(), key=lambda r: r.code)
    for r in rows:
        found = names.get(r.code)
        r.name = found.name if found else r.code
    if child_level is None:
        rows = []
    return Aggregate(report_type, area, period_start, total, rows, child_level, numeric, choice)


def default_area(user: AnyUser) -> str | None:
    """The area a user's report page opens on: their (first) scope, or none for nationwide."""
    mine = scoping.area_prefixes(user)
    if not mine:
        return None
    return mine[0].ljust(12, "0")
