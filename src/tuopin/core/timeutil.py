"""Time helpers: the platform's clock is Asia/Shanghai and always aware."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone


def today() -> dt.date:
    """Today's date in the configured time zone (Asia/Shanghai)."""
    return timezone.localdate()


def age_on(birth: dt.date, day: dt.date) -> int:
    """Whole years of age on ``day`` (a person born on 29 February ages on 1 March)."""
    years = day.year - birth.year
    if (day.month, day.day) < (birth.month, birth.day):
        years -= 1
    return years
