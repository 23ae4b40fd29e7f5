"""Reporting periods (报告期): months, quarters, half-years and years, as the dashboards and
the work report name them — ``2018-06``, ``2018Q2``, ``2018H1``, ``2018`` — with the period
before and the same period a year earlier. Pure: no Django.

A period is the half-open span ``[start, end)`` of dates; ``end`` is the next period's start.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

MONTH, QUARTER, HALF, YEAR = "month", "quarter", "half", "year"
KINDS = (MONTH, QUARTER, HALF, YEAR)
_MONTHS = {MONTH: 1, QUARTER: 3, HALF: 6, YEAR: 12}
_PATTERNS = (
    (re.compile(r"^(\d{4})-(\d{1,2})$"), MONTH),
    (re.compile(r"^(\d{4})[Qq]([1-4])$"), QUARTER),
    (re.compile(r"^(\d{4})[Hh]([12])$"), HALF),
    (re.compile(r"^(\d{4})$"), YEAR),
)
FIRST_YEAR, LAST_YEAR = 2000, 2100


class PeriodError(ValueError):
    """Text that is not a period: the message says which forms are meant."""


@dataclass(frozen=True, order=True)
class Period:
    kind: str
    year: int
    index: int  # month 1–12, quarter 1–4, half 1–2, year 1

    @property
    def months(self) -> int:
        return _MONTHS[self.kind]

    @property
    def start(self) -> dt.date:
        return dt.date(self.year, (self.index - 1) * self.months + 1, 1)

    @property
    def end(self) -> dt.date:
        return _add_months(self.start, self.months)

    @property
    def code(self) -> str:
        if self.kind == MONTH:
            return f"{self.year}-{self.index:02d}"
        if self.kind == QUARTER:
            return f"{self.year}Q{self.index}"
        if self.kind == HALF:
            return f"{self.year}H{self.index}"
        return str(self.year)

    def __str__(self) -> str:
        return self.code

    def shifted(self, steps: int) -> Period:
        """The period ``steps`` periods of the same kind later (earlier if negative)."""
        per_year = 12 // self.months
        n = self.year * per_year + (self.index - 1) + steps
        return Period(self.kind, n // per_year, n % per_year + 1)

    @property
    def previous(self) -> Period:
        return self.shifted(-1)

    @property
    def year_before(self) -> Period:
        """The same period of the year before (同比)."""
        return Period(self.kind, self.year - 1, self.index)

    def trail(self, n: int) -> list[Period]:
        """The ``n`` periods ending with this one, oldest first (a trend)."""
        return [self.shifted(i) for i in range(1 - n, 1)]

    def month_starts(self) -> list[dt.date]:
        return [_add_months(self.start, i) for i in range(self.months)]


def parse(text: str) -> Period:
    """``2018-06``, ``2018Q2``, ``2018H1`` or ``2018``; anything else is a :class:`PeriodError`."""
    raw = (text or "").strip()
    for pattern, kind in _PATTERNS:
        m = pattern.match(raw)
        if not m:
            continue
        year = int(m.group(1))
        index = int(m.group(2)) if kind != YEAR else 1
        if not FIRST_YEAR <= year <= LAST_YEAR or (kind == MONTH and not 1 <= index <= 12):
            break
        return Period(kind, year, index)
    raise PeriodError(raw)


def containing(day: dt.date, kind: str) -> Period:
    """The period of ``kind`` that holds ``day``."""
    months = _MONTHS[kind]
    return Period(kind, day.year, (day.month - 1) // months + 1)


def _add_months(day: dt.date, n: int) -> dt.date:
    m = day.year * 12 + day.month - 1 + n
    return dt.date(m // 12, m % 12 + 1, 1)
