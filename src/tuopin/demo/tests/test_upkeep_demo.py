"""The 略阳 registry-upkeep demo: requests at every stage, a review year in progress, planted
duplicates the search finds; it runs once."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from tuopin.accounts.selectors import get_user
from tuopin.areas import services as areas
from tuopin.demo.casework import build_casework
from tuopin.demo.upkeep import build_upkeep
from tuopin.registry.models import (
    ChangeRequest,
    Household,
    Objection,
    ReviewEvidence,
    ReviewRound,
)
from tuopin.registry.upkeep import duplicates


def test_the_lueyang_upkeep_demo_has_every_stage(db: None) -> None:
    areas.create_areas(
        rows=[
            ("610000000000", "陕西省", Decimal("108.95"), Decimal("34.26")),
            ("610700000000", "汉中市", Decimal("107.02"), Decimal("33.07")),
            ("610727000000", "略阳县", Decimal("106.16"), Decimal("33.33")),
        ]
    )
    today = dt.date(2018, 6, 30)
    build_casework(2018, today)
    assert build_upkeep(2018, today) == (6, 2)
    requests = ChangeRequest.objects.all()
    assert {(r.status, r.step_index) for r in requests} == {
        ("pending", 0),
        ("pending", 1),
        ("approved", 2),
        ("returned", 0),
        ("rejected", 0),
    }
    assert Household.objects.filter(closed_reason="merged").count() == 1
    assert ReviewEvidence.objects.exists()
    rnd = ReviewRound.objects.get()
    stages = {v.status for v in rnd.villages.filter(filed=True)}
    assert stages == {"pending"} and rnd.villages.filter(notice_from__isnull=False).count() == 2
    assert Objection.objects.count() == 1
    found = duplicates.find_for(get_user("ly_county"), area="610727000000")
    assert len(found.pairs) >= 2
    assert build_upkeep(2018, today) == (0, 2)
