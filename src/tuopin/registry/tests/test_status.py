"""Status changes: allowed transitions only, reason required, history kept, scoped."""

from __future__ import annotations

import datetime as dt

import pytest
from django.test import Client

from tuopin.accounts import services as accounts
from tuopin.core.errors import PermissionDenied
from tuopin.registry import services
from tuopin.registry.errors import BadStatusChange, HouseholdNotFound
from tuopin.registry.models import Household, Person, StatusChange

pytestmark = pytest.mark.usefixtures("households")


def test_lifting_a_household_keeps_who_when_why(county_officer) -> None:  # type: ignore[no-untyped-def]
    h = Household.objects.get(household_no="A001")
    services.change_status(
        household=h, to_status="lifted", year=2018, reason="产业增收", by=county_officer
    )
    h.refresh_from_db()
    assert (h.status, h.status_year) == ("lifted", 2018)
    last = h.status_changes.order_by("-id").first()
    assert (last.from_status, last.to_status, last.reason, last.by) == (
        "poor",
        "lifted",
        "产业增收",
        county_officer,
    )


@pytest.mark.parametrize(("start", "target"), [("poor", "returned"), ("lifted", "poor")])
def test_transitions_outside_the_table_are_refused(county_officer, start: str, target: str) -> None:  # type: ignore[no-untyped-def]
    h = Household.objects.get(household_no="A001" if start == "poor" else "A002")
    before = StatusChange.objects.count()
    with pytest.raises(BadStatusChange):
        services.change_status(
            household=h, to_status=target, year=2018, reason="x", by=county_officer
        )
    assert StatusChange.objects.count() == before


def test_reason_is_required(county_officer) -> None:  # type: ignore[no-untyped-def]
    h = Household.objects.get(household_no="A001")
    with pytest.raises(BadStatusChange) as exc:
        services.change_status(
            household=h, to_status="lifted", year=2018, reason="  ", by=county_officer
        )
    assert exc.value.code == "reason_required"
    h.refresh_from_db()
    assert h.status == "poor"


def test_status_history_is_append_only() -> None:
    change = StatusChange.objects.first()
    assert change is not None
    change.reason = "rewritten"
    with pytest.raises(ValueError):
        change.save()


def test_page_form_changes_status_and_cadre_cannot(client: Client, county_officer, cadre_a) -> None:  # type: ignore[no-untyped-def]
    client.force_login(county_officer)
    page = client.get("/registry/households/A002/").content.decode()
    assert 'name="to_status"' in page and 'value="returned"' in page
    client.post(
        "/registry/households/A002/status/",
        {"to_status": "returned", "year": "2019", "reason": "因病返贫"},
    )
    assert Household.objects.get(household_no="A002").status == "returned"
    client.force_login(cadre_a)
    assert (
        client.post(
            "/registry/households/A001/status/", {"to_status": "lifted", "reason": "x"}
        ).status_code
        == 403
    )


def test_api_status_change_answers_errors_as_json(client: Client, county_officer, cadre_a) -> None:  # type: ignore[no-untyped-def]
    token = accounts.issue_token(username=county_officer.username)
    auth = {"HTTP_AUTHORIZATION": f"Bearer {token}"}
    ok = client.post(
        "/api/v1/households/A001/status",
        {"to_status": "lifted", "year": 2018, "reason": "务工"},
        content_type="application/json",
        **auth,
    )
    assert ok.status_code == 200 and ok.json()["to_status"] == "lifted"
    bad = client.post(
        "/api/v1/households/A001/status",
        {"to_status": "poor", "reason": "x"},
        content_type="application/json",
        **auth,
    )
    assert bad.status_code == 400 and bad.json()["code"] == "bad_status_change"
    hidden = client.post(
        "/api/v1/households/C001/status",
        {"to_status": "lifted", "reason": "x"},
        content_type="application/json",
        **auth,
    )
    assert hidden.status_code == 404
    cadre = {"HTTP_AUTHORIZATION": f"Bearer {accounts.issue_token(username=cadre_a.username)}"}
    denied = client.post(
        "/api/v1/households/A002/status",
        {"to_status": "returned", "reason": "x"},
        content_type="application/json",
        **cadre,
    )
    assert denied.status_code == 403


# -- the services check their actor, whoever calls them -------------------------------------


