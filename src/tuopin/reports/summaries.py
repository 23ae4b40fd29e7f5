"""The dashboards' summary (DHIS2's analytics tables, in small): each computed indicator's
value per county and month, refreshed by a background loop (``tuopin report refresh
--every``, started by ``tuopin serve``), so that a national, provincial or prefectural view
reads a few thousand rows instead of the apps' tables. A county and anything below it is
computed live (small), and so is any month not yet summarised.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable
from typing import Any

from django.db import transaction
from django.db.models import Max, Sum
from django.db.models.functions import Substr
from django.utils import timezone

from tuopin.core import indicators as registry
from tuopin.core import periods
from tuopin.core.indicators import Indicator

from .models import Summary, SummaryMonth

WIDTH = 6  # the summary's grain: counties
MONTHS = 25  # kept back from this month: a year view and the year before it


def refresh(
    *,
    months: int = MONTHS,
    today: dt.date | None = None,
    progress: Callable[[int], object] | None = None,
) -> int:
    """Recompute the last ``months`` months of every computed indicator: one grouped query
    per indicator and month, each indicator replaced in its own transaction. Returns rows."""
    last = periods.containing(today or timezone.localdate(), periods.MONTH)
    span = last.trail(months)
    written = 0
    for ind in registry.all_indicators():
        rows = [
            Summary(indicator=ind.code, county=key, month=m.start, value=value)
            for m in span
            for key, value in ind.group("", WIDTH, m.start, m.end).items()
            if value
        ]
        now = timezone.now()
        with transaction.atomic():
            starts = [m.start for m in span]
            Summary.objects.filter(indicator=ind.code, month__in=starts).delete()
            Summary.objects.bulk_create(rows, batch_size=2000)
            SummaryMonth.objects.filter(indicator=ind.code, month__in=starts).delete()
            SummaryMonth.objects.bulk_create(
                [SummaryMonth(indicator=ind.code, month=s, refreshed_at=now) for s in starts]
            )
        written += len(rows)
        if progress:
            progress(1)
    return written


def refreshed_at() -> dt.datetime | None:
    return SummaryMonth.objects.aggregate(t=Max("refreshed_at"))["t"]


class Reader:
    """Totals and children from the summary for one area prefix, when it covers them."""

    def __init__(self, shown: Iterable[Indicator], prefix: str, wanted: Iterable[periods.Period]):
        self.prefix = prefix
        self.usable = len(prefix) < WIDTH  # above a county; a county and below: live
        self._months: dict[str, dict[dt.date, int]] = {}
        self._covered: set[tuple[str, dt.date]] = set()
        if not self.usable:
            return
        codes = [i.code for i in shown]
        starts = sorted({s for p in wanted for s in p.month_starts()})
        self._covered = set(
            SummaryMonth.objects.filter(indicator__in=codes, month__in=starts).values_list(
                "indicator", "month"
            )
        )
        rows = (
            Summary.objects.filter(indicator__in=codes, month__in=starts)
            .filter(county__startswith=prefix)
            .values("indicator", "month")
            .annotate(v=Sum("value"))
            .values_list("indicator", "month", "v")
        )
        for code, month, value in rows:
            self._months.setdefault(code, {})[month] = int(value or 0)

    def covers(self, ind: Indicator, p: periods.Period) -> bool:
        return self.usable and all((ind.code, s) in self._covered for s in p.month_starts())

    def total(self, ind: Indicator, p: periods.Period) -> int | None:
        if not self.covers(ind, p):
            return None
        by_month = self._months.get(ind.code, {})
        starts = p.month_starts()
        if ind.flow:
            return sum(by_month.get(s, 0) for s in starts)
        return by_month.get(starts[-1], 0)

    def children(self, ind: Indicator, p: periods.Period, width: int) -> dict[str, int] | None:
        if width > WIDTH or not self.covers(ind, p):
            return None
        starts = p.month_starts()
        qs: Any = Summary.objects.filter(indicator=ind.code, county__startswith=self.prefix)
        qs = qs.filter(month__in=starts) if ind.flow else qs.filter(month=starts[-1])
        rows = (
            qs.annotate(k=Substr("county", 1, width))
            .values("k")
            .annotate(v=Sum("value"))
            .values_list("k", "v")
        )
        return {k: int(v or 0) for k, v in rows}
