"""Planting plans (订单种植计划): a finished forecast becomes a contracted quantity at the
newsvendor quantile, capped so that all counties' contracts of the product stay within it (the
herd-planting guard), then an area, split across the county's cooperatives' member households
within each household's land."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django.db import transaction
from django.db.models import Sum
from django.utils.translation import gettext as _

from tuopin.accounts import permissions
from tuopin.commerce.models import SupplierKind, SupplierMember
from tuopin.core.money import MAX_FEN

from . import newsvendor as nv
from .errors import BadPlan
from .models import Contract, HouseholdLand, PlanShare, PlantingPlan, RunStatus
from .selectors import get_county_for, get_run_for

if TYPE_CHECKING:
    from tuopin.accounts.models import User

PLAN = "farming.add_plantingplan"


@dataclass(frozen=True)
class Terms:
    """What the officer states: the prices (fen/kg), the yield and the grade share."""

    season: int
    sale_price_fen: int
    floor_price_fen: int
    market_price_fen: int
    yield_kg_per_mu: int
    grade_share_pct: int
    income_before_fen_per_mu: int = 0


def check_terms(t: Terms) -> None:
    for v in (t.sale_price_fen, t.floor_price_fen, t.market_price_fen):
        if not 0 <= v <= MAX_FEN:
            raise BadPlan(_("价格无效"), code="bad_price")
    if not 2000 <= t.season <= 2100:
        raise BadPlan(_("年度无效"), code="bad_season")
    if not 1 <= t.yield_kg_per_mu <= 100_000:
        raise BadPlan(_("亩产应为正数"), code="bad_yield")
    if not 0 <= t.income_before_fen_per_mu <= MAX_FEN:
        raise BadPlan(_("订单前亩收入无效"), code="bad_income")
    if not 1 <= t.grade_share_pct <= 100:
        raise BadPlan(_("达标率应在 1% 到 100% 之间"), code="bad_grade_share")
    if t.sale_price_fen <= t.floor_price_fen and t.floor_price_fen <= t.market_price_fen:
        raise BadPlan(_("售价不高于保护价、保护价又不高于市场价：订单没有意义"), code="bad_costs")


def contracted_by_county(product_id: int, season: int, *, excluding: str = "") -> dict[str, int]:
    """Kg under contract for a product and season, by county (one GROUP BY)."""
    rows = (
        Contract.objects.filter(product_id=product_id, season=season)
        .exclude(county_code=excluding)
        .values("county_code")
        .annotate(kg=Sum("quantity_kg"))
    )
    return {r["county_code"]: int(r["kg"] or 0) for r in rows}


def member_land(county_code: str) -> list[tuple[int, int, int]]:
    """(supplier, household, land in hundredths of a 亩) for the member households of the
    county's cooperatives that have a land record; a household in two cooperatives counts
    once, with the first."""
    members = (
        SupplierMember.objects.filter(
            supplier__kind=SupplierKind.COOPERATIVE,
            supplier__county_code__startswith=county_code[:6],
        )
        .order_by("supplier_id", "household_id")
        .values_list("supplier_id", "household_id")
    )
    land = dict(
        HouseholdLand.objects.filter(
            household_id__in=[h for _s, h in members], land_centi_mu__gt=0
        ).values_list("household_id", "land_centi_mu")
    )
    seen: set[int] = set()
    out = []
    for supplier_id, household_id in members:
        if household_id in land and household_id not in seen:
            seen.add(household_id)
            out.append((supplier_id, household_id, land[household_id]))
    return out


def make_plan(*, by: User, run_id: int, county_code: str, terms: Terms) -> PlantingPlan:
    """Turn a finished forecast into a plan for ``county_code``'s cooperatives."""
    permissions.require(by, PLAN, _("没有制定种植计划的权限"))
    check_terms(terms)
    run = get_run_for(by, run_id)
    county, _name = get_county_for(by, county_code)
    if run.status != RunStatus.DONE:
        raise BadPlan(_("预测尚未完成"), code="run_not_done")
    demand = nv.Demand.from_months(run.mean_kg, run.sd_kg)
    cu = max(0, terms.sale_price_fen - terms.floor_price_fen)
    co = max(0, terms.floor_price_fen - terms.market_price_fen)
    ratio = nv.critical_ratio(cu, co)
    # A ratio of exactly 0 or 1 has no finite quantile: keep it just inside.
    optimum = round(demand.quantile(min(max(ratio, 0.001), 0.999)))
    others = contracted_by_county(run.product_id, terms.season, excluding=county)
    guard = nv.herd_guard(optimum, others)
    quantity = guard.room_kg()
    area = nv.area_centi_mu(quantity, terms.yield_kg_per_mu, terms.grade_share_pct / 100)
    land = member_land(county)
    split = nv.split_area(area, [(h, a) for _s, h, a in land])
    supplier_of: dict[object, int] = {h: s for s, h, _a in land}
    kg_per_centi_mu = terms.yield_kg_per_mu * terms.grade_share_pct / 100 / nv.CENTI_MU
    with transaction.atomic():
        plan = PlantingPlan.objects.create(
            run=run,
            product_id=run.product_id,
            county_code=county,
            season=terms.season,
            sale_price_fen=terms.sale_price_fen,
            floor_price_fen=terms.floor_price_fen,
            market_price_fen=terms.market_price_fen,
            critical_ratio=ratio,
            demand_mean_kg=round(demand.mean_kg),
            demand_sd_kg=round(demand.sd_kg),
            newsvendor_kg=optimum,
            quantity_kg=quantity,
            other_counties_kg=sum(others.values()),
            excess_kg=guard.excess_kg,
            yield_kg_per_mu=terms.yield_kg_per_mu,
            grade_share_pct=terms.grade_share_pct,
            area_centi_mu=area,
            unplaced_centi_mu=split.unplaced,
            income_before_fen_per_mu=terms.income_before_fen_per_mu,
            created_by=by,
        )
        PlanShare.objects.bulk_create(
            PlanShare(
                plan=plan,
                supplier_id=supplier_of[h],
                household_id=int(h),  # type: ignore[call-overload]
                area_centi_mu=a,
                quantity_kg=round(a * kg_per_centi_mu),
            )
            for h, a in split.shares.items()
            if a > 0
        )
    return plan


def plan_summary(plan: PlantingPlan) -> dict[str, Any]:
    """The plan's figures for the page and the API."""
    return {
        "id": plan.pk,
        "season": plan.season,
        "critical_ratio": round(plan.critical_ratio, 3),
        "demand_mean_kg": plan.demand_mean_kg,
        "demand_sd_kg": plan.demand_sd_kg,
        "newsvendor_kg": plan.newsvendor_kg,
        "quantity_kg": plan.quantity_kg,
        "other_counties_kg": plan.other_counties_kg,
        "excess_kg": plan.excess_kg,
        "area_mu": plan.area_centi_mu / 100,
        "unplaced_mu": plan.unplaced_centi_mu / 100,
    }
