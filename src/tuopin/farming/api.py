"""API of the farming app: the flagship ranking and choice, forecasts, plans, contracts,
households' contracts, lots (weigh, grade, appeal) and payments, and a household's record."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django.http import HttpRequest
from ninja import Field, Router, Schema, Status

from tuopin.accounts.selectors import acting_user
from tuopin.core.money import MAX_FEN
from tuopin.registry.selectors import get_household_for

from . import flagship, planning, procurement, runs, selectors, services
from .household import income_of

router = Router(tags=["farming"])


class CandidateOut(Schema):
    rank: int
    product_id: int
    name: str
    score: int
    growth: float | None
    growth_source: str
    margin: float | None
    share: float
    last12_kg: float
    prev12_kg: float
    price_fen_per_kg: int | None
    market_fen_per_kg: int | None


@router.get(
    "/counties/{county_code}/candidates",
    response=list[CandidateOut],
    summary="A county's products ranked for the flagship (一县一品), with the figures",
)
def candidates(request: HttpRequest, county_code: str) -> list[dict[str, Any]]:
    return [c.as_json() for c in flagship.rank_candidates(request.user, county_code)]


class FlagshipIn(Schema):
    product_id: int
    reason: str = Field(min_length=1, max_length=500)


class FlagshipOut(Schema):
    county: str
    product_id: int
    reason: str
    confirmed_at: dt.datetime
    ledger_index: int | None


@router.post("/counties/{county_code}/flagship", response={201: FlagshipOut}, summary="Confirm it")
def confirm_flagship(request: HttpRequest, county_code: str, body: FlagshipIn) -> Status:  # type: ignore[type-arg]
    ranked = {
        c.product_id: c.as_json() for c in flagship.rank_candidates(request.user, county_code)
    }
    f = services.confirm_flagship(
        by=acting_user(request),
        county_code=county_code,
        product_id=body.product_id,
        reason=body.reason,
        figures=ranked.get(body.product_id, {}),
    )
    return Status(
        201,
        {
            "county": f.county_code,
            "product_id": f.product_id,
            "reason": f.reason,
            "confirmed_at": f.confirmed_at,
            "ledger_index": f.ledger_index,
        },
    )


class ForecastIn(Schema):
    product_id: int
    horizon: int = Field(12, ge=1, le=runs.MAX_HORIZON)


class SeriesOut(Schema):
    outlet_id: int
    method: str
    fallback: str
    months_of_history: int
    mean_kg: list[float]
    lo_kg: list[float]
    hi_kg: list[float]
    mase: float | None
    smape: float | None
    naive_mase: float | None
    naive_smape: float | None


class ForecastOut(Schema):
    id: int
    product_id: int
    county: str
    horizon: int
    status: str
    error: str
    series_done: int
    series_total: int
    first_month: dt.date | None
    mean_kg: list[float]
    lo_kg: list[float]
    hi_kg: list[float]
    series: list[SeriesOut]


def _run_out(r: Any) -> dict[str, Any]:
    return {
        "id": r.pk,
        "product_id": r.product_id,
        "county": r.county_code,
        "horizon": r.horizon,
        "status": r.status,
        "error": r.error,
        "series_done": r.series_done,
        "series_total": r.series_total,
        "first_month": r.first_month,
        "mean_kg": r.mean_kg,
        "lo_kg": r.lo_kg,
        "hi_kg": r.hi_kg,
        "series": [
            {
                k: getattr(s, k)
                for k in (
                    "outlet_id",
                    "method",
                    "fallback",
                    "months_of_history",
                    "mean_kg",
                    "lo_kg",
                    "hi_kg",
                    "mase",
                    "smape",
                    "naive_mase",
                    "naive_smape",
                )
            }  # fmt: skip
            for s in r.series.order_by("outlet_id")
        ],
    }


@router.post(
    "/forecasts",
    response={202: ForecastOut},
    summary="Ask for a product's demand forecast (computed in the background; poll its URL)",
)
def start_forecast(request: HttpRequest, body: ForecastIn) -> Status:  # type: ignore[type-arg]
    run = runs.start_forecast(
        by=acting_user(request), product_id=body.product_id, horizon=body.horizon
    )
    run.refresh_from_db()
    return Status(202, _run_out(run))


@router.get(
    "/forecasts/{forecast_id}", response=ForecastOut, summary="A forecast and its back-test"
)
def get_forecast(request: HttpRequest, forecast_id: int) -> dict[str, Any]:
    return _run_out(selectors.get_run_for(request.user, forecast_id))


class FarmingPlanIn(Schema):
    run_id: int
    county: str = Field(max_length=12)
    season: int
    sale_price_fen: int = Field(ge=0, le=MAX_FEN)
    floor_price_fen: int = Field(ge=0, le=MAX_FEN)
    market_price_fen: int = Field(ge=0, le=MAX_FEN)
    yield_kg_per_mu: int = Field(ge=1, le=1_000_000)
    grade_share_pct: int = Field(ge=1, le=100)
    income_before_fen_per_mu: int = Field(0, ge=0, le=MAX_FEN)


class FarmingPlanOut(Schema):
    id: int
    season: int
    critical_ratio: float
    demand_mean_kg: int
    demand_sd_kg: int
    newsvendor_kg: int
    quantity_kg: int
    other_counties_kg: int
    excess_kg: int
    area_mu: float
    unplaced_mu: float


@router.post("/plans", response={201: FarmingPlanOut}, summary="A planting plan from a forecast")
def make_plan(request: HttpRequest, body: FarmingPlanIn) -> Status:  # type: ignore[type-arg]
    terms = planning.Terms(
        body.season,
        body.sale_price_fen,
        body.floor_price_fen,
        body.market_price_fen,
        body.yield_kg_per_mu,
        body.grade_share_pct,
        body.income_before_fen_per_mu,
    )
    plan = planning.make_plan(
        by=acting_user(request), run_id=body.run_id, county_code=body.county, terms=terms
    )
    return Status(201, planning.plan_summary(plan))


@router.get(
    "/plans/{planting_plan_id}", response=FarmingPlanOut, summary="A planting plan's figures"
)
def get_plan(request: HttpRequest, planting_plan_id: int) -> dict[str, Any]:
    return planning.plan_summary(selectors.get_plan_for(request.user, planting_plan_id))


class GradeIn(Schema):
    code: str = Field(min_length=1, max_length=20)
    floor_fen: int = Field(ge=1, le=MAX_FEN)
    rule: str = Field("", max_length=200)


class ContractIn(Schema):
    plan_id: int
    supplier_id: int
    quantity_kg: int = Field(ge=1, le=1_000_000_000)
    grades: list[GradeIn]
    market_source: str = Field(min_length=1, max_length=100)
    delivery_from: dt.date
    delivery_until: dt.date
    appeal_days: int = Field(7, ge=0, le=60)


class ContractOut(Schema):
    id: int
    season: int
    quantity_kg: int
    ledger_index: int | None


@router.post(
    "/contracts",
    response={201: ContractOut},
    summary="A cooperative's contract with floor prices per grade (refused as herd planting "
    "when all counties' contracts would exceed the forecast demand)",
)
def create_contract(request: HttpRequest, body: ContractIn) -> Status:  # type: ignore[type-arg]
    c = services.create_contract(
        by=acting_user(request),
        plan_id=body.plan_id,
        supplier_id=body.supplier_id,
        quantity_kg=body.quantity_kg,
        grades=[services.Grade(g.code, g.floor_fen, g.rule) for g in body.grades],
        market_source=body.market_source,
        delivery_from=body.delivery_from,
        delivery_until=body.delivery_until,
        appeal_days=body.appeal_days,
    )
    c.refresh_from_db()
    return Status(
        201,
        {
            "id": c.pk,
            "season": c.season,
            "quantity_kg": c.quantity_kg,
            "ledger_index": c.ledger_index,
        },
    )


class SignIn(Schema):
    household_no: str = Field(max_length=32)
    quantity_kg: int = Field(ge=1, le=1_000_000_000)
    area_mu: Decimal = Field(gt=0, le=100_000, max_digits=8, decimal_places=2)
    advance_fen: int = Field(0, ge=0, le=MAX_FEN)


class HouseholdContractOut(Schema):
    id: int
    contract_id: int
    quantity_kg: int
    area_mu: float
    advance_fen: int
    ledger_index: int | None


@router.post(
    "/contracts/{contract_id}/households",
    response={201: HouseholdContractOut},
    summary="The cooperative signs a member household's part (within its land)",
)
def sign(request: HttpRequest, contract_id: int, body: SignIn) -> Status:  # type: ignore[type-arg]
    hc = services.sign_household_contract(
        by=acting_user(request),
        contract_id=contract_id,
        household_no=body.household_no,
        quantity_kg=body.quantity_kg,
        area_centi_mu=int(body.area_mu * 100),
        advance_fen=body.advance_fen,
    )
    return Status(
        201,
        {
            "id": hc.pk,
            "contract_id": hc.contract_id,
            "quantity_kg": hc.quantity_kg,
            "area_mu": hc.area_centi_mu / 100,
            "advance_fen": hc.advance_fen,
            "ledger_index": hc.ledger_index,
        },
    )


class DeliveryIn(Schema):
    household_contract_id: int
    weight_g: int
    delivered_on: dt.date


class LotGradeIn(Schema):
    grade: str = Field(max_length=20)
    accepted_g: int = Field(ge=0, le=10**12)
    sample: dict[str, str] = {}


class AppealIn(Schema):
    reason: str = Field(min_length=1, max_length=300)


class LotOut(Schema):
    id: int
    delivered_on: dt.date
    weight_g: int
    status: str
    grade: str
    accepted_g: int
    appeal_until: dt.date | None
    price_fen: int | None
    value_fen: int | None


def _lot(d: Any) -> dict[str, Any]:
    return {k: getattr(d, k) for k in LotOut.model_fields if k != "id"} | {"id": d.pk}


@router.post("/deliveries", response={201: LotOut}, summary="Weigh a household's lot in")
def deliver(request: HttpRequest, body: DeliveryIn) -> Status:  # type: ignore[type-arg]
    d = procurement.record_delivery(
        by=acting_user(request),
        household_contract_id=body.household_contract_id,
        weight_g=body.weight_g,
        delivered_on=body.delivered_on,
    )
    return Status(201, _lot(d))


@router.post("/deliveries/{delivery_id}/grade", response=LotOut, summary="Grade a weighed lot")
def grade(request: HttpRequest, delivery_id: int, body: LotGradeIn) -> dict[str, Any]:
    d = procurement.grade_delivery(
        by=acting_user(request),
        delivery_id=delivery_id,
        grade=body.grade,
        accepted_g=body.accepted_g,
        sample=body.sample,
    )
    return _lot(d)


@router.post(
    "/deliveries/{delivery_id}/appeal", response=LotOut, summary="Appeal a grade in the window"
)
def appeal(request: HttpRequest, delivery_id: int, body: AppealIn) -> dict[str, Any]:
    return _lot(
        procurement.appeal(by=acting_user(request), delivery_id=delivery_id, reason=body.reason)
    )


class PayIn(Schema):
    household_contract_id: int
    delivery_ids: list[int]


class PaymentOut(Schema):
    id: int
    gross_fen: int
    advance_recovered_fen: int
    net_fen: int
    ledger_index: int | None


@router.post(
    "/payments",
    response={201: PaymentOut},
    summary="Pay graded lots: Σ accepted kg × max(floor, market) − advances (a ledger entry)",
)
def pay(request: HttpRequest, body: PayIn) -> Status:  # type: ignore[type-arg]
    p = procurement.pay(
        by=acting_user(request),
        household_contract_id=body.household_contract_id,
        delivery_ids=body.delivery_ids,
    )
    return Status(
        201,
        {
            "id": p.pk,
            "gross_fen": p.gross_fen,
            "advance_recovered_fen": p.advance_recovered_fen,
            "net_fen": p.net_fen,
            "ledger_index": p.ledger_index,
        },
    )


class HouseholdFarmingOut(Schema):
    household_no: str
    land_mu: float | None
    contracted_mu: float
    paid_fen: int
    income_per_mu_fen: int | None
    lots: list[LotOut]


@router.get(
    "/households/{household_no}",
    response=HouseholdFarmingOut,
    summary="A household's contracts, lots and income",
)
def household(request: HttpRequest, household_no: str) -> dict[str, Any]:
    h = get_household_for(request.user, household_no)
    inc = income_of(request.user, h)
    return {
        "household_no": h.household_no,
        "land_mu": None if inc.land_centi_mu is None else inc.land_centi_mu / 100,
        "contracted_mu": inc.area_centi_mu / 100,
        "paid_fen": inc.paid_fen,
        "income_per_mu_fen": inc.per_mu_fen,
        "lots": [_lot(d) for d in inc.lots],
    }
