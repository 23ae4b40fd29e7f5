"""Dashboards (数据看板): every app's indicators (``core.indicators``) for an area and a period,
with the change against the period before (环比) and the same period a year earlier (同比),
a trend, and the areas one level down with drill-down. Aggregates only, never a person.

Who may look: anyone who reads the registry of an area (cadres, officers, the operator) and
the observers (nationwide aggregates, public indicators only). The area must lie in the
user's scope; outside it looks exactly like an area that does not exist.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext as _

from tuopin.accounts import permissions, scoping
from tuopin.areas import codes
from tuopin.areas import selectors as areas
from tuopin.areas.errors import AreaNotFound
from tuopin.core import indicators as registry
from tuopin.core import periods
from tuopin.core.errors import DomainError
from tuopin.core.indicators import Indicator

from . import summaries

READ_ALL = "registry.view_household"  # every indicator of the user's areas
READ_PUBLIC = "registry.view_aggregates"  # observers: the public indicators
TREND = 6


class BadPeriod(DomainError):
    code = "bad_period"


@dataclass(frozen=True)
class Card:
    indicator: Indicator
    value: int
    previous: int
    year_before: int

    @staticmethod
    def _change(now: int, then: int) -> float | None:
        return None if then == 0 else round((now - then) * 100 / then, 1)

    @property
    def change(self) -> float | None:  # 环比, percent
        return self._change(self.value, self.previous)

    @property
    def change_year(self) -> float | None:  # 同比, percent
        return self._change(self.value, self.year_before)


@dataclass
class ChildRow:
    code: str
    name: str
    values: dict[str, int] = field(default_factory=dict)
    drill: bool = True


@dataclass
class Dashboard:
    area: Any  # an Area, or None for the whole country
    period: periods.Period
    cards: list[Card]
    children: list[ChildRow]
    trend: dict[str, list[tuple[str, int]]]
    public_only: bool

    @property
    def areal(self) -> list[Indicator]:
        return [c.indicator for c in self.cards if c.indicator.areal]


def may_view(user: Any) -> bool:
    return permissions.has(user, READ_ALL) or permissions.has(user, READ_PUBLIC)


def parse_period(text: str | None, *, today: dt.date | None = None) -> periods.Period:
    """The period named by ``text``; without one, the month holding today."""
    if not text:
        return periods.containing(today or timezone.localdate(), periods.MONTH)
    try:
        return periods.parse(text)
    except periods.PeriodError:
        raise BadPeriod(
            _("报告期格式应为 2018-06、2018Q2、2018H1 或 2018：%(p)s") % {"p": text}
        ) from None


def default_area(user: Any) -> str:
    """The user's one area when they have exactly one, else the whole country ("")."""
    prefixes = scoping.area_prefixes(user)
    if prefixes and len(prefixes) == 1:
        return prefixes[0].ljust(12, "0")
    return ""


def area_for(user: Any, code: str | None) -> Any:
    """The area to show, checked against the user's scope (None: the whole country)."""
    if not may_view(user):
        permissions.require(user, READ_PUBLIC, _("没有查看数据看板的权限"))
    code = code if code is not None else default_area(user)
    if not code:
        if scoping.area_prefixes(user) is not None:
            raise AreaNotFound(_("区划不存在：%(c)s") % {"c": _("全国")})
        return None
    try:
        full = codes.normalise(code)
    except codes.AreaCodeError:
        raise AreaNotFound(_("区划不存在：%(c)s") % {"c": code}) from None
    if not scoping.covers(user, full):
        raise AreaNotFound(_("区划不存在：%(c)s") % {"c": code})
    return areas.get_area(full)


def _prefix_width(area: Any) -> tuple[str, int | None]:
    """The area's code prefix and the width of its children's prefix (None for a village)."""
    if area is None:
        return "", codes.PREFIX_LENGTH[codes.PROVINCE]
    level = codes.level_of(area.code)
    child = codes.PREFIX_LENGTH.get(level + 1)
    return codes.prefix_of(area.code), child


def _total(ind: Indicator, prefix: str, p: periods.Period) -> int:
    width = len(prefix) or 2
    return sum(ind.group(prefix, width, p.start, p.end).values())


def indicators_for(user: Any, area: Any) -> list[Indicator]:
    from .partners import as_indicators

    public_only = not permissions.has(user, READ_ALL)
    found = registry.all_indicators(public_only=public_only)
    found += [i for i in as_indicators() if i.public or not public_only]
    return [i for i in found if i.areal or area is None]


def dashboard(user: Any, *, area_code: str | None, period_text: str | None) -> Dashboard:
    """Cards, trend and children for ``area_code`` (the user's area by default) and the
    period (the current month by default)."""
    area = area_for(user, area_code)
    period = parse_period(period_text)
    prefix, child_width = _prefix_width(area)
    cards, trend = [], {}
    shown = indicators_for(user, area)
    trail = period.trail(TREND)
    summary = summaries.Reader(shown, prefix, [*trail, period.year_before])

    def total(ind: Indicator, p: periods.Period) -> int:
        found = summary.total(ind, p)
        return found if found is not None else _total(ind, prefix, p)

    for ind in shown:
        series = [(p.code, total(ind, p)) for p in trail]
        trend[ind.code] = series
        cards.append(Card(ind, series[-1][1], series[-2][1], total(ind, period.year_before)))
    children: list[ChildRow] = []
    if child_width is not None:
        kids = areas.children_of(area).order_by("code")
        rows = {codes_prefix(k.code, child_width): ChildRow(k.code, k.name) for k in kids}
        for ind in shown:
            if not ind.areal:
                continue
            values = summary.children(ind, period, child_width)
            if values is None:
                values = ind.group(prefix, child_width, period.start, period.end)
            for key, value in values.items():
                if key in rows:
                    rows[key].values[ind.code] = value
        children = list(rows.values())
        for row in children:
            row.drill = scoping.covers(user, row.code)
    return Dashboard(
        area, period, cards, children, trend, public_only=not permissions.has(user, READ_ALL)
    )


def codes_prefix(code: str, width: int) -> str:
    return code[:width]
