"""Closing a household (销户): a household merged into another, a duplicate registration
merged away, or one whose last member died or left is closed, keeps its page and history,
and leaves lists, counts, the annual review, new requests and imports; a returning member
reopens a household closed for having none."""

from __future__ import annotations

import datetime as dt

import pytest
from django.test import Client
from django.utils import timezone

from tuopin.conftest import COUNTY, person_row
from tuopin.core import indicators
from tuopin.registry import selectors, services
from tuopin.registry.errors import BadRequest, BadStatusChange
from tuopin.registry.models import ChangeRequest, HistoryEvent, Household, Person, ReviewItem
from tuopin.registry.upkeep import review

from .upkeep_factories import approve_all, file

pytestmark = pytest.mark.django_db


@pytest.fixture
def officers(township_officer, county_officer):  # type: ignore[no-untyped-def]
    return township_officer, county_officer


@pytest.fixture
def merged(households, cadre_a, officers) -> Household:  # type: ignore[no-untyped-def]
    """A002 merged into A001."""
    approve_all(file(cadre_a, "merge_households", {"other_household_no": "A002"}), *officers)
    return Household.objects.get(household_no="A002")


def _remove_wang(cadre_a, officers, on: dt.date) -> None:  # type: ignore[no-untyped-def]
    wang = Person.objects.get(name="王强")
    req = file(
        cadre_a,
        "remove_member",
        {"person_id": wang.pk, "cause": "death", "on": on.isoformat()},
        household="A002",
    )
    approve_all(req, *officers)


def test_it_closes_the_household_merged_away(merged) -> None:
    assert merged.closed_on == timezone.localdate()
    assert (merged.closed_reason, merged.closed_into) == ("merged", "A001")
    event = HistoryEvent.objects.get(household_no="A002", what="closed")
    assert event.changes["into"] == "A001"


def test_it_keeps_the_household_it_merged_into_open(merged) -> None:
    assert Household.objects.get(household_no="A001").closed_on is None


def test_a_closed_household_leaves_the_list(merged, cadre_a) -> None:
    shown = set(selectors.households_for(cadre_a).values_list("household_no", flat=True))
    assert shown == {"A001"}


def test_the_closed_filter_lists_only_closed_households(merged, cadre_a) -> None:
    closed = selectors.households_for(cadre_a, closed=True).values_list("household_no", flat=True)
    assert list(closed) == ["A002"]


def test_a_closed_household_is_still_found_by_its_number(merged, cadre_a) -> None:
    assert selectors.get_household_for(cadre_a, "A002").pk == merged.pk


def test_a_closed_household_takes_no_new_request(merged, cadre_a) -> None:
    with pytest.raises(BadRequest) as exc:
        file(cadre_a, "change_household", {"poverty_cause": "因学"}, household="A002")
    assert exc.value.code == "household_closed"
    assert not ChangeRequest.objects.filter(household=merged, kind="change_household").exists()


def test_a_pending_merge_into_a_household_closed_meanwhile_is_refused(
    households, cadre_a, officers
) -> None:
    first = file(cadre_a, "merge_households", {"other_household_no": "A002"})
    second = file(cadre_a, "merge_households", {"other_household_no": "A002"})
    approve_all(first, *officers)
    with pytest.raises(BadRequest) as exc:
        approve_all(second, *officers)
    assert exc.value.code == "household_closed"
    second.refresh_from_db()
    assert second.applied_at is None


def test_the_last_member_removed_closes_the_household(households, cadre_a, officers) -> None:
    _remove_wang(cadre_a, officers, dt.date(2024, 3, 1))
    h = Household.objects.get(household_no="A002")
    assert (h.closed_on, h.closed_reason, h.closed_into) == (dt.date(2024, 3, 1), "no_members", "")


def test_a_member_removed_from_a_larger_household_leaves_it_open(
    households, cadre_a, officers
) -> None:
    daughter = Person.objects.get(name="朱婷婷")
    req = file(
        cadre_a,
        "remove_member",
        {"person_id": daughter.pk, "cause": "marriage_out", "on": "2024-03-01"},
    )
    approve_all(req, *officers)
    assert Household.objects.get(household_no="A001").closed_on is None


def test_a_returning_member_reopens_the_household(households, cadre_a, officers) -> None:
    _remove_wang(cadre_a, officers, dt.date(2024, 3, 1))
    wang = Person.objects.get(name="王强")
    req = file(
        cadre_a,
        "add_member",
        {"name": "王强", "id_number": wang.id_number, "relation": "户主", "cause": "return"},
        household="A002",
    )
    approve_all(req, *officers)
    assert Household.objects.get(household_no="A002").closed_on is None
    assert HistoryEvent.objects.filter(household_no="A002", what="reopened").exists()


def test_a_household_merged_away_is_not_reopened_by_a_return(merged, cadre_a) -> None:
    wang = Person.objects.get(name="王强")
    with pytest.raises(BadRequest) as exc:
        file(
            cadre_a,
            "add_member",
            {"name": "王强", "id_number": wang.id_number, "relation": "户主", "cause": "return"},
            household="A002",
        )
    assert exc.value.code == "household_closed"


