"""Writes of the farming app before the harvest: the flagship choice, households' land,
market prices, contracts (with the herd-planting guard) and households' contracts. Deliveries,
grading, appeals and payments are in :mod:`procurement`; forecasts in :mod:`runs`; plans in
:mod:`planning`."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from tuopin.accounts import permissions
from tuopin.commerce.models import SupplierMember
from tuopin.core.money import MAX_FEN
from tuopin.ledger import services as ledger
from tuopin.registry.selectors import get_household_for

from . import newsvendor as nv
from .errors import BadContract, BadPlan, HerdPlanting
from .models import (
    Contract,
    ContractGrade,
    Flagship,
    HouseholdContract,
    HouseholdLand,
    MarketPrice,
)
from .planning import contracted_by_county
from .selectors import (
    get_contract_for,
    get_cooperative_for,
    get_county_for,
    get_plan_for,
    get_product_for,
)

if TYPE_CHECKING:
    from tuopin.accounts.models import User
    from tuopin.registry.models import Household

FLAGSHIP = "farming.add_flagship"
LAND = "farming.change_householdland"
PRICE = "farming.add_marketprice"
CONTRACT = "farming.add_contract"
SIGN = "farming.add_householdcontract"
MAX_LAND_CENTI_MU = 1_000_000  # 10 000 亩: a typo, not a household


def commit_household(household: Household) -> dict[str, tuple[str, str]]:
    """The ledger's commitment to a household: never its number or name in the clear."""
    return {"household": (f"registry.household:{household.pk}", household.household_no)}


def confirm_flagship(
    *, by: User, county_code: str, product_id: int, reason: str, figures: dict[str, Any]
) -> Flagship:
    """An officer confirms the county's flagship product (一县一品), with the reason and the
    ranking's figures as shown; a decision, so a ledger entry."""
    permissions.require(by, FLAGSHIP, _("没有确认一县一品的权限"))
    county, _name = get_county_for(by, county_code)
    product = get_product_for(by, product_id)
    if not product.county_code.startswith(county[:6]):
        raise BadPlan(_("该商品不是本县的产品"), code="not_county_product")
    reason = reason.strip()
    if not reason:
        raise BadPlan(_("请填写确认理由"), code="missing_reason")
    with transaction.atomic():
        entry = ledger.append_entry(
            kind="decision",
            payload={"subject": "farming.flagship", "area": county, "product": product.pk},
        )
        return Flagship.objects.create(
            county_code=county,
            product=product,
            reason=reason[:500],
            figures=figures,
            confirmed_by=by,
            confirmed_at=timezone.now(),
            ledger_index=entry.index,
        )


def set_land(*, by: User, household_no: str, land_centi_mu: int) -> HouseholdLand:
    """Record a household's farmland (hundredths of a 亩) on farming's own record."""
    permissions.require(by, LAND, _("没有登记耕地的权限"))
    household = get_household_for(by, household_no)
    if not 0 <= land_centi_mu <= MAX_LAND_CENTI_MU:
        raise BadPlan(_("耕地面积无效"), code="bad_land")
    land, _created = HouseholdLand.objects.update_or_create(
        household=household,
        defaults={
            "land_centi_mu": land_centi_mu,
            "village_code": household.village_id,
            "updated_by": by,
        },
    )
    return land


def record_market_price(
    *, by: User, product_id: int, on: dt.date, fen_per_kg: int, source: str
) -> MarketPrice:
    """The reference market price of a day (replaces that day's, if any)."""
    permissions.require(by, PRICE, _("没有登记市场价的权限"))
    product = get_product_for(by, product_id)
    if not 0 <= fen_per_kg <= MAX_FEN:
        raise BadContract(_("价格无效"), code="bad_price")
    if not source.strip():
        raise BadContract(_("请填写价格来源"), code="missing_source")
    price, _created = MarketPrice.objects.update_or_create(
        product=product,
        on=on,
        defaults={"fen_per_kg": fen_per_kg, "source": source.strip()[:100], "recorded_by": by},
    )
    return price


@dataclass(frozen=True)
class Grade:
    code: str
    floor_fen: int
    rule: str = ""


