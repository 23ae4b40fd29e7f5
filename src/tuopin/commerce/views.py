"""The storefront (兴农扶贫): browse by province, county and category; a product's page with its
county's and supplier's story; a basket in the session; orders and their payment."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from tuopin.accounts import permissions
from tuopin.accounts.selectors import acting_user
from tuopin.areas import selectors as areas
from tuopin.core.errors import DomainError

from . import orders, payments, pipeline, selectors
from .models import Category, OrderStatus

BASKET = "commerce_basket"


def shop(request: HttpRequest) -> HttpResponse:
    """Browse the channel: by province (2-digit prefix), county and category."""
    area = "".join(ch for ch in request.GET.get("area", "") if ch.isdigit())[:6]
    category = request.GET.get("category", "")
    if category not in Category.values:
        category = ""
    listings = list(selectors.storefront_listings(area_prefix=area, category=category)[:200])
    county_rows = selectors.storefront_counties()
    names = areas.areas_by_codes(
        [c for c, _n in county_rows] + list({c[:2].ljust(12, "0") for c, _n in county_rows})
    )
    provinces = sorted({c[:2] for c, _n in county_rows})
    for li in listings:
        li.county_name = _name(names, li.product.county_code)  # type: ignore[attr-defined]
    return render(
        request,
        "commerce/shop.html",
        {
            "listings": listings,
            "area": area,
            "category": category,
            "categories": Category.choices,
            "provinces": [(p, _name(names, p.ljust(12, "0"))) for p in provinces],
            "counties": [
                (c[:6], _name(names, c), n)
                for c, n in county_rows
                if not area or c.startswith(area[:2])
            ],
        },
    )


def _name(names: dict, code: str) -> str:  # type: ignore[type-arg]
    area = names.get(code)
    return area.name if area else code


def product(request: HttpRequest, listing_id: int) -> HttpResponse:
    """A product on the storefront: price, the county's and the supplier's story, the member
    households of the cooperative and the sales the product brought."""
    listing = selectors.storefront_listing(listing_id)
    p = listing.product
    county = areas.areas_by_codes([p.county_code]).get(p.county_code)
    return render(
        request,
        "commerce/product.html",
        {
            "listing": listing,
            "p": p,
            "county": county,
            "members": selectors.member_households(p.supplier),
            "sold": selectors.product_sales_total(p),
            "available": selectors.available_units(p),
            "photos": selectors.product_photos(p),
        },
    )


def basket(request: HttpRequest) -> HttpResponse:
    """The basket (in the session). POST adds a listing or sets its quantity (0 removes)."""
    held: dict[str, int] = request.session.get(BASKET, {})
    if request.method == "POST":
        try:
            listing = selectors.storefront_listing(int(request.POST.get("listing", "0")))
            quantity = int(request.POST.get("quantity", "1"))
        except (ValueError, DomainError):
            messages.error(request, _("商品不存在或未上架"))
            return redirect("commerce:basket")
        key = str(listing.pk)
        if request.POST.get("set"):
            held[key] = max(0, min(quantity, 999))
        else:
            held[key] = max(0, min(held.get(key, 0) + quantity, 999))
        if not held[key]:
            del held[key]
        request.session[BASKET] = held
        return redirect("commerce:basket")
    lines = selectors.basket_lines(held)
    return render(
        request,
        "commerce/basket.html",
        {"lines": lines, "total_fen": sum(li["total_fen"] for li in lines)},
    )


@login_required
@require_POST
def checkout(request: HttpRequest) -> HttpResponse:
    """Place one order per supplier in the basket; the basket empties as they are placed."""
    by = acting_user(request)
    permissions.require(by, "commerce.add_order")
    held: dict[str, int] = request.session.get(BASKET, {})
    lines = selectors.basket_lines(held)
    if not lines:
        messages.error(request, _("购物车是空的"))
        return redirect("commerce:basket")
    by_supplier: dict[int, list[orders.Wanted]] = {}
    for li in lines:
        by_supplier.setdefault(li["listing"].product.supplier_id, []).append(
            orders.Wanted(li["listing"].pk, li["quantity"])
        )
    placed = []
    for wanted in by_supplier.values():
        try:
            placed.append(
                orders.place_order(wanted=wanted, ship_to=request.POST.get("ship_to", ""), by=by)
            )
        except DomainError as exc:
            messages.error(request, exc.message)
            continue
        for w in wanted:
            held.pop(str(w.listing_id), None)
    request.session[BASKET] = held
    if len(placed) == 1:
        return redirect("commerce:order", order_number=placed[0].number)
    return redirect("commerce:my_orders")


@login_required
def my_orders(request: HttpRequest) -> HttpResponse:
    permissions.require(request.user, "commerce.add_order")
    return render(
        request,
        "commerce/my_orders.html",
        {"orders": selectors.my_orders(request.user)[:200]},
    )


@login_required
def order(request: HttpRequest, order_number: str) -> HttpResponse:
    """An order for its buyer (pay, cancel, confirm receipt) or for those who work on it
    (ship, deliver, record an offline payment, refund)."""
    o = selectors.get_order_for(request.user, order_number)
    user = acting_user(request)
    own = o.buyer_id == user.pk
    staff = permissions.has(user, "commerce.advance_order") and not own
    return render(
        request,
        "commerce/order.html",
        {
            "o": o,
            "lines": o.lines.select_related("product"),
            "events": o.events.all(),
            "payments": o.payments.all(),
            "own": own,
            "may_pay_online": own and o.status == OrderStatus.PLACED,
            "may_record": permissions.has(user, "commerce.record_payment")
            and o.status == OrderStatus.PLACED,
            "may_refund": permissions.has(user, "commerce.add_orderrefund")
            and pipeline.allowed(o.status, pipeline.REFUNDED),
            "may_cancel": (own or staff) and pipeline.allowed(o.status, pipeline.CANCELLED),
            "next_steps": [
                (s, OrderStatus(s).label)
                for s in pipeline.next_statuses(o.status)
                if s in (pipeline.SHIPPED, pipeline.DELIVERED)
                and staff
                or s == pipeline.COMPLETED
                and (own or staff)
            ],
            "online_methods": [m for m in payments.METHODS.values() if not m.operator_only],
        },
    )


@login_required
@require_POST
def order_action(request: HttpRequest, order_number: str) -> HttpResponse:
    """One step on an order: pay, offline, cancel, refund or advance (to)."""
    o = selectors.get_order_for(request.user, order_number)
    by = acting_user(request)
    action = request.POST.get("action", "")
    try:
        if action == "pay":
            orders.pay_order(
                order=o,
                method=request.POST.get("method", "test"),
                token=request.POST.get("token", "ok"),
                by=by,
            )
        elif action == "offline":
            orders.pay_order(
                order=o, method="offline", token=request.POST.get("reference", ""), by=by
            )
        elif action == "cancel":
            orders.cancel_order(order=o, by=by)
        elif action == "refund":
            orders.refund_order(order=o, by=by, note=request.POST.get("note", ""))
        else:
            orders.advance_order(order=o, to=request.POST.get("to", ""), by=by)
    except DomainError as exc:
        if exc.status in (403, 404):
            raise
        messages.error(request, exc.message)
    else:
        messages.success(request, _("已完成"))
    return redirect("commerce:order", order_number=o.number)
