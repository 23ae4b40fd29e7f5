"""The officer's siting pages: ask for a plan, read it, export it, add a candidate site."""

from __future__ import annotations

from io import BytesIO

import pytest
from django.test import Client
from django.urls import reverse
from openpyxl import load_workbook

from tuopin.childcare.models import CandidateSite, SitingPlan
from tuopin.conftest import COUNTY, VILLAGE_A

from .conftest import ON

pytestmark = pytest.mark.usefixtures("young_families")


@pytest.fixture
def officer_client(county_officer) -> Client:  # type: ignore[no-untyped-def]
    client = Client()
    client.force_login(county_officer)
    return client


@pytest.fixture
def done_plan(officer_client: Client, django_capture_on_commit_callbacks) -> SitingPlan:  # type: ignore[no-untyped-def]
    with django_capture_on_commit_callbacks(execute=True):
        officer_client.post(
            reverse("childcare:plans"),
            {"county": COUNTY, "centres": 2, "radius_m": 1000, "min_children": 10, "on": ON},
        )
    return SitingPlan.objects.get()


def test_the_form_offers_only_the_officers_county(officer_client: Client) -> None:
    body = officer_client.get(reverse("childcare:plans")).content.decode()
    assert f'value="{COUNTY}"' in body and "621102000000" not in body


def test_asking_for_a_plan_shows_its_answer(officer_client: Client, done_plan: SitingPlan) -> None:
    body = officer_client.get(reverse("childcare:plan", args=[done_plan.pk])).content.decode()
    assert "12 / 19" in body and "溪丘湾村" in body and "无坐标村" in body and "<svg" in body


def test_a_bad_radius_is_answered_on_the_form(officer_client: Client) -> None:
    page = officer_client.post(
        reverse("childcare:plans"),
        {"county": COUNTY, "centres": 2, "radius_m": 50_000, "min_children": 10, "on": ON},
    )
    assert page.status_code == 200 and not SitingPlan.objects.exists()
    assert "20000" in page.content.decode()


def test_the_export_is_a_workbook_of_the_sites(
    officer_client: Client, done_plan: SitingPlan
) -> None:
    response = officer_client.get(reverse("childcare:plan_export", args=[done_plan.pk]))
    wb = load_workbook(BytesIO(response.content))
    rows = list(wb["场地"].iter_rows(values_only=True))
    assert rows[1][1] == VILLAGE_A and rows[1][5] == 12


def test_another_countys_officer_finds_no_plan(done_plan: SitingPlan, operator) -> None:  # type: ignore[no-untyped-def]
    from tuopin.accounts import roles
    from tuopin.accounts import services as accounts

    other = accounts.create_user(
        username="dingxi", role=roles.COUNTY_OFFICER, area_codes=["621102000000"]
    )
    client = Client()
    client.force_login(other)
    assert client.get(reverse("childcare:plan", args=[done_plan.pk])).status_code == 404


def test_an_officer_adds_a_candidate_site(officer_client: Client) -> None:
    officer_client.post(
        reverse("childcare:add_site"),
        {
            "county": COUNTY,
            "name": "溪丘湾小学",
            "kind": "school",
            "village": VILLAGE_A,
            "longitude": "110.312",
            "latitude": "31.011",
        },
    )
    assert CandidateSite.objects.get().name == "溪丘湾小学"


def test_a_site_far_from_its_village_is_refused(officer_client: Client) -> None:
    page = officer_client.post(
        reverse("childcare:add_site"),
        {
            "county": COUNTY,
            "name": "错坐标",
            "kind": "school",
            "village": VILLAGE_A,
            "longitude": "100.0",
            "latitude": "31.0",
        },
        follow=True,
    )
    assert "请核对经纬度" in page.content.decode() and not CandidateSite.objects.exists()


def test_a_cadre_cannot_add_a_site(cadre_a) -> None:  # type: ignore[no-untyped-def]
    client = Client()
    client.force_login(cadre_a)
    response = client.post(reverse("childcare:add_site"), {"county": COUNTY})
    assert response.status_code == 403 and not CandidateSite.objects.exists()


def test_the_api_answers_with_the_plan(county_officer) -> None:  # type: ignore[no-untyped-def]
    client = Client()
    client.force_login(county_officer)
    made = client.post(
        "/api/v1/childcare/plans",
        {"county": "422823", "centres": 1, "on": ON.isoformat()},
        content_type="application/json",
    )
    assert made.status_code == 202
    plan = client.get(f"/api/v1/childcare/plans/{made.json()['id']}").json()
    assert plan["county"] == COUNTY and plan["centres"] == 1
