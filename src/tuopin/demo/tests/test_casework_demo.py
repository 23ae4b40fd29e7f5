"""The 略阳 field-report demo: every stage and every photo flag is there, and it runs once."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from tuopin.areas import services as areas
from tuopin.casework import roster
from tuopin.casework.models import Disbursement, PhotoUse, Submission
from tuopin.demo.casework import build_casework


def test_the_lueyang_demo_has_every_stage_and_flag(db: None) -> None:
    areas.create_areas(
        rows=[
            ("610000000000", "陕西省", Decimal("108.95"), Decimal("34.26")),
            ("610700000000", "汉中市", Decimal("107.02"), Decimal("33.07")),
            ("610727000000", "略阳县", Decimal("106.16"), Decimal("33.33")),
        ]
    )
    filed = build_casework(2018, dt.date(2018, 6, 30))
    assert filed > 20
    chickens = Submission.objects.filter(report_type__slug="black-chicken")
    assert {s.status for s in chickens} == {"pending"}
    assert {s.step_index for s in chickens} == {0, 1}  # one township approved, one waiting
    assert PhotoUse.objects.filter(reused_in__isnull=False).count() == 1
    assert PhotoUse.objects.filter(out_of_period=True).count() == 1
    assert PhotoUse.objects.filter(far=True).count() == 1
    cases = Submission.objects.filter(report_type__slug="poor-student")
    assert {s.status for s in cases} == {"pending", "returned", "rejected", "approved"}
    assert cases.filter(forwarded=True).count() == 2
    assert Disbursement.objects.filter(paid_at__isnull=False).count() == 1
    # Every village must report; one has not yet, so the county cannot approve the month.
    rt = chickens[0].report_type
    assert len(roster.missing(rt, dt.date(2018, 6, 1), "610727000000")) == 1
    assert build_casework(2018, dt.date(2018, 6, 30)) == 0
