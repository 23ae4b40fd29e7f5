"""The pages: the county page with the forecast chart and back-test, the run and plan pages,
the cooperative's page with its lot forms, the household's phone page and the registry's
household page panel; scope on each."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from tuopin.commerce.models import Supplier
from tuopin.conftest import COUNTY
from tuopin.farming import planning, procurement, services
from tuopin.farming.models import Delivery, LotStatus

pytestmark = pytest.mark.usefixtures("land")
TERMS = planning.Terms(2019, 1200, 680, 360, 450, 80, 40_000)


@pytest.fixture
def signed(county_officer: Any, coop_user: Any, run: Any, coop: Supplier) -> Any:
    plan = planning.make_plan(by=county_officer, run_id=run.pk, county_code=COUNTY, terms=TERMS)
    contract = services.create_contract(
        by=county_officer, plan_id=plan.pk, supplier_id=coop.pk, quantity_kg=1000,
        grades=[services.Grade("一级", 680)], market_source="县农贸市场",
        delivery_from=dt.date(2019, 9, 1), delivery_until=dt.date(2030, 1, 1),
    )  # fmt: skip
    services.record_market_price(
        by=county_officer, product_id=plan.product_id, on=dt.date(2019, 9, 1), fen_per_kg=360,
        source="市场",
    )  # fmt: skip
    hc = services.sign_household_contract(
        by=coop_user, contract_id=contract.pk, household_no="A001", quantity_kg=500,
        area_centi_mu=200,
    )  # fmt: skip
    return plan, hc


def client_for(user: Any) -> Client:
    c = Client()
    c.force_login(user)
    return c


def test_the_county_page_shows_the_forecast_chart_and_back_test(
    county_officer: Any, signed: Any
) -> None:
    r = client_for(county_officer).get(reverse("farming:county", args=[COUNTY]))
    assert r.status_code == 200
    html = r.content.decode()
    assert "<polygon" in html and "MASE" in html and "巴东红米" in html
    assert "400.00 → —" in html  # income per 亩 before; nothing paid yet


def test_an_officer_starts_a_forecast_from_the_county_page(
    county_officer: Any, rice: Any, django_capture_on_commit_callbacks: Any
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        r = client_for(county_officer).post(
            reverse("farming:county", args=[COUNTY]),
            {"action": "forecast", "product_id": rice.pk},
        )
    assert r.status_code == 302 and "/farming/forecasts/" in r["Location"]
    page = client_for(county_officer).get(r["Location"])
    assert "AutoETS" in page.content.decode()


def test_the_plan_page_lists_the_households_areas(county_officer: Any, signed: Any) -> None:
    plan, _hc = signed
    r = client_for(county_officer).get(reverse("farming:plan", args=[plan.pk]))
    assert r.status_code == 200 and "A002" in r.content.decode()


def test_the_cooperative_weighs_and_grades_on_its_page(
    coop_user: Any, coop: Supplier, signed: Any
) -> None:
    _plan, hc = signed
    c = client_for(coop_user)
    url = reverse("farming:lot", args=[coop.pk])
    c.post(url, {"action": "weigh", "household_contract": hc.pk, "weight_kg": "12.5",
                 "delivered_on": "2019-10-01"})  # fmt: skip
    d = Delivery.objects.get()
    assert d.weight_g == 12_500
    c.post(url, {"action": "grade", "delivery": d.pk, "grade": "一级", "accepted_kg": "12"})
    d.refresh_from_db()
    assert (d.status, d.accepted_g) == (LotStatus.GRADED, 12_000)
    assert c.get(reverse("farming:cooperative", args=[coop.pk])).status_code == 200


def test_the_household_page_shows_lots_and_lets_the_cadre_appeal(
    cadre_a: Any, coop_user: Any, signed: Any
) -> None:
    _plan, hc = signed
    d = procurement.record_delivery(
        by=coop_user, household_contract_id=hc.pk, weight_g=1000, delivered_on=dt.date(2019, 10, 1)
    )
    procurement.grade_delivery(by=coop_user, delivery_id=d.pk, grade="一级", accepted_g=900)
    c = client_for(cadre_a)
    page = c.get(reverse("farming:household", args=["A001"]))
    assert page.status_code == 200 and "申诉" in page.content.decode()
    c.post(reverse("farming:appeal", args=["A001"]), {"delivery": d.pk, "reason": "应为一级全收"})
    d.refresh_from_db()
    assert d.status == LotStatus.APPEALED


def test_the_registry_household_page_has_the_farming_panel(cadre_a: Any, signed: Any) -> None:
    r = client_for(cadre_a).get(reverse("registry:household", args=["A001"]))
    assert "订单农业" in r.content.decode()


def test_a_cadre_of_another_village_does_not_see_the_household(cadre_b: Any, signed: Any) -> None:
    r = client_for(cadre_b).get(reverse("farming:household", args=["A001"]))
    assert r.status_code == 404
