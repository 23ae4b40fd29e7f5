"""Indicators (指标): each app declares its figures here, the dashboards and the work report
read them (issue 17). The report never reaches into an app's tables; an app registers, from
its ``AppConfig.ready()``, what it counts and how.

An indicator answers one question for an area prefix and a period ``[start, end)``, grouped by
the areas one level down: ``group(prefix, width, start, end) -> {child prefix: value}``, one
SQL ``GROUP BY substr(code, 1, width)``. Every indicator here adds up over areas (counts and
sums), so the value of an area is the sum of its children's. A *flow* counts what happened
within the period (donations, payouts); a *stock* counts what stands at its end (households
registered). An indicator that is not *areal* (donations to a national campaign) has one
national value, under the empty prefix.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any
from zoneinfo import ZoneInfo

from django.db.models import Count, Q, QuerySet
from django.db.models.functions import Substr

SHANGHAI = ZoneInfo("Asia/Shanghai")

HOUSEHOLDS, PEOPLE, FEN, ITEMS = "household", "person", "fen", "item"

Group = Callable[[str, int, dt.date, dt.date], dict[str, int]]


@dataclass(frozen=True)
class Indicator:
    code: str  # "registry.households"
    name: Any  # a lazy translation
    unit: str  # HOUSEHOLDS, PEOPLE, FEN or ITEMS
    flow: bool  # summed within the period; else standing at its end
    public: bool  # shown to observers and on public pages (aggregates only, never a person)
    group: Group
    direction: str  # the report's chapter: "registry", "insurance", "charity", …
    areal: bool = True
    order: int = 100
    source: Any = ""  # where the figure comes from, for the footnote


_registry: dict[str, Indicator] = {}


def register(*indicators: Indicator) -> None:
    for ind in indicators:
        _registry[ind.code] = ind


def all_indicators(*, public_only: bool = False) -> list[Indicator]:
    found = [i for i in _registry.values() if i.public or not public_only]
    return sorted(found, key=lambda i: (i.order, i.code))


def get(code: str) -> Indicator | None:
    return _registry.get(code)


def aware(day: dt.date) -> dt.datetime:
    """Midnight of ``day`` in Asia/Shanghai: the bound of a period on a datetime column."""
    return dt.datetime(day.year, day.month, day.day, tzinfo=SHANGHAI)


def within(field: str, start: dt.date, end: dt.date, *, dates: bool = False) -> Q:
    """``start <= field < end`` (a datetime column unless ``dates``)."""
    lo, hi = (start, end) if dates else (aware(start), aware(end))
    return Q(**{f"{field}__gte": lo, f"{field}__lt": hi})


def before(field: str, end: dt.date, *, dates: bool = False) -> Q:
    return Q(**{f"{field}__lt": end if dates else aware(end)})


def grouped(
    qs: QuerySet[Any], *, code_field: str, prefix: str, width: int, value: Any = None
) -> dict[str, int]:
    """``{code[:width]: value}`` over the rows of ``qs`` under ``prefix`` (one query)."""
    if prefix:
        qs = qs.filter(**{f"{code_field}__startswith": prefix})
    rows = (
        qs.order_by()
        .annotate(_k=Substr(code_field, 1, width))
        .values("_k")
        .annotate(_v=value if value is not None else Count("pk"))
        .values_list("_k", "_v")
    )
    return {k: int(v or 0) for k, v in rows}


def national(value: int) -> dict[str, int]:
    """The answer of an indicator that is not areal."""
    return {"": value}
