"""Live aggregates equal a brute-force sum, drill down, and follow the user's scope."""

from __future__ import annotations

import random
from collections import Counter
from decimal import Decimal

import pytest

from tuopin.casework import aggregates, services
from tuopin.casework.models import Submission
from tuopin.conftest import COUNTY, TOWNSHIP, VILLAGE_A, VILLAGE_B
from tuopin.core.errors import NotFound, PermissionDenied

from .factories import JUNE, photo


@pytest.fixture
def month(types, households, cadre_a, cadre_b):  # type: ignore[no-untyped-def]
    rng = random.Random(4)
    made = []
    for i in range(7):
        village, cadre, hh = (
            (VILLAGE_A, cadre_a, rng.choice(["A001", "A002"]))
            if i % 3
            else (VILLAGE_B, cadre_b, "B001")
        )
        birds = rng.randint(0, 500)
        growth = rng.choice(["良好", "一般", "较差"])
        s = services.file_submission(
            report_type=types["black-chicken"],
            village=village,
            values={"household": hh, "birds": str(birds), "growth": growth},
            photos={"photo": [photo(i)]},
            period=JUNE,
            by=cadre,
        )
        made.append((s, village, birds, growth))
    return made


def test_totals_and_shares_equal_a_brute_force_sum_at_every_level(
    month, types, county_officer
) -> None:  # type: ignore[no-untyped-def]
    rt = types["black-chicken"]
    county = aggregates.aggregate(county_officer, rt, area_code=COUNTY, period_start=JUNE)
    assert county.total.totals["birds"] == sum(b for _s, _v, b, _g in month)
    assert county.total.reports == len(month)
    assert [r.code for r in county.rows] == [TOWNSHIP]
    township = aggregates.aggregate(county_officer, rt, area_code=TOWNSHIP, period_start=JUNE)
    for row in township.rows:
        assert row.totals["birds"] == sum(b for _s, v, b, _g in month if v == row.code)
        expected = Counter(g for _s, v, _b, g in month if v == row.code)
        assert row.shares["growth"] == dict(expected)
    assert {r.code for r in township.rows} == {VILLAGE_A, VILLAGE_B}
    assert township.total.shares["growth"] == {
        g: sum(1 for m in month if m[3] == g) for g in ["良好", "一般", "较差"]
    }


def test_a_rejected_report_leaves_the_totals(month, types, county_officer) -> None:  # type: ignore[no-untyped-def]
    from .factories import township_officer

    s, _v, birds, _g = month[0]
    services.decide(submission=s, action="reject", by=township_officer(), comment="重复")
    rt = types["black-chicken"]
    county = aggregates.aggregate(county_officer, rt, area_code=COUNTY, period_start=JUNE)
    assert county.total.totals["birds"] == sum(b for _s, _v, b, _g in month) - birds


def test_a_cadre_sees_only_their_village_even_when_asking_for_the_county(
    month,
    types,
    cadre_a,
    observer,
) -> None:  # type: ignore[no-untyped-def]
    rt = types["black-chicken"]
    mine = aggregates.aggregate(cadre_a, rt, area_code=COUNTY, period_start=JUNE)
    assert mine.total.totals["birds"] == sum(b for _s, v, b, _g in month if v == VILLAGE_A)
    with pytest.raises(NotFound):
        aggregates.aggregate(cadre_a, rt, area_code=VILLAGE_B, period_start=JUNE)
    everything = aggregates.aggregate(observer, rt, area_code=COUNTY, period_start=JUNE)
    assert everything.total.totals["birds"] == sum(b for _s, _v, b, _g in month)
    assert Submission.objects.count() == len(month)


def test_people_without_the_permission_see_no_aggregates(month, types, donor) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(PermissionDenied):
        aggregates.aggregate(donor, types["black-chicken"], area_code=COUNTY, period_start=JUNE)


def test_an_empty_period_has_zero_totals(month, types, county_officer) -> None:  # type: ignore[no-untyped-def]
    july = JUNE.replace(month=7)
    agg = aggregates.aggregate(
        county_officer, types["black-chicken"], area_code=COUNTY, period_start=july
    )
    assert agg.total.totals["birds"] == Decimal(0) and agg.rows == []


def test_running_tallies_equal_a_rebuild_after_returns_refiles_and_rejections(
    month, types, cadre_a, county_officer
) -> None:  # type: ignore[no-untyped-def]
    from tuopin.casework import tallies
    from tuopin.casework.models import Tally

    from .factories import township_officer

    township = township_officer()
    a = next(s for s, v, _b, _g in month if v == VILLAGE_A)
    services.decide(submission=a, action="return", comment="再核", by=township)
    services.refile_submission(
        submission=a,
        values={"household": "A001", "birds": "999", "growth": "较差"},
        photos={"photo": [photo(99)]},
        by=cadre_a,
    )
    services.decide(submission=month[0][0], action="reject", comment="重复", by=township)

    def cells() -> set[tuple[object, ...]]:
        return {(t.area_code, t.key, t.choice, t.n, t.total) for t in Tally.objects.exclude(n=0)}

    running = cells()
    tallies.rebuild()
    assert cells() == running
    agg = aggregates.aggregate(
        county_officer, types["black-chicken"], area_code=COUNTY, period_start=JUNE
    )
    assert agg.total.reports == len(month) - 1
