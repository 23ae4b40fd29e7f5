"""Reads of the commerce app.

For other apps (farming's demand forecasts):

``monthly_sales(*, product_ids=None, outlet_ids=None, county_prefix=None, since=None,
until=None) -> list[MonthlySales]``
    Imported outlet sales summed per (product, outlet, month), one set-based GROUP BY.
    ``product_ids``/``outlet_ids`` restrict to those ids (``None``: all); ``county_prefix``
    keeps lines whose county code starts with it; ``since``/``until`` are inclusive dates.
    Each row: ``MonthlySales(product_id, outlet_id, month, quantity, amount_fen)`` with
    ``month`` the first day of the month (a ``date``), ordered by product, outlet, month.
    Aggregates only (no personal data): the caller checks its user's permission and scope, or
    uses ``monthly_sales_for(user, ...)`` which does.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import TYPE_CHECKING, Any, NamedTuple

from django.db.models import Count, Q, QuerySet, Sum
from django.db.models.functions import TruncMonth
from django.utils import timezone
from django.utils.translation import gettext as _

from tuopin.accounts import permissions, scoping

from .errors import OrderNotFound, ProductNotFound, SupplierNotFound
from .models import (
    STOREFRONT_OUTLET,
    Listing,
    Order,
    Outlet,
    Payout,
    Product,
    ProductPhoto,
    SalesLine,
    StockAdjustment,
    StockRecord,
    Supplier,
    SupplierMember,
    Warehouse,
)

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

    from tuopin.accounts.models import User


class MonthlySales(NamedTuple):
    product_id: int
    outlet_id: int
    month: dt.date
    quantity: int
    amount_fen: int


def monthly_sales(
    *,
    product_ids: Iterable[int] | None = None,
    outlet_ids: Iterable[int] | None = None,
    county_prefix: str | None = None,
    since: dt.date | None = None,
    until: dt.date | None = None,
) -> list[MonthlySales]:
    """Monthly quantity and amount per (product, outlet, month); see the module docstring."""
    qs = SalesLine.objects.all()
    if product_ids is not None:
        qs = qs.filter(product_id__in=list(product_ids))
    if outlet_ids is not None:
        qs = qs.filter(outlet_id__in=list(outlet_ids))
    if county_prefix:
        qs = qs.filter(county_code__startswith=county_prefix)
    if since is not None:
        qs = qs.filter(date__gte=since)
    if until is not None:
        qs = qs.filter(date__lte=until)
    rows = (
        qs.annotate(month=TruncMonth("date"))
        .values("product_id", "outlet_id", "month")
        .annotate(quantity=Sum("quantity"), amount_fen=Sum("amount_fen"))
        .order_by("product_id", "outlet_id", "month")
    )
    return [
        MonthlySales(
            r["product_id"],
            r["outlet_id"],
            _as_date(r["month"]),
            int(r["quantity"] or 0),
            int(r["amount_fen"] or 0),
        )
        for r in rows
    ]


def _as_date(value: dt.date | dt.datetime) -> dt.date:
    return value.date() if isinstance(value, dt.datetime) else value


# --- access functions (permission and scope in one call) -------------------------------------


def _supplier_q(user: User | AnonymousUser) -> Q:
    """Suppliers ``user`` may see: its own (a supplier account) or those of its areas."""
    if not user.is_authenticated:
        return Q(pk__in=[])
    own = Q(users=user)
    prefixes = scoping.area_prefixes(user)
    if prefixes is None:
        return Q()  # nationwide (an empty Q would vanish from ``own | Q()``)
    if not prefixes:
        return own
    return own | scoping.scope_q(user, "county_code")


def suppliers_for(user: User | AnonymousUser) -> QuerySet[Supplier]:
    permissions.require(user, "commerce.view_supplier")
    ids = Supplier.objects.filter(_supplier_q(user)).values("pk")
    return Supplier.objects.filter(pk__in=ids).order_by("county_code", "name")


def get_supplier_for(user: User | AnonymousUser, supplier_id: int) -> Supplier:
    found = suppliers_for(user).filter(pk=supplier_id).first()
    if found is None:
        raise SupplierNotFound(_("供应商不存在"))
    return found


def products_for(user: User | AnonymousUser) -> QuerySet[Product]:
    """Products of the suppliers ``user`` may see (with their stock), for managing them."""
    return (
        Product.objects.filter(supplier__in=suppliers_for(user))
        .select_related("supplier")
        .annotate(on_hand=Sum("stock__on_hand"), allocated=Sum("stock__allocated"))
        .order_by("county_code", "name")
    )


def get_product_for(user: User | AnonymousUser, product_id: int) -> Product:
    found = products_for(user).filter(pk=product_id).first()
    if found is None:
        raise ProductNotFound(_("商品不存在"))
    return found


def product_photo_for(user: User | AnonymousUser, sha256: str) -> ProductPhoto:
    """A product photo: anyone's when its product is on the storefront, otherwise only for
    those who may see the product's supplier."""
    qs = ProductPhoto.objects.filter(sha256=sha256)
    found = qs.filter(product__listings__in=storefront_listings().values("pk")).first()
    if found is None and permissions.has(user, "commerce.view_supplier"):
        found = qs.filter(product__supplier__in=suppliers_for(user).values("pk")).first()
    if found is None:
        raise ProductNotFound(_("图片不存在"))
    return found


def product_photos(product: Product) -> list[ProductPhoto]:
    """The photos of a product already fetched through an access function (or on sale)."""
    return list(ProductPhoto.objects.filter(product=product))


