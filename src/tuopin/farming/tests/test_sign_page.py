"""The cooperative page's form to sign a member household's part of a contract: through the
service (members only, within the household's land), bad input refused with nothing written."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from tuopin.commerce.models import Supplier
from tuopin.conftest import COUNTY
from tuopin.farming import planning, services
from tuopin.farming.models import HouseholdContract

pytestmark = pytest.mark.usefixtures("land")
TERMS = planning.Terms(2019, 1200, 680, 360, 450, 80, 40_000)


@pytest.fixture
def contract(county_officer: Any, run: Any, coop: Supplier) -> Any:
    plan = planning.make_plan(by=county_officer, run_id=run.pk, county_code=COUNTY, terms=TERMS)
    return services.create_contract(
        by=county_officer, plan_id=plan.pk, supplier_id=coop.pk, quantity_kg=1000,
        grades=[services.Grade("一级", 680)], market_source="县农贸市场",
        delivery_from=dt.date(2019, 9, 1), delivery_until=dt.date(2030, 1, 1),
    )  # fmt: skip


def post(user: Any, coop: Supplier, **form: str) -> Any:
    c = Client()
    c.force_login(user)
    return c.post(reverse("farming:sign", args=[coop.pk]), form, follow=True)


def test_it_shows_the_form_with_the_members_and_their_land(
    coop_user: Any, coop: Supplier, contract: Any
) -> None:
    c = Client()
    c.force_login(coop_user)
    html = c.get(reverse("farming:cooperative", args=[coop.pk])).content.decode()
    assert 'name="area_mu"' in html
    assert "A002 · 耕地 3.00 亩" in html


def test_it_signs_a_members_part_with_its_area_and_advance(
    coop_user: Any, coop: Supplier, contract: Any
) -> None:
    r = post(
        coop_user, coop, contract=str(contract.pk), household_no="A002", quantity_kg="300",
        area_mu="1.5", advance_yuan="100.50",
    )  # fmt: skip
    hc = HouseholdContract.objects.get(household__household_no="A002")
    assert (hc.quantity_kg, hc.area_centi_mu, hc.advance_fen) == (300, 150, 10050)
    assert hc.ledger_index is not None
    assert "已为 A002 签订 300 公斤、1.5 亩" in r.content.decode()


def test_it_refuses_an_area_beyond_the_households_land(
    coop_user: Any, coop: Supplier, contract: Any
) -> None:
    r = post(
        coop_user, coop, contract=str(contract.pk), household_no="A002", quantity_kg="300",
        area_mu="3.01",
    )  # fmt: skip
    assert "超过该户耕地" in r.content.decode()
    assert not HouseholdContract.objects.exists()


def test_it_refuses_a_household_that_is_not_a_member(
    coop_user: Any, coop: Supplier, contract: Any
) -> None:
    r = post(
        coop_user, coop, contract=str(contract.pk), household_no="C001", quantity_kg="300",
        area_mu="1",
    )  # fmt: skip
    assert "不是本合作社社员" in r.content.decode()
    assert not HouseholdContract.objects.exists()


@pytest.mark.parametrize(
    ("field", "value", "says"),
    [
        ("area_mu", "1.005", "面积无效"),
        ("advance_yuan", "-5", "预付款无效"),
        ("area_mu", "abc", "面积无效"),
    ],
)
def test_it_refuses_bad_figures_and_writes_nothing(
    coop_user: Any, coop: Supplier, contract: Any, field: str, value: str, says: str
) -> None:
    form = {"contract": str(contract.pk), "household_no": "A002", "quantity_kg": "300",
            "area_mu": "1"} | {field: value}  # fmt: skip
    r = post(coop_user, coop, **form)
    assert says in r.content.decode()
    assert not HouseholdContract.objects.exists()


def test_it_refuses_a_contract_of_no_choice(coop_user: Any, coop: Supplier, contract: Any) -> None:
    r = post(coop_user, coop, contract="0", household_no="A002", quantity_kg="3", area_mu="1")
    assert "请选择本合作社的订单合同" in r.content.decode()
    assert not HouseholdContract.objects.exists()


def test_a_county_officer_may_not_sign_for_the_cooperative(
    county_officer: Any, coop: Supplier, contract: Any
) -> None:
    c = Client()
    c.force_login(county_officer)
    r = c.post(
        reverse("farming:sign", args=[coop.pk]),
        {"contract": str(contract.pk), "household_no": "A002", "quantity_kg": "3", "area_mu": "1"},
    )
    assert r.status_code == 403
    assert not HouseholdContract.objects.exists()
