"""API of the commerce app: the storefront's products (public), orders and their steps,
supplier verification, county sales statistics and monthly sales."""

from __future__ import annotations

import datetime as dt
from dataclasses import asdict

from django.http import HttpRequest
from ninja import Field, Router, Schema, Status

from tuopin.accounts.selectors import acting_user

from . import catalogue, orders, selectors, services, statistics
from .models import Order, Product

router = Router(tags=["commerce"])


class ShopProductOut(Schema):
    listing: int
    sku: str
    name: str
    category: str
    county: str
    supplier: str
    unit: str
    weight_g: int
    price_fen: int


@router.get(
    "/products",
    response=list[ShopProductOut],
    auth=None,
    summary="Products on sale in the storefront (area = code prefix, category)",
)
def shop_products(
    request: HttpRequest, area: str = "", category: str = ""
) -> list[dict[str, object]]:
    area = "".join(ch for ch in area if ch.isdigit())[:12]
    return [
        {
            "listing": li.pk,
            "sku": li.product.sku,
            "name": li.product.name,
            "category": li.product.category,
            "county": li.product.county_code,
            "supplier": li.product.supplier.name,
            "unit": li.product.unit,
            "weight_g": li.product.weight_g,
            "price_fen": li.price_fen,
        }
        for li in selectors.storefront_listings(area_prefix=area, category=category)[:500]
    ]


class OrderLineIn(Schema):
    listing: int
    quantity: int = Field(ge=1, le=10_000)


class OrderIn(Schema):
    lines: list[OrderLineIn] = Field(min_length=1, max_length=50)
    ship_to: str = Field("", max_length=300)


class CommerceOrderOut(Schema):
    number: str
    supplier: int
    status: str
    total_fen: int
    placed_at: dt.datetime
    paid_at: dt.datetime | None
    lines: list[dict[str, int]]


def _order(o: Order) -> dict[str, object]:
    return {
        "number": o.number,
        "supplier": o.supplier_id,
        "status": o.status,
        "total_fen": o.total_fen,
        "placed_at": o.placed_at,
        "paid_at": o.paid_at,
        "lines": [
            {"product": li.product_id, "quantity": li.quantity, "unit_price_fen": li.unit_price_fen}
            for li in o.lines.all()
        ],
    }


@router.post(
    "/orders",
    response={201: CommerceOrderOut},
    summary="Place an order (stock is allocated; 409 out_of_stock when it is not there)",
)
def place_order(request: HttpRequest, body: OrderIn) -> Status:  # type: ignore[type-arg]
    o = orders.place_order(
        wanted=[orders.Wanted(li.listing, li.quantity) for li in body.lines],
        ship_to=body.ship_to,
        by=acting_user(request),
    )
    return Status(201, _order(o))


@router.get("/orders/{order_number}", response=CommerceOrderOut, summary="An order")
def get_order(request: HttpRequest, order_number: str) -> dict[str, object]:
    return _order(selectors.get_order_for(request.user, order_number))


class PaymentIn(Schema):
    method: str = Field(max_length=20, description="test (gateway) or offline (operator)")
    token: str = Field("", max_length=64, description="gateway token or offline reference")


class CommercePaymentOut(Schema):
    method: str
    reference: str
    amount_fen: int
    ledger_index: int | None


@router.post(
    "/orders/{order_number}/payments",
    response={201: CommercePaymentOut},
    summary="Pay an order: the buyer through a gateway, or an operator records an offline payment",
)
def pay_order(request: HttpRequest, order_number: str, body: PaymentIn) -> Status:  # type: ignore[type-arg]
    o = selectors.get_order_for(request.user, order_number)
    p = orders.pay_order(order=o, method=body.method, token=body.token, by=acting_user(request))
    return Status(
        201,
        {
            "method": p.method,
            "reference": p.reference,
            "amount_fen": p.amount_fen,
            "ledger_index": p.ledger_index,
        },
    )


class TransitionIn(Schema):
    to: str = Field(description="shipped, delivered, completed, cancelled or refunded")
    note: str = Field("", max_length=200)


@router.post(
    "/orders/{order_number}/transitions",
    response=CommerceOrderOut,
    summary="Move an order along its pipeline (409 bad_transition when the step is not allowed)",
)
def move_order(request: HttpRequest, order_number: str, body: TransitionIn) -> dict[str, object]:
    o = selectors.get_order_for(request.user, order_number)
    by = acting_user(request)
    if body.to == "cancelled":
        o = orders.cancel_order(order=o, by=by, note=body.note)
    elif body.to == "refunded":
        orders.refund_order(order=o, by=by, note=body.note)
        o.refresh_from_db()
    else:
        o = orders.advance_order(order=o, to=body.to, by=by, note=body.note)
    return _order(o)


class VerifiedOut(Schema):
    id: int
    name: str
    verified_at: dt.datetime | None


@router.post(
    "/suppliers/{supplier_id}/verify",
    response=VerifiedOut,
    summary="A county officer verifies a supplier (then its products may be published)",
)
def verify_supplier(request: HttpRequest, supplier_id: int) -> dict[str, object]:
    s = selectors.get_supplier_for(request.user, supplier_id)
    s = services.verify_supplier(supplier=s, by=acting_user(request))
    return {"id": s.pk, "name": s.name, "verified_at": s.verified_at}


class CountySalesOut(Schema):
    code: str
    name: str
    poor: bool
    quantity: int
    amount_fen: int
    products: int