def product_detail(product: Product) -> dict[str, Any]:
    """For a product already fetched through :func:`get_product_for`: its photos, its
    listings by outlet (every outlet, listed or not), its stock per warehouse and the latest
    stock adjustments."""
    listings = {li.outlet_id: li for li in Listing.objects.filter(product=product)}
    stock = list(
        StockRecord.objects.filter(product=product)
        .select_related("warehouse")
        .order_by("warehouse__name")
    )
    return {
        "photos": list(ProductPhoto.objects.filter(product=product)),
        "outlets": [(o, listings.get(o.pk)) for o in Outlet.objects.order_by("code")],
        "stock": stock,
        "warehouses": list(
            Warehouse.objects.filter(supplier_id=product.supplier_id).values_list("name", flat=True)
        ),
        "adjustments": list(
            StockAdjustment.objects.filter(stock__product=product)
            .select_related("stock__warehouse", "by")
            .order_by("-at", "-id")[:20]
        ),
    }


def orders_for(user: User | AnonymousUser) -> QuerySet[Order]:
    """Orders of the suppliers ``user`` works for (supplier accounts, officers, operators)."""
    permissions.require(user, "commerce.view_order")
    return Order.objects.filter(supplier__in=suppliers_for(user)).select_related("supplier")


def my_orders(user: User | AnonymousUser) -> QuerySet[Order]:
    """The orders ``user`` placed as a buyer."""
    if not user.is_authenticated:
        return Order.objects.none()
    return Order.objects.filter(buyer_id=user.pk).select_related("supplier")


def get_order_for(user: User | AnonymousUser, number: str) -> Order:
    """An order its buyer, or someone who works on its supplier's orders, may see."""
    order = my_orders(user).filter(number=number).first()
    if order is None and permissions.has(user, "commerce.view_order"):
        order = orders_for(user).filter(number=number).first()
    if order is None:
        raise OrderNotFound(_("订单不存在"))
    return order


def payouts_for(user: User | AnonymousUser) -> QuerySet[Payout]:
    permissions.require(user, "commerce.view_payout")
    return Payout.objects.filter(supplier__in=suppliers_for(user)).select_related("supplier")


# --- the public storefront -------------------------------------------------------------------


def storefront_listings(*, area_prefix: str = "", category: str = "") -> QuerySet[Listing]:
    """Published storefront listings of verified suppliers (public), optionally under an area
    code prefix (province ``42``, county ``422823``) and of a category."""
    today = timezone.localdate()
    qs = Listing.objects.filter(
        outlet__code=STOREFRONT_OUTLET,
        published=True,
        product__supplier__verified_at__isnull=False,
    ).filter(Q(available_from__isnull=True) | Q(available_from__lte=today))
    if area_prefix:
        qs = qs.filter(product__county_code__startswith=area_prefix)
    if category:
        qs = qs.filter(product__category=category)
    return qs.select_related("product__supplier").order_by("product__county_code", "product__name")


def storefront_listing(listing_id: int) -> Listing:
    found = storefront_listings().filter(pk=listing_id).first()
    if found is None:
        raise ProductNotFound(_("商品不存在或未上架"))
    return found


def storefront_counties() -> list[tuple[str, int]]:
    """(county code, listings) of counties with something on sale, for browsing."""
    rows = (
        storefront_listings()
        .values("product__county_code")
        .annotate(n=Count("pk"))
        .order_by("product__county_code")
    )
    return [(r["product__county_code"], r["n"]) for r in rows]


def member_households(supplier: Supplier) -> int:
    return SupplierMember.objects.filter(supplier=supplier).count()


def monthly_sales_for(user: User | AnonymousUser, **filters: object) -> list[MonthlySales]:
    """:func:`monthly_sales` limited to the counties of ``user``'s scope."""
    permissions.require(user, "commerce.view_sales_statistics")
    prefixes = scoping.area_prefixes(user)
    wanted = str(filters.pop("county_prefix", "") or "")
    if prefixes is None:
        return monthly_sales(county_prefix=wanted or None, **filters)  # type: ignore[arg-type]
    rows: list[MonthlySales] = []
    for p in prefixes:
        if wanted and not (wanted.startswith(p) or p.startswith(wanted)):
            continue
        rows += monthly_sales(county_prefix=max(p, wanted, key=len), **filters)  # type: ignore[arg-type]
    return rows


def product_sales_total(product: Product) -> int:
    """What a product's imported sales brought (fen), for its public page."""
    return int(SalesLine.objects.filter(product=product).aggregate(s=Sum("amount_fen"))["s"] or 0)


def available_units(product: Product) -> int:
    row = StockRecord.objects.filter(product=product).aggregate(
        h=Sum("on_hand"), a=Sum("allocated")
    )
    return int((row["h"] or 0) - (row["a"] or 0))


def basket_lines(held: dict[str, int]) -> list[dict[str, Any]]:
    """The session basket's lines that are still on sale, with their totals."""
    ids = [int(k) for k in held if k.isdigit()]
    listings = {li.pk: li for li in storefront_listings().filter(pk__in=ids)}
    return [
        {
            "listing": listings[int(k)],
            "quantity": q,
            "total_fen": listings[int(k)].price_fen * q,
        }
        for k, q in held.items()
        if k.isdigit() and int(k) in listings and q > 0
    ]


def memberships_of(household: Any) -> list[dict[str, Any]]:
    """The cooperatives a household (already fetched through the registry's access function)
    belongs to, with their products and what those sold through every outlet."""
    rows = []
    for m in SupplierMember.objects.filter(household_id=household.pk).select_related("supplier"):
        products = list(Product.objects.filter(supplier=m.supplier).values_list("name", flat=True))
        sold = SalesLine.objects.filter(product__supplier=m.supplier).aggregate(s=Sum("amount_fen"))
        rows.append(
            {
                "supplier": m.supplier,
                "joined_on": m.joined_on,
                "products": products,
                "sold_fen": int(sold["s"] or 0),
            }
        )
    return rows