def create_contract(
    *,
    by: User,
    plan_id: int,
    supplier_id: int,
    quantity_kg: int,
    grades: list[Grade],
    market_source: str,
    delivery_from: dt.date,
    delivery_until: dt.date,
    appeal_days: int = 7,
) -> Contract:
    """A cooperative's contract under a plan. Refused when all counties' contracts of the
    product for the season would exceed the demand the plan was made for (herd planting),
    with the excess in the error's detail. Locks the plan so that two contracts signed at
    once cannot both squeeze under the guard."""
    permissions.require(by, CONTRACT, _("没有签订订单合同的权限"))
    plan = get_plan_for(by, plan_id)
    supplier = get_cooperative_for(by, supplier_id)
    if not supplier.county_code.startswith(plan.county_code[:6]):
        raise BadContract(_("合作社不在计划所在县"), code="wrong_county")
    if quantity_kg <= 0:
        raise BadContract(_("订单量应为正数"), code="bad_quantity")
    if not grades:
        raise BadContract(_("请至少填写一个等级及其保护价"), code="missing_grades")
    codes = [g.code.strip() for g in grades]
    if any(not c for c in codes) or len(set(codes)) != len(codes):
        raise BadContract(_("等级名称不能为空或重复"), code="bad_grades")
    if any(not 0 < g.floor_fen <= MAX_FEN for g in grades):
        raise BadContract(_("保护价应为正数"), code="bad_floor")
    if not market_source.strip():
        raise BadContract(_("请填写市场价来源"), code="missing_source")
    if delivery_until < delivery_from:
        raise BadContract(_("交售截止日早于开始日"), code="bad_window")
    if not 0 <= appeal_days <= 60:
        raise BadContract(_("申诉期应在 0 到 60 天之间"), code="bad_appeal_days")
    with transaction.atomic():
        type(plan).objects.select_for_update().get(pk=plan.pk)
        contracted = contracted_by_county(plan.product_id, plan.season)
        guard = nv.herd_guard(plan.newsvendor_kg, contracted, adding_kg=quantity_kg)
        if not guard.ok:
            raise HerdPlanting(
                _(
                    "各县合同合计 %(total)s 公斤将超过预测需求 %(demand)s 公斤（超出 %(excess)s 公斤）：请减少订单量，避免一哄而上"
                )
                % {
                    "total": guard.contracted_kg,
                    "demand": guard.demand_kg,
                    "excess": guard.excess_kg,
                },
                detail={
                    "excess_kg": guard.excess_kg,
                    "room_kg": nv.herd_guard(plan.newsvendor_kg, contracted).room_kg(),
                },
            )
        contract = Contract.objects.create(
            product_id=plan.product_id,
            supplier=supplier,
            plan=plan,
            county_code=plan.county_code,
            season=plan.season,
            quantity_kg=quantity_kg,
            market_source=market_source.strip()[:100],
            delivery_from=delivery_from,
            delivery_until=delivery_until,
            appeal_days=appeal_days,
            created_by=by,
        )
        ContractGrade.objects.bulk_create(
            ContractGrade(
                contract=contract, code=c, rule=g.rule[:200], floor_fen=g.floor_fen, position=i
            )
            for i, (c, g) in enumerate(zip(codes, grades, strict=True))
        )
        entry = ledger.append_entry(
            kind="decision",
            payload={
                "subject": "farming.contract",
                "contract": contract.pk,
                "area": contract.county_code,
                "product": contract.product_id,
                "season": contract.season,
                "quantity_kg": quantity_kg,
                "floors_fen": {c: g.floor_fen for c, g in zip(codes, grades, strict=True)},
            },
        )
        Contract.objects.filter(pk=contract.pk).update(ledger_index=entry.index)
    return contract


def sign_household_contract(
    *,
    by: User,
    contract_id: int,
    household_no: str,
    quantity_kg: int,
    area_centi_mu: int,
    advance_fen: int = 0,
) -> HouseholdContract:
    """The cooperative signs a member household's part: within the household's land (all its
    contracts together), the advance paid now with a ledger entry (the household committed)."""
    permissions.require(by, SIGN, _("没有签订农户订单的权限"))
    contract = get_contract_for(by, contract_id)
    # The cooperative reaches its own members through the contract (its accounts hold no
    # area scope); an officer's scope was checked with the contract.
    membership = (
        SupplierMember.objects.filter(
            supplier_id=contract.supplier_id, household__household_no=household_no.strip()
        )
        .select_related("household")
        .first()
    )
    if membership is None:
        raise BadContract(_("该户不是本合作社社员"), code="not_member")
    household = membership.household
    if quantity_kg <= 0 or area_centi_mu <= 0:
        raise BadContract(_("订单量和面积应为正数"), code="bad_quantity")
    if not 0 <= advance_fen <= MAX_FEN:
        raise BadContract(_("预付款无效"), code="bad_advance")
    with transaction.atomic():
        land = HouseholdLand.objects.select_for_update().filter(household=household).first()
        used = sum(
            HouseholdContract.objects.filter(
                household=household, contract__season=contract.season
            ).values_list("area_centi_mu", flat=True)
        )
        have = land.land_centi_mu if land else 0
        if used + area_centi_mu > have:
            raise BadContract(
                _("计划面积 %(want)s 亩超过该户耕地 %(have)s 亩（已签 %(used)s 亩）")
                % {"want": area_centi_mu / 100, "have": have / 100, "used": used / 100},
                code="beyond_land",
            )
        try:
            with transaction.atomic():
                hc = HouseholdContract.objects.create(
                    contract=contract,
                    household=household,
                    village_code=household.village_id,
                    quantity_kg=quantity_kg,
                    area_centi_mu=area_centi_mu,
                    advance_fen=advance_fen,
                    advance_left_fen=advance_fen,
                    signed_by=by,
                    signed_at=timezone.now(),
                )
        except IntegrityError:
            raise BadContract(_("该户已签此合同"), code="already_signed") from None
        entry = ledger.append_entry(
            kind="procurement",
            payload={
                "subject": "farming.household_contract",
                "action": "sign",
                "contract": contract.pk,
                "quantity_kg": quantity_kg,
                "area_centi_mu": area_centi_mu,
                "advance_fen": advance_fen,
            },
            commit=commit_household(household),
        )
        HouseholdContract.objects.filter(pk=hc.pk).update(ledger_index=entry.index)
        hc.ledger_index = entry.index
    return hc