class SalesStatisticsOut(Schema):
    total_fen: int
    total_quantity: int
    threshold_fen: int
    poor_counties_above_threshold: int
    channel_products: int
    channel_counties: int
    counties: list[CountySalesOut]
    top_products: list[dict[str, object]]


@router.get(
    "/statistics",
    response=SalesStatisticsOut,
    summary="County sales statistics in the caller's scope (since/until dates; threshold in fen)",
)
def sales_statistics(
    request: HttpRequest,
    since: dt.date | None = None,
    until: dt.date | None = None,
    threshold_fen: int = statistics.YI_FEN,
) -> dict[str, object]:
    s = statistics.sales_statistics(
        request.user, since=since, until=until, threshold_fen=max(threshold_fen, 0)
    )
    return {
        "total_fen": s.total_fen,
        "total_quantity": s.total_quantity,
        "threshold_fen": s.threshold_fen,
        "poor_counties_above_threshold": len(s.poor_above_threshold),
        "channel_products": s.channel_products,
        "channel_counties": s.channel_counties,
        "counties": [asdict(c) for c in s.counties],
        "top_products": [
            {"product": r.key, "name": r.label, "quantity": r.quantity, "amount_fen": r.amount_fen}
            for r in s.products
        ],
    }


class MonthlySalesOut(Schema):
    product_id: int
    outlet_id: int
    month: dt.date
    quantity: int
    amount_fen: int


@router.get(
    "/sales/monthly",
    response=list[MonthlySalesOut],
    summary="Imported sales per product, outlet and month in the caller's scope",
)
def monthly_sales(
    request: HttpRequest, product: int | None = None, county: str = ""
) -> list[dict[str, object]]:
    rows = selectors.monthly_sales_for(
        request.user,
        product_ids=[product] if product else None,
        county_prefix=county or None,
    )
    return [r._asdict() for r in rows]


# --- a supplier's catalogue (the same services as its pages) ---------------------------------


class CatalogueProductIn(Schema):
    sku: str = Field(max_length=32, description="how outlets' statements name it; fixed")
    name: str = Field(max_length=100)
    category: str = Field(description="fruit, grain, tea, meat, vegetable, dried, honey, …")
    unit: str = Field("件", max_length=10)
    weight_g: int = Field(0, ge=0, le=1_000_000)
    story: str = Field("", max_length=5000)
    grade_standard: str = Field("", max_length=200)


class CatalogueProductPatch(Schema):
    name: str | None = Field(None, max_length=100)
    category: str | None = None
    unit: str | None = Field(None, max_length=10)
    weight_g: int | None = Field(None, ge=0, le=1_000_000)
    story: str | None = Field(None, max_length=5000)
    grade_standard: str | None = Field(None, max_length=200)


class CatalogueProductOut(Schema):
    id: int
    sku: str
    name: str
    category: str
    county: str
    supplier: int
    unit: str
    weight_g: int
    story: str
    grade_standard: str
    photos: list[str]


def _product(p: Product) -> dict[str, object]:
    return {
        "id": p.pk,
        "sku": p.sku,
        "name": p.name,
        "category": p.category,
        "county": p.county_code,
        "supplier": p.supplier_id,
        "unit": p.unit,
        "weight_g": p.weight_g,
        "story": p.story,
        "grade_standard": p.grade_standard,
        "photos": [ph.sha256 for ph in selectors.product_photos(p)],
    }


@router.post(
    "/suppliers/{supplier_id}/products",
    response={201: CatalogueProductOut},
    summary="A supplier adds a product (county of origin: the supplier's county)",
)
def create_product(request: HttpRequest, supplier_id: int, body: CatalogueProductIn) -> Status:  # type: ignore[type-arg]
    s = selectors.get_supplier_for(request.user, supplier_id)
    p = services.create_product(supplier=s, **body.dict(), by=acting_user(request))
    return Status(201, _product(p))


@router.patch(
    "/products/{product_id}",
    response=CatalogueProductOut,
    summary="Change a product (fields left out stay as they are; the SKU and county never change)",
)
def update_product(
    request: HttpRequest, product_id: int, body: CatalogueProductPatch
) -> dict[str, object]:
    p = selectors.get_product_for(request.user, product_id)
    fields = ("name", "category", "unit", "weight_g", "story", "grade_standard")
    given = body.dict(exclude_unset=True)
    values = {f: given[f] if given.get(f) is not None else getattr(p, f) for f in fields}
    p = catalogue.update_product(product=p, **values, by=acting_user(request))
    return _product(p)


class StockAdjustmentIn(Schema):
    warehouse: str = Field("", max_length=100, description="its name; empty: the main one")
    delta: int = Field(description="units in (positive) or out (negative), never zero")
    reason: str = Field(max_length=200)


class StockRecordOut(Schema):
    warehouse: str
    on_hand: int
    allocated: int
    available: int


@router.post(
    "/products/{product_id}/stock-adjustments",
    response={201: StockRecordOut},
    summary="Adjust a product's stock in a warehouse with a reason (never below what orders hold)",
)
def adjust_stock(request: HttpRequest, product_id: int, body: StockAdjustmentIn) -> Status:  # type: ignore[type-arg]
    p = selectors.get_product_for(request.user, product_id)
    r = services.adjust_stock(
        product=p,
        warehouse_name=body.warehouse,
        delta=body.delta,
        reason=body.reason,
        by=acting_user(request),
    )
    return Status(
        201,
        {
            "warehouse": r.warehouse.name,
            "on_hand": r.on_hand,
            "allocated": r.allocated,
            "available": r.available,
        },
    )
