"""From plan to payment: the plan within land and demand, the herd guard on contracts, a
household's contract within its land, delivery, grading, appeals, payment = Σ accepted kg ×
max(floor, market) − advances with its ledger entry, and scoping."""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

import pytest

from tuopin.commerce.models import Supplier
from tuopin.conftest import COUNTY
from tuopin.farming import planning, procurement, services
from tuopin.farming.errors import (
    BadContract,
    BadDelivery,
    BadPayment,
    FarmingNotFound,
    HerdPlanting,
)
from tuopin.farming.models import LotStatus, PlanShare
from tuopin.ledger.models import Entry

SEASON = 2019
TERMS = planning.Terms(SEASON, 1200, 680, 360, 450, 80)
D1 = dt.date(2019, 10, 10)
LATER = dt.date(2019, 12, 1)  # after every appeal window

pytestmark = pytest.mark.usefixtures("land")


@pytest.fixture
def plan(county_officer: Any, run: Any) -> Any:
    return planning.make_plan(by=county_officer, run_id=run.pk, county_code=COUNTY, terms=TERMS)


def contract_for(by: Any, plan: Any, coop: Supplier, kg: int = 1000) -> Any:
    return services.create_contract(
        by=by,
        plan_id=plan.pk,
        supplier_id=coop.pk,
        quantity_kg=kg,
        grades=[services.Grade("一级", 680), services.Grade("二级", 560)],
        market_source="元阳县农贸市场",
        delivery_from=dt.date(2019, 9, 1),
        delivery_until=dt.date(2019, 11, 30),
        appeal_days=7,
    )


@pytest.fixture
def hc(county_officer: Any, coop_user: Any, plan: Any, coop: Supplier) -> Any:
    contract = contract_for(county_officer, plan, coop)
    for on, price in ((dt.date(2019, 9, 1), 360), (dt.date(2019, 10, 15), 720)):
        services.record_market_price(
            by=county_officer, product_id=plan.product_id, on=on, fen_per_kg=price, source="市场"
        )
    return services.sign_household_contract(
        by=coop_user,
        contract_id=contract.pk,
        household_no="A001",
        quantity_kg=900,
        area_centi_mu=250,
        advance_fen=20_000,
    )


def graded(by: Any, hc: Any, grams: int, on: dt.date, grade: str = "一级") -> Any:
    d = procurement.record_delivery(
        by=by, household_contract_id=hc.pk, weight_g=grams, delivered_on=on
    )
    return procurement.grade_delivery(by=by, delivery_id=d.pk, grade=grade, accepted_g=grams, on=on)


