"""Ages and calendar years on dates, as birth-date bounds for SQL. Pure code."""

from __future__ import annotations

import datetime as dt


def years_before(day: dt.date, years: int) -> dt.date:
    """The same calendar day ``years`` earlier (29 February falls back to the 28th); the
    first day of the calendar if that is before year 1 (a period typed as year 1, say)."""
    if day.year - years < dt.MINYEAR:
        return dt.date.min
    try:
        return day.replace(year=day.year - years)
    except ValueError:
        return day.replace(year=day.year - years, day=28)


def age_on(birth: dt.date, on: dt.date) -> int:
    """Whole years from ``birth`` to ``on``."""
    return on.year - birth.year - ((on.month, on.day) < (birth.month, birth.day))
