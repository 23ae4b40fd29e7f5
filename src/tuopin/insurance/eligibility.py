"""Age bounds as birth-date bounds, so that eligibility is one SQL comparison. Pure code."""

from __future__ import annotations

import datetime as dt

from tuopin.core.ages import years_before

__all__ = ["birth_bounds", "years_before"]


def birth_bounds(period_start: dt.date, min_age: int, max_age: int) -> tuple[dt.date, dt.date]:
    """``(born_after, born_on_or_before)``: aged ``min_age``..``max_age`` on ``period_start``.

    Someone is at least N on day D exactly when born on or before D minus N years, and at most
    M when born after D minus M+1 years.
    """
    return years_before(period_start, max_age + 1), years_before(period_start, min_age)