def test_merging_away_a_duplicate_registration_closes_its_household(
    households, cadre_a, officers
) -> None:
    keep, drop = Person.objects.get(name="唐俊"), Person.objects.get(name="王强")
    req = file(cadre_a, "merge_people", {"keep_id": keep.pk, "drop_id": drop.pk}, household="A002")
    approve_all(req, *officers)
    h = Household.objects.get(household_no="A002")
    assert (h.closed_reason, h.closed_into) == ("merged", "A001")


def test_the_member_status_form_closes_a_household_left_empty(households, county_officer) -> None:
    h = Household.objects.get(household_no="A002")
    wang = Person.objects.get(name="王强")
    services.change_member_status(
        household=h, person_id=wang.pk, status="died", on=dt.date(2024, 5, 1), by=county_officer
    )
    h.refresh_from_db()
    assert (h.closed_on, h.closed_reason) == (dt.date(2024, 5, 1), "no_members")


def test_the_member_status_form_writes_history(households, county_officer) -> None:
    h = Household.objects.get(household_no="A002")
    wang = Person.objects.get(name="王强")
    services.change_member_status(
        household=h, person_id=wang.pk, status="died", on=dt.date(2024, 5, 1), by=county_officer
    )
    whats = list(
        HistoryEvent.objects.filter(household_no="A002", source="status").values_list(
            "what", flat=True
        )
    )
    assert whats == ["remove_member", "closed"]


def test_the_member_status_form_reopens_on_a_return(households, county_officer) -> None:
    h = Household.objects.get(household_no="A002")
    wang = Person.objects.get(name="王强")
    for status in ("moved_out", "present"):
        services.change_member_status(
            household=h, person_id=wang.pk, status=status, on=dt.date(2024, 5, 1), by=county_officer
        )
    h.refresh_from_db()
    assert h.closed_on is None


def test_the_member_status_form_cannot_mark_a_merge(households, county_officer) -> None:
    h = Household.objects.get(household_no="A001")
    daughter = Person.objects.get(name="朱婷婷")
    with pytest.raises(BadStatusChange) as exc:
        services.change_member_status(
            household=h,
            person_id=daughter.pk,
            status="merged",
            on=dt.date(2024, 5, 1),
            by=county_officer,
        )
    assert exc.value.code == "bad_member_status"
    assert Person.objects.get(pk=daughter.pk).status == "present"


def test_an_import_of_a_closed_household_is_rejected(merged, write_csv) -> None:
    rows = [person_row("A002", "王二", seq=81, relation="户主")]
    report = services.import_registry(path=write_csv(rows, name="again.csv"))
    assert [e.code for e in report.errors] == ["household_closed"]
    assert not Person.objects.filter(name="王二").exists()


def test_the_annual_review_leaves_closed_households_out(merged, county_officer) -> None:
    rnd = review.open_review(county=COUNTY, year=2024, line_fen=400_000, by=county_officer)
    numbers = set(
        ReviewItem.objects.filter(round=rnd).values_list("household__household_no", flat=True)
    )
    assert "A002" not in numbers and "A001" in numbers


def _count(code: str) -> int:
    group = indicators.get(code).group  # type: ignore[union-attr]
    tomorrow = timezone.localdate() + dt.timedelta(days=1)
    return group("", 0, dt.date(2024, 1, 1), tomorrow)[""]


def test_the_household_count_leaves_out_a_closed_household(households, cadre_a, officers) -> None:
    assert _count("registry.households") == 4
    _remove_wang(cadre_a, officers, timezone.localdate())
    assert _count("registry.households") == 3


def test_the_people_count_leaves_out_those_who_left(households, cadre_a, officers) -> None:
    assert _count("registry.people") == 7
    _remove_wang(cadre_a, officers, timezone.localdate())
    assert _count("registry.people") == 6


def _client(user) -> Client:  # type: ignore[no-untyped-def]
    c = Client()
    c.force_login(user)
    return c


def test_the_list_page_leaves_a_closed_household_out(merged, cadre_a) -> None:
    page = _client(cadre_a).get("/registry/households/").content.decode()
    assert "/registry/households/A001/" in page
    assert "/registry/households/A002/" not in page


def test_the_list_page_shows_closed_households_on_asking(merged, cadre_a) -> None:
    page = _client(cadre_a).get("/registry/households/?closed=1").content.decode()
    assert "/registry/households/A002/" in page
    assert "/registry/households/A001/" not in page


def test_the_household_page_says_where_it_went(merged, cadre_a) -> None:
    page = _client(cadre_a).get("/registry/households/A002/").content.decode()
    assert "已销户" in page and 'href="/registry/households/A001/"' in page
    assert "/registry/households/A002/requests/new/" not in page


def test_the_api_lists_households_in_the_register(merged, cadre_a) -> None:
    body = _client(cadre_a).get("/api/v1/households").json()
    assert [h["household_no"] for h in body["results"]] == ["A001"]


def test_the_api_lists_closed_households_on_asking(merged, cadre_a) -> None:
    body = _client(cadre_a).get("/api/v1/households?closed=true").json()
    assert [(h["household_no"], h["closed_into"]) for h in body["results"]] == [("A002", "A001")]


def test_the_api_shows_a_closed_household_by_its_number(merged, cadre_a) -> None:
    body = _client(cadre_a).get("/api/v1/households/A002").json()
    assert (body["closed_reason"], body["closed_on"]) == ("merged", str(timezone.localdate()))
