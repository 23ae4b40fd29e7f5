"""Live aggregates of field reports (智能报表): for an area and a period, the totals of the
aggregating fields and the shares of choice fields, by child area for drill-down.

All in SQL over the villages' running :class:`Tally` rows (kept in step in each filing's
transaction, ``tallies.py``): GROUP BY the first digits of the area code, never a submission
loaded into Python; the values themselves stay typed in ``Value`` for exports and rebuilds. Scoped: an area outside the user's
scope is not found, and a user scoped below the area sees only their part of it.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal
from typing import TYPE_CHECKING

from django.db.models import Q, Sum
from django.db.models.functions import Substr
from django.utils.translation import gettext as _

from tuopin.accounts import permissions, scoping
from tuopin.areas import codes
from tuopin.areas import selectors as areas
from tuopin.areas.errors import AreaNotFound
from tuopin.areas.models import Area

from .models import NUMERIC_KINDS, FieldKind, ReportField, ReportType, Tally

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
    tallies = Tally.objects.filter(
        _visible(user, code), report_type=report_type, period_start=period_start
    )
    total = Row(code=code, name=area.name)
    total.totals = {f.key: Decimal(0) for f in numeric}
    total.shares = {f.key: {c: 0 for c in f.choice_list} for f in choice}
    wanted = {f.key for f in numeric} | {f.key for f in choice} | {""}
    by_child: dict[str, Row] = {}
    # One GROUP BY over the villages' running tallies (a county: a few thousand rows at most).
    cells = (
        tallies.filter(key__in=wanted)
        .annotate(part=Substr("area_code", 1, width))
        .values("part", "key", "choice")
        .annotate(n=Sum("n"), t=Sum("total"))
    )
    choice_keys = {f.key for f in choice}
    for cell in cells:
        row = by_child.setdefault(cell["part"], Row(code=cell["part"].ljust(12, "0"), name=""))
        key, n = cell["key"], cell["n"] or 0
        if key == "":
            row.reports += n
            total.reports += n
        elif key in choice_keys:
            row.shares.setdefault(key, {})[cell["choice"]] = n
            total.shares[key][cell["choice"]] = total.shares[key].get(cell["choice"], 0) + n
        else:
            value = cell["t"] or Decimal(0)
            row.totals[key] = value
            total.totals[key] += value
    by_child = {k: r for k, r in by_child.items() if r.reports or r.totals or r.shares}
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
