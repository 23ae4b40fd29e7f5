"""A reported bus ride that is ripe now (reported 30 hours ago)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.utils import timezone

from tuopin.forest import energy


def report_ripe(partner: Any, user: Any, key: str = "ripe") -> None:
    energy.report_action(
        by=partner,
        key=key,
        username=user.username,
        action_type="bus",
        units=1,
        at=timezone.now() - dt.timedelta(hours=30),
    )