def test_the_plan_is_the_newsvendor_quantity_and_its_area(plan: Any) -> None:
    assert plan.critical_ratio == pytest.approx(520 / 840)
    assert plan.newsvendor_kg > plan.demand_mean_kg  # ratio above one half
    assert plan.quantity_kg == plan.newsvendor_kg  # no other county yet
    assert plan.area_centi_mu == -(-plan.quantity_kg * 100 // 360)  # 450 kg × 80 %


def test_the_plan_is_split_within_each_households_land(plan: Any) -> None:
    shares = {
        s.household.household_no: s.area_centi_mu
        for s in PlanShare.objects.filter(plan=plan).select_related("household")
    }
    assert shares == {"A001": 500, "A002": 300, "B001": 400}  # all land, and more wanted
    assert plan.unplaced_centi_mu == plan.area_centi_mu - 1200


def test_a_contract_beyond_the_forecast_demand_is_refused_as_herd_planting(
    county_officer: Any, plan: Any, coop: Supplier
) -> None:
    contract_for(county_officer, plan, coop, kg=plan.newsvendor_kg - 10)
    with pytest.raises(HerdPlanting) as e:
        contract_for(county_officer, plan, coop, kg=11)
    assert e.value.detail == {"excess_kg": 1, "room_kg": 10}


def test_a_plan_after_other_counties_contracts_gets_only_the_room(
    county_officer: Any, plan: Any, coop: Supplier, run: Any
) -> None:
    from tuopin.farming.models import Contract

    Contract.objects.filter(pk=contract_for(county_officer, plan, coop, kg=5000).pk).update(
        county_code="532528000000"  # 元阳: another county contracted for the product
    )
    again = planning.make_plan(by=county_officer, run_id=run.pk, county_code=COUNTY, terms=TERMS)
    assert again.other_counties_kg == 5000
    assert again.quantity_kg == again.newsvendor_kg - 5000


def test_a_household_contract_beyond_its_land_is_refused(
    county_officer: Any, coop_user: Any, plan: Any, coop: Supplier
) -> None:
    contract = contract_for(county_officer, plan, coop)
    with pytest.raises(BadContract) as e:
        services.sign_household_contract(
            by=coop_user, contract_id=contract.pk, household_no="A002",
            quantity_kg=100, area_centi_mu=301,
        )  # fmt: skip
    assert e.value.code == "beyond_land"


def test_signing_pays_the_advance_with_the_household_as_a_commitment(hc: Any) -> None:
    data = json.loads(bytes(Entry.objects.get(index=hc.ledger_index).data))
    assert data["advance_fen"] == 20_000 and "household" in data["commitments"]
    assert "A001" not in json.dumps(data, ensure_ascii=False)


def test_a_grade_outside_the_table_is_refused(coop_user: Any, hc: Any) -> None:
    d = procurement.record_delivery(
        by=coop_user, household_contract_id=hc.pk, weight_g=1000, delivered_on=D1
    )
    with pytest.raises(BadDelivery) as e:
        procurement.grade_delivery(by=coop_user, delivery_id=d.pk, grade="特级", accepted_g=1)
    assert e.value.code == "bad_grade"
    d.refresh_from_db()
    assert d.status == LotStatus.WEIGHED and d.grade == ""


def test_a_delivery_past_the_window_is_refused(coop_user: Any, hc: Any) -> None:
    with pytest.raises(BadDelivery) as e:
        procurement.record_delivery(
            by=coop_user, household_contract_id=hc.pk, weight_g=1000,
            delivered_on=dt.date(2019, 12, 1),
        )  # fmt: skip
    assert e.value.code == "outside_window"


@pytest.mark.parametrize("grams", [0, -5])
def test_a_weight_that_is_not_positive_is_refused(coop_user: Any, hc: Any, grams: int) -> None:
    with pytest.raises(BadDelivery):
        procurement.record_delivery(
            by=coop_user, household_contract_id=hc.pk, weight_g=grams, delivered_on=D1
        )


def test_payment_is_floor_or_market_per_grade_minus_the_advance(coop_user: Any, hc: Any) -> None:
    low = graded(coop_user, hc, 125_500, D1)  # market 3.60 < floor 6.80
    high = graded(coop_user, hc, 10_000, dt.date(2019, 10, 20))  # market 7.20
    second = graded(coop_user, hc, 2_000, D1, grade="二级")  # floor 5.60
    p = procurement.pay(
        by=coop_user, household_contract_id=hc.pk,
        delivery_ids=[low.pk, high.pk, second.pk], on=LATER,
    )  # fmt: skip
    assert p.gross_fen == 85_340 + 7_200 + 1_120
    assert (p.advance_recovered_fen, p.net_fen) == (20_000, 93_660 - 20_000)
    data = json.loads(bytes(Entry.objects.get(index=p.ledger_index).data))
    assert data["kind"] == "procurement" and data["amount_fen"] == 73_660
    assert "household" in data["commitments"]
    hc.refresh_from_db()
    assert hc.advance_left_fen == 0


def test_a_payment_for_an_ungraded_lot_is_refused_and_nothing_is_paid(
    coop_user: Any, hc: Any
) -> None:
    ok = graded(coop_user, hc, 1_000, D1)
    raw = procurement.record_delivery(
        by=coop_user, household_contract_id=hc.pk, weight_g=1000, delivered_on=D1
    )
    with pytest.raises(BadPayment) as e:
        procurement.pay(
            by=coop_user, household_contract_id=hc.pk, delivery_ids=[ok.pk, raw.pk],
            on=LATER,
        )  # fmt: skip
    assert e.value.code == "ungraded"
    ok.refresh_from_db()
    assert ok.status == LotStatus.GRADED and ok.payment_id is None


def test_a_lot_cannot_be_paid_inside_its_appeal_window(coop_user: Any, hc: Any) -> None:
    d = graded(coop_user, hc, 1_000, D1)
    with pytest.raises(BadPayment) as e:
        procurement.pay(
            by=coop_user, household_contract_id=hc.pk, delivery_ids=[d.pk],
            on=D1 + dt.timedelta(days=7),
        )  # fmt: skip
    assert e.value.code == "appeal_open"


def test_an_appeal_is_regraded_by_another_grader_and_then_paid(
    coop_user: Any, county_officer: Any, cadre_a: Any, hc: Any
) -> None:
    d = graded(coop_user, hc, 10_000, D1, grade="二级")
    procurement.appeal(by=cadre_a, delivery_id=d.pk, reason="米粒完整，应为一级", on=D1)
    with pytest.raises(BadPayment):
        procurement.pay(by=coop_user, household_contract_id=hc.pk, delivery_ids=[d.pk], on=LATER)
    with pytest.raises(BadDelivery) as e:
        procurement.decide_appeal(
            by=coop_user, delivery_id=d.pk, grade="一级", accepted_g=10_000, outcome="改判"
        )
    assert e.value.code == "same_grader"
    procurement.decide_appeal(
        by=county_officer, delivery_id=d.pk, grade="一级", accepted_g=10_000, outcome="复核改为一级"
    )
    p = procurement.pay(by=coop_user, household_contract_id=hc.pk, delivery_ids=[d.pk], on=LATER)
    assert p.gross_fen == 6_800


def test_an_appeal_after_the_window_is_refused(coop_user: Any, cadre_a: Any, hc: Any) -> None:
    d = graded(coop_user, hc, 1_000, D1)
    with pytest.raises(BadDelivery) as e:
        procurement.appeal(
            by=cadre_a, delivery_id=d.pk, reason="晚了", on=D1 + dt.timedelta(days=8)
        )
    assert e.value.code == "appeal_closed"


def test_a_cadre_of_another_village_cannot_see_the_households_lots(
    coop_user: Any, cadre_b: Any, hc: Any
) -> None:
    d = graded(coop_user, hc, 1_000, D1)
    with pytest.raises(FarmingNotFound):
        procurement.appeal(by=cadre_b, delivery_id=d.pk, reason="不是我村", on=D1)


def test_grading_keeps_the_photo_as_evidence(coop_user: Any, hc: Any) -> None:
    from tuopin.casework.tests.factories import photo
    from tuopin.documents.models import Photo

    d = procurement.record_delivery(
        by=coop_user, household_contract_id=hc.pk, weight_g=1000, delivered_on=D1
    )
    d = procurement.grade_delivery(
        by=coop_user, delivery_id=d.pk, grade="一级", accepted_g=950,
        sample={"水分": "14%"}, photo=photo(7),
    )  # fmt: skip
    assert Photo.objects.filter(sha256=d.photo_sha256).exists()
    assert d.sample == {"水分": "14%"}