def test_a_cadre_cannot_change_a_status_through_the_service(cadre_a) -> None:  # type: ignore[no-untyped-def]
    h = Household.objects.get(household_no="A001")
    with pytest.raises(PermissionDenied):
        services.change_status(household=h, to_status="lifted", year=2018, reason="x", by=cadre_a)
    h.refresh_from_db()
    assert h.status == "poor" and not h.status_changes.filter(reason="x").exists()


def test_an_officer_cannot_change_a_household_of_another_county(county_officer) -> None:  # type: ignore[no-untyped-def]
    h = Household.objects.get(household_no="C001")
    with pytest.raises(HouseholdNotFound):
        services.change_status(
            household=h, to_status="lifted", year=2018, reason="x", by=county_officer
        )
    h.refresh_from_db()
    assert h.status == "poor"


def test_an_observer_cannot_record_a_member_exit(observer) -> None:  # type: ignore[no-untyped-def]
    person = Person.objects.get(name="朱明")
    with pytest.raises(PermissionDenied):
        services.change_member_status(
            household=person.household,
            person_id=person.pk,
            status="died",
            on=dt.date(2020, 1, 1),
            by=observer,
        )
    person.refresh_from_db()
    assert person.status == "present"


def test_an_officer_cannot_record_a_member_exit_in_another_county(county_officer) -> None:  # type: ignore[no-untyped-def]
    person = Person.objects.get(name="赵刚")
    with pytest.raises(HouseholdNotFound):
        services.change_member_status(
            household=person.household,
            person_id=person.pk,
            status="moved_out",
            on=dt.date(2020, 1, 1),
            by=county_officer,
        )
    person.refresh_from_db()
    assert person.status == "present"


# -- bad input is a 4xx with the JSON error shape, never a 500 --------------------------------


@pytest.mark.parametrize("year", [1e20, 70000, 1800, -1])
def test_the_api_refuses_an_impossible_year(client: Client, county_officer, year: object) -> None:  # type: ignore[no-untyped-def]
    token = accounts.issue_token(username=county_officer.username)
    response = client.post(
        "/api/v1/households/A001/status",
        {"to_status": "lifted", "year": year, "reason": "x"},
        content_type="application/json",
        HTTP_AUTHORIZATION=f"Bearer {token}",
    )
    assert response.status_code == 422
    assert set(response.json()) == {"code", "message", "detail"}
    assert Household.objects.get(household_no="A001").status == "poor"


def test_the_api_refuses_an_unknown_status(client: Client, county_officer) -> None:  # type: ignore[no-untyped-def]
    token = accounts.issue_token(username=county_officer.username)
    response = client.post(
        "/api/v1/households/A001/status",
        {"to_status": "bogus", "reason": "x"},
        content_type="application/json",
        HTTP_AUTHORIZATION=f"Bearer {token}",
    )
    assert response.status_code == 422
    assert response.json()["code"] == "invalid"


@pytest.mark.parametrize(
    ("to_status", "year", "code"),
    [("bogus", 2018, "bad_to_status"), ("lifted", 70000, "bad_year"), ("lifted", 1800, "bad_year")],
)
def test_the_service_refuses_bad_input_itself(
    county_officer, to_status: str, year: int, code: str
) -> None:  # type: ignore[no-untyped-def]
    h = Household.objects.get(household_no="A001")
    with pytest.raises(BadStatusChange) as exc:
        services.change_status(
            household=h, to_status=to_status, year=year, reason="x", by=county_officer
        )
    assert exc.value.code == code
    h.refresh_from_db()
    assert h.status == "poor"


@pytest.mark.parametrize("year", ["70000", "²⁰²⁰", "9" * 5000])
def test_the_page_answers_a_bad_year_with_a_message(
    client: Client, county_officer, year: str
) -> None:  # type: ignore[no-untyped-def]
    client.force_login(county_officer)
    response = client.post(
        "/registry/households/A001/status/",
        {"to_status": "lifted", "year": year, "reason": "x"},
        follow=True,
    )
    assert response.status_code == 200
    assert "年度应在" in response.content.decode()
    assert Household.objects.get(household_no="A001").status == "poor"


@pytest.mark.parametrize("person", ["abc", "9" * 30, "", "²"])
def test_the_member_page_answers_a_bad_person_as_not_found(
    client: Client,
    county_officer,  # type: ignore[no-untyped-def]
    person: str,
) -> None:
    client.force_login(county_officer)
    response = client.post(
        "/registry/households/A001/members/",
        {"person": person, "status": "died", "on": "2020-01-01"},
    )
    assert response.status_code == 404
