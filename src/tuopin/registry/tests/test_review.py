"""The annual review (动态调整): set-based items, facts and proposals, the public notice with
objections, township and county approval, status changes with ledger entries."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from tuopin.conftest import COUNTY, VILLAGE_A
from tuopin.ledger.models import Entry
from tuopin.registry.errors import BadReview, Locked, NotYourTurn
from tuopin.registry.models import HistoryEvent, Household, ReviewItem, StatusChange
from tuopin.registry.upkeep import review, review_reads

pytestmark = pytest.mark.django_db
ALL_GOOD = dict.fromkeys(("food", "clothing", "education", "medical", "housing", "water"), True)
LINE = 400_000  # 4,000 yuan per person


@pytest.fixture
def rnd(households, county_officer):  # type: ignore[no-untyped-def]
    return review.open_review(county=COUNTY, year=2024, line_fen=LINE, by=county_officer)


def _item(rnd, no: str) -> ReviewItem:  # type: ignore[no-untyped-def]
    return ReviewItem.objects.get(round=rnd, household__household_no=no)


def _ready(rnd, cadre, *, lift_a001: bool = True):  # type: ignore[no-untyped-def]
    review.record_facts(
        item=_item(rnd, "A001"),
        income_fen=(1_500_000 if lift_a001 else 100),
        checks=ALL_GOOD,
        by=cadre,
    )
    review.record_facts(
        item=_item(rnd, "A002"), income_fen=500_000, checks={**ALL_GOOD, "housing": False}, by=cadre
    )
    past = timezone.localdate() - dt.timedelta(days=10)
    return review.post_notice(rnd=rnd, village=VILLAGE_A, starts_on=past, by=cadre)


def test_it_creates_an_item_for_every_household_of_the_county(rnd) -> None:
    assert set(rnd.items.values_list("household__household_no", flat=True)) == {
        "A001",
        "A002",
        "B001",
    }
    assert rnd.villages.count() == 2
    assert _item(rnd, "A001").members == 3


def test_only_a_county_officer_of_the_county_opens_it(
    households, cadre_a, township_officer
) -> None:
    from tuopin.core.errors import PermissionDenied

    with pytest.raises(PermissionDenied):
        review.open_review(county=COUNTY, year=2024, line_fen=LINE, by=township_officer)


def test_the_proposal_follows_income_per_person_and_the_six_checks(rnd, cadre_a) -> None:
    lift = review.record_facts(
        item=_item(rnd, "A001"), income_fen=1_500_000, checks=ALL_GOOD, by=cadre_a
    )
    back = review.record_facts(
        item=_item(rnd, "A002"), income_fen=500_000, checks={**ALL_GOOD, "water": False}, by=cadre_a
    )
    keep = review.record_facts(
        item=_item(rnd, "A001"), income_fen=900_000, checks=ALL_GOOD, by=cadre_a
    )
    assert lift.proposal == "lift" and back.proposal == "return" and keep.proposal == "keep"


def test_the_notice_needs_every_household_checked(rnd, cadre_a) -> None:
    review.record_facts(item=_item(rnd, "A001"), income_fen=1_500_000, checks=ALL_GOOD, by=cadre_a)
    with pytest.raises(BadReview) as exc:
        review.post_notice(rnd=rnd, village=VILLAGE_A, by=cadre_a)
    assert exc.value.code == "unchecked"


def test_a_village_cannot_be_filed_during_its_notice(rnd, cadre_a) -> None:
    review.record_facts(item=_item(rnd, "A001"), income_fen=1_500_000, checks=ALL_GOOD, by=cadre_a)
    review.record_facts(item=_item(rnd, "A002"), income_fen=1_500_000, checks=ALL_GOOD, by=cadre_a)
    review.post_notice(rnd=rnd, village=VILLAGE_A, by=cadre_a)
    with pytest.raises(BadReview) as exc:
        review.file_village(rnd=rnd, village=VILLAGE_A, by=cadre_a)
    assert exc.value.code == "notice_running"


def test_objections_are_recorded_in_the_notice_and_must_be_settled(rnd, cadre_a) -> None:
    for no in ("A001", "A002"):
        review.record_facts(item=_item(rnd, no), income_fen=1_500_000, checks=ALL_GOOD, by=cadre_a)
    start = timezone.localdate() - dt.timedelta(days=7)
    review.post_notice(rnd=rnd, village=VILLAGE_A, starts_on=start, by=cadre_a)
    objection = review.raise_objection(item=_item(rnd, "A001"), text="收入含一次性补贴", by=cadre_a)
    rnd.villages.filter(village_code=VILLAGE_A).update(
        notice_to=timezone.localdate() - dt.timedelta(days=1)
    )
    with pytest.raises(BadReview) as exc:
        review.file_village(rnd=rnd, village=VILLAGE_A, by=cadre_a)
    assert exc.value.code == "open_objections"
    review.resolve_objection(objection=objection, resolution="核实无误", by=cadre_a)
    assert review.file_village(rnd=rnd, village=VILLAGE_A, by=cadre_a).filed


def test_an_objection_outside_the_notice_is_refused(rnd, cadre_a) -> None:
    with pytest.raises(BadReview) as exc:
        review.raise_objection(item=_item(rnd, "A001"), text="x", by=cadre_a)
    assert exc.value.code == "not_in_notice"


def test_changing_facts_voids_the_notice(rnd, cadre_a) -> None:
    vr = _ready(rnd, cadre_a)
    assert vr.notice_from
    review.record_facts(item=_item(rnd, "A001"), income_fen=1_600_000, checks=ALL_GOOD, by=cadre_a)
    vr.refresh_from_db()
    assert vr.notice_from is None


def test_township_then_county_approve_and_the_statuses_change(
    rnd, cadre_a, township_officer, county_officer
) -> None:
    _ready(rnd, cadre_a)
    vr = review.file_village(rnd=rnd, village=VILLAGE_A, by=cadre_a)
    with pytest.raises(NotYourTurn):
        review.decide_village(vr=vr, action="approve", by=county_officer)
    review.decide_village(vr=vr, action="approve", by=township_officer)
    assert Household.objects.get(household_no="A001").status == "poor"
    before = Entry.objects.count()
    vr = review.decide_village(vr=vr, action="approve", by=county_officer)
    assert vr.status == "approved" and vr.applied_at
    assert Household.objects.get(household_no="A001").status == "lifted"
    assert Household.objects.get(household_no="A002").status == "returned"
    change = StatusChange.objects.get(household__household_no="A001", to_status="lifted")
    assert change.year == 2024 and change.by == county_officer
    assert HistoryEvent.objects.filter(household_no="A002", source="review").exists()
    entry = Entry.objects.order_by("index")[before]
    assert b"commitments" in bytes(entry.data) and b"A001" not in bytes(entry.data)
    with pytest.raises(Locked):
        review.decide_village(vr=vr, action="approve", by=county_officer)


def test_the_county_list_shows_what_changed(rnd, cadre_a, township_officer, county_officer) -> None:
    _ready(rnd, cadre_a)
    vr = review.file_village(rnd=rnd, village=VILLAGE_A, by=cadre_a)
    review.decide_village(vr=vr, action="approve", by=township_officer)
    review.decide_village(vr=vr, action="approve", by=county_officer)
    changed = review_reads.changes_of(county_officer, rnd)
    assert {(i.household.household_no, i.status_after) for i in changed} == {
        ("A001", "lifted"),
        ("A002", "returned"),
    }


def test_a_returned_village_can_be_corrected_and_filed_again(
    rnd, cadre_a, township_officer
) -> None:
    _ready(rnd, cadre_a)
    vr = review.file_village(rnd=rnd, village=VILLAGE_A, by=cadre_a)
    with pytest.raises(Locked):
        review.record_facts(item=_item(rnd, "A001"), income_fen=1, checks=ALL_GOOD, by=cadre_a)
    review.decide_village(vr=vr, action="return", comment="A002 住房需复核", by=township_officer)
    review.record_facts(item=_item(rnd, "A002"), income_fen=500_000, checks=ALL_GOOD, by=cadre_a)


def test_progress_counts_per_village_and_township(rnd, cadre_a, county_officer) -> None:
    review.record_facts(item=_item(rnd, "A001"), income_fen=1_500_000, checks=ALL_GOOD, by=cadre_a)
    (town,) = review_reads.progress_of(county_officer, rnd)
    assert (town.households, town.checked, town.lift) == (3, 1, 1)
    village_a = next(v for v in town.villages if v.code == VILLAGE_A)
    assert village_a.percent == 50


def test_a_cadre_sees_only_their_villages_progress(rnd, cadre_a) -> None:
    (town,) = review_reads.progress_of(cadre_a, rnd)
    assert [v.code for v in town.villages] == [VILLAGE_A]
