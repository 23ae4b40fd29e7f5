"""The charity tests' shared state: one open campaign, set up through the service."""

from __future__ import annotations

import datetime as dt

import pytest

from tuopin.charity import services
from tuopin.charity.models import Campaign


@pytest.fixture
def campaign(operator) -> Campaign:  # type: ignore[no-untyped-def]
    """顶梁柱, open from 2018 to 2030, a goal of 1,000 万元 (slug ``dlz``)."""
    return services.save_campaign(
        by=operator,
        campaign=Campaign(
            slug="dlz",
            title="顶梁柱",
            programme_name="顶梁柱",
            goal_fen=10**9,
            starts_on=dt.date(2018, 1, 1),
            ends_on=dt.date(2030, 12, 31),
            status="open",
        ),
    )
