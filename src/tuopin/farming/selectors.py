"""Reads of the farming app: one access function per resource, each checking the permission
and the scope (the county or village code, or the cooperative's own accounts)."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from django.db.models import OuterRef, Q, QuerySet, Subquery
from django.utils.translation import gettext as _

from tuopin.accounts import permissions, scoping
from tuopin.areas import codes as area_codes
from tuopin.areas import selectors as areas
from tuopin.commerce.models import Product, Supplier, SupplierKind, SupplierMember

from .errors import FarmingNotFound
from .models import (
    Contract,
    Delivery,
    Flagship,
    ForecastRun,
    HouseholdContract,
    HouseholdLand,
    Payment,
    PlantingPlan,
)

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

    from tuopin.accounts.models import User

    AnyUser = User | AnonymousUser

VIEW = "farming.view_contract"
VIEW_LOTS = "farming.view_delivery"


def _may_view(user: Any) -> None:
    permissions.require(user, VIEW, _("没有查看订单农业的权限"))


def _in_reach(user: Any, field: str, users_field: str) -> Q:
    """In the user's areas, or (a cooperative's account) of the user's own cooperative.
    (``Q() | x`` would be just ``x``: a nationwide user gets no condition at all.)"""
    if scoping.area_prefixes(user) is None:
        return Q()
    q = scoping.scope_q(user, field)
    if user.is_authenticated:
        q |= Q(**{users_field: user})
    return q


def _scoped(qs: QuerySet[Any], user: Any, field: str, supplier_field: str) -> QuerySet[Any]:
    return qs.filter(_in_reach(user, field, f"{supplier_field}__users")).distinct()


def get_county_for(user: Any, code: str) -> tuple[str, str]:
    """A county in the user's scope: (code, name); missing, not a county or out of scope are
    the same not-found."""
    _may_view(user)
    try:
        code = area_codes.normalise(code)
    except ValueError:
        raise FarmingNotFound(_("县不存在：%(c)s") % {"c": code}) from None
    found = areas.areas_by_codes([code]).get(code)
    prefixes = scoping.area_prefixes(user)
    in_scope = prefixes is None or any(code[:6].startswith(p) for p in prefixes)
    if found is None or area_codes.level_of(code) != 3 or not in_scope:
        raise FarmingNotFound(_("县不存在：%(c)s") % {"c": code})
    return code, found.name


def counties_for(user: Any) -> list[Any]:
    _may_view(user)
    return areas.counties(prefixes=scoping.area_prefixes(user))


def products_of_county(user: Any, county_code: str) -> QuerySet[Product]:
    code, _name = get_county_for(user, county_code)
    return Product.objects.filter(county_code=code).select_related("supplier").order_by("name")


def get_product_for(user: Any, product_id: int) -> Product:
    _may_view(user)
    p = scoping.scope(Product.objects.filter(pk=product_id), user, "county_code").first()
    if p is None:
        raise FarmingNotFound(_("商品不存在"))
    return p


def flagship_of(user: Any, county_code: str) -> Flagship | None:
    code, _name = get_county_for(user, county_code)
    return (
        Flagship.objects.filter(county_code=code)
        .select_related("product")
        .order_by("-confirmed_at", "-pk")
        .first()
    )


def runs_for(user: Any) -> QuerySet[ForecastRun]:
    _may_view(user)
    return scoping.scope(ForecastRun.objects.select_related("product"), user, "county_code")


def get_run_for(user: Any, run_id: int) -> ForecastRun:
    run = runs_for(user).filter(pk=run_id).first()
    if run is None:
        raise FarmingNotFound(_("预测不存在"))
    return run


def plans_for(user: Any) -> QuerySet[PlantingPlan]:
    _may_view(user)
    return scoping.scope(PlantingPlan.objects.select_related("product"), user, "county_code")


def get_plan_for(user: Any, plan_id: int) -> PlantingPlan:
    plan = plans_for(user).filter(pk=plan_id).first()
    if plan is None:
        raise FarmingNotFound(_("种植计划不存在"))
    return plan


def cooperatives_for(user: Any) -> QuerySet[Supplier]:
    _may_view(user)
    q = _in_reach(user, "county_code", "users")
    qs = Supplier.objects.filter(q, kind=SupplierKind.COOPERATIVE).distinct()
    return qs.order_by("county_code", "name")


def get_cooperative_for(user: Any, supplier_id: int) -> Supplier:
    _may_view(user)
    q = _in_reach(user, "county_code", "users")
    s = Supplier.objects.filter(q, pk=supplier_id, kind=SupplierKind.COOPERATIVE).first()
    if s is None:
        raise FarmingNotFound(_("合作社不存在"))
    return s


@dataclass(frozen=True)
class Member:
    household_no: str
    land_centi_mu: int  # 0 when no land is recorded

    @property
    def land_mu(self) -> Decimal:
        return Decimal(self.land_centi_mu).scaleb(-2)


def members_of(user: Any, supplier_id: int) -> list[Member]:
    """A cooperative's member households with their land (one query), for whoever may see
    the cooperative and sign for its members."""
    s = get_cooperative_for(user, supplier_id)
    land = HouseholdLand.objects.filter(household_id=OuterRef("household_id"))
    rows = (
        SupplierMember.objects.filter(supplier=s)
        .annotate(land=Subquery(land.values("land_centi_mu")[:1]))
        .order_by("household__household_no")
        .values_list("household__household_no", "land")
    )
    return [Member(no, land or 0) for no, land in rows]


def contracts_for(user: Any) -> QuerySet[Contract]:
    _may_view(user)
    return _scoped(
        Contract.objects.select_related("product", "supplier"), user, "county_code", "supplier"
    )


def get_contract_for(user: Any, contract_id: int) -> Contract:
    c = contracts_for(user).filter(pk=contract_id).first()
    if c is None:
        raise FarmingNotFound(_("合同不存在"))
    return c


def household_contracts_for(user: Any) -> QuerySet[HouseholdContract]:
    """Households' contracts: a village cadre sees their village's, a county officer their
    county's, a cooperative's account its members'."""
    permissions.require(user, VIEW_LOTS, _("没有查看交售记录的权限"))
    qs = HouseholdContract.objects.select_related(
        "contract__product", "contract__supplier", "household"
    )
    return _scoped(qs, user, "village_code", "contract__supplier")


def get_household_contract_for(user: Any, hc_id: int) -> HouseholdContract:
    hc = household_contracts_for(user).filter(pk=hc_id).first()
    if hc is None:
        raise FarmingNotFound(_("农户订单不存在"))
    return hc


def deliveries_for(user: Any) -> QuerySet[Delivery]:
    permissions.require(user, VIEW_LOTS, _("没有查看交售记录的权限"))
    qs = Delivery.objects.select_related(
        "household_contract__contract__product", "household_contract__household"
    )
    return _scoped(qs, user, "village_code", "household_contract__contract__supplier")


def get_delivery_for(user: Any, delivery_id: int) -> Delivery:
    d = deliveries_for(user).filter(pk=delivery_id).first()
    if d is None:
        raise FarmingNotFound(_("交售批次不存在"))
    return d


def payments_for(user: Any) -> QuerySet[Payment]:
    permissions.require(user, VIEW_LOTS, _("没有查看交售记录的权限"))
    return _scoped(
        Payment.objects.select_related("household_contract__contract__product"),
        user,
        "village_code",
        "household_contract__contract__supplier",
    )
