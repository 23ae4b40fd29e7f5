"""Work for poor people: wages per piece paid as ledger entries, only the project's partner
approves, the household page shows the income; partners see only their projects."""

from __future__ import annotations

import json
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone

from tuopin.accounts import roles
from tuopin.accounts import services as accounts
from tuopin.accounts.models import User
from tuopin.forest import certify, selectors, work
from tuopin.forest.errors import BadWork, ProjectNotFound, WorkNotFound
from tuopin.forest.models import Project
from tuopin.ledger.models import Entry
from tuopin.registry.models import Person

from .conftest import make_project

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("households")]


def hire(officer: User, name: str = "唐俊", basis: str = "piece", rate: int = 150):  # type: ignore[no-untyped-def]
    person = Person.objects.get(name=name)
    return work.hire(
        by=officer,
        project_slug="guanba",
        person_id=person.pk,
        kind="plant",
        basis=basis,
        rate_fen=rate,
    )


def test_a_wage_is_pieces_times_rate_and_paid_on_the_ledger(
    area: Project, county_officer: User, partner: User
) -> None:
    order = hire(county_officer)
    log = work.record_work(by=partner, order_id=order.pk, on=timezone.localdate(), quantity=40)
    assert log.wage_fen == 6000
    paid = work.approve_work(by=partner, log_id=log.pk)
    body = json.loads(bytes(Entry.objects.get(index=paid.ledger_index).data))
    assert body["amount_fen"] == 6000 and body["subject"] == "forest.wage"
    assert "唐俊" not in json.dumps(body, ensure_ascii=False)
    again = work.approve_work(by=partner, log_id=log.pk)
    assert again.ledger_index == paid.ledger_index


def test_only_the_projects_partner_approves(
    area: Project, county_officer: User, partner: User
) -> None:
    other = accounts.create_user(username="other_partner", role=roles.PARTNER)
    order = hire(county_officer)
    log = work.record_work(by=partner, order_id=order.pk, on=timezone.localdate(), quantity=1)
    with pytest.raises(WorkNotFound):
        work.approve_work(by=other, log_id=log.pk)


def test_a_person_of_another_county_is_not_hired(area: Project, operator: User) -> None:
    with pytest.raises(BadWork) as e:
        hire(operator, name="赵刚")
    assert e.value.code == "person_not_in_county"


def test_a_partner_sees_only_their_projects(area: Project, operator: User, partner: User) -> None:
    other = accounts.create_user(username="other_partner", role=roles.PARTNER)
    make_project(operator, slug="hongliu", kind="tree", species="红柳", partner=other)
    assert [p.slug for p in selectors.projects_for(partner)] == ["guanba"]
    with pytest.raises(ProjectNotFound):
        selectors.get_project_for(partner, "hongliu")


def test_the_household_page_shows_the_wages(
    area: Project, county_officer: User, partner: User
) -> None:
    order = hire(county_officer)
    log = work.record_work(by=partner, order_id=order.pk, on=timezone.localdate(), quantity=40)
    work.approve_work(by=partner, log_id=log.pk)
    client = Client()
    client.force_login(county_officer)
    html = client.get("/registry/households/A001/").content.decode()
    assert "生态岗位工资" in html and "60" in html


def test_a_replayed_action_over_http_answers_200_and_a_changed_body_409(
    partner: User, green: User, action_types: None
) -> None:
    token = accounts.issue_token(username=partner.username)
    client = Client(HTTP_AUTHORIZATION=f"Bearer {token}")
    body: dict[str, Any] = {
        "key": "t-1",
        "user": "green",
        "type": "bus",
        "units": 1,
        "at": timezone.now().isoformat(),
    }
    url = "/api/v1/forest/actions"
    assert client.post(url, body, content_type="application/json").status_code == 201
    assert client.post(url, body, content_type="application/json").status_code == 200
    changed = client.post(url, body | {"units": 2}, content_type="application/json")
    assert changed.status_code == 409
    assert changed.json()["code"] == "idempotency_key_reused"


def test_adopting_over_http_answers_201_then_200_and_409_when_sold_out(
    operator: User, green: User, give_energy: Any
) -> None:
    make_project(operator, units_total=1, shards=1)
    give_energy(green, 160)
    token = accounts.issue_token(username="green")
    client = Client(HTTP_AUTHORIZATION=f"Bearer {token}")
    url = "/api/v1/forest/projects/guanba/adoptions"
    first = client.post(url, {"units": 1, "key": "h1"}, content_type="application/json")
    assert first.status_code == 201 and first.json()["number"].startswith("LS")
    again = client.post(url, {"units": 1, "key": "h1"}, content_type="application/json")
    assert again.status_code == 200
    sold = client.post(url, {"units": 1, "key": "h2"}, content_type="application/json")
    assert sold.status_code == 409 and sold.json()["code"] == "sold_out"
    url = f"/api/v1/forest/certificates/{first.json()['url'].split('/')[-2]}"
    assert first.json()["pending"] and Client().get(url).json()["matches_ledger"] is False
    certify.certify_all()
    cert = Client().get(url).json()
    assert cert["matches_ledger"] is True and not cert["pending"]


def _api(user: User) -> Client:
    return Client(HTTP_AUTHORIZATION=f"Bearer {accounts.issue_token(username=user.username)}")


def test_the_api_hires_records_and_the_partner_approves(
    area: Project, county_officer: User, partner: User
) -> None:
    person = Person.objects.get(name="唐俊")
    hired = _api(county_officer).post(
        "/api/v1/forest/projects/guanba/work-orders",
        {"person_id": person.pk, "kind": "plant", "basis": "piece", "rate_fen": 150},
        content_type="application/json",
    )
    assert hired.status_code == 201 and hired.json()["rate_fen"] == 150
    url = f"/api/v1/forest/work-orders/{hired.json()['id']}/logs"
    body = {"on": timezone.localdate().isoformat(), "quantity": 40}
    logged = _api(partner).post(url, body, content_type="application/json")
    assert logged.status_code == 201 and logged.json()["wage_fen"] == 6000
    assert not logged.json()["approved"]
    approved = _api(partner).post(f"/api/v1/forest/work/{logged.json()['id']}/approval")
    assert approved.status_code == 200 and approved.json()["ledger_index"] is not None


def test_the_api_shows_a_partner_only_their_projects_work(
    area: Project, county_officer: User, partner: User
) -> None:
    order = hire(county_officer)
    other = accounts.create_user(username="other_partner", role=roles.PARTNER)
    url = "/api/v1/forest/projects/guanba/work-orders"
    assert [o["id"] for o in _api(partner).get(url).json()] == [order.pk]
    assert _api(other).get(url).status_code == 404
    logs = f"/api/v1/forest/work-orders/{order.pk}/logs"
    body = {"on": timezone.localdate().isoformat(), "quantity": 1}
    refused = _api(other).post(logs, body, content_type="application/json")
    assert refused.status_code == 404 and not order.logs.exists()


def test_the_api_refuses_a_bad_hire_with_its_reason(area: Project, county_officer: User) -> None:
    person = Person.objects.get(name="唐俊")
    refused = _api(county_officer).post(
        "/api/v1/forest/projects/guanba/work-orders",
        {"person_id": person.pk, "kind": "plant", "basis": "piece", "rate_fen": -5},
        content_type="application/json",
    )
    assert refused.status_code == 400 and refused.json()["code"] == "bad_rate"
    assert not area.work_orders.exists()
