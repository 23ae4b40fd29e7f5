"""Status changes: allowed transitions only, reason required, history kept, scoped."""

from __future__ import annotations

import pytest
from django.test import Client

from tuopin.accounts import services as accounts
from tuopin.registry import services
from tuopin.registry.errors import BadStatusChange
from tuopin.registry.models import Household, StatusChange

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
