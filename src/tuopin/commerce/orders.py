"""Writes on storefront orders: placing (stock allocated with a conditional UPDATE), moving
through the pipeline (:mod:`.pipeline`), payments through a method (:mod:`.payments`), refunds,
and supplier payouts per period. Every movement of money appends a ledger entry in the same
transaction."""

from __future__ import annotations

import datetime as dt
import secrets
from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.db import IntegrityError, transaction
from django.db.models import F, Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from tuopin.accounts import permissions
from tuopin.core.money import MAX_FEN
from tuopin.ledger import services as ledger

from . import payments, pipeline
from .errors import (
    BadPayment,
    BadPayout,
    BadRefund,
    BadTransition,
    NotListed,
    OrderNotFound,
    OutOfStock,
    SupplierNotFound,
)
from .models import (
    STOREFRONT_OUTLET,
    Listing,
    Order,
    OrderEvent,
    OrderLine,
    OrderRefund,
    OrderStatus,
    Payment,
    Payout,
    StockRecord,
    Supplier,
)
from .services import may_manage

if TYPE_CHECKING:
    from tuopin.accounts.models import User


@dataclass(frozen=True)
class Wanted:
    listing_id: int
    quantity: int


def _allocate(product_id: int, quantity: int) -> StockRecord:
    """Hold ``quantity`` units in the first warehouse that has them. The conditional UPDATE
    (``allocated + n <= on_hand``) is atomic in the database, so two orders racing for the last
    units cannot both win: no lock is held between the read and the write."""
    for record in StockRecord.objects.filter(product_id=product_id).order_by("pk"):
        won = StockRecord.objects.filter(
            pk=record.pk, allocated__lte=F("on_hand") - quantity
        ).update(allocated=F("allocated") + quantity)
        if won:
            return record
    raise OutOfStock(_("库存不足"), detail={"product": product_id, "quantity": quantity})


def _number() -> str:
    return timezone.localtime().strftime("%Y%m%d") + secrets.token_hex(5).upper()


def place_order(*, wanted: list[Wanted], ship_to: str, by: User) -> Order:
    """Place an order for published storefront listings of one supplier, allocating stock.
    Nothing is written unless every line's units are there."""
    permissions.require(by, "commerce.add_order")
    if not wanted:
        raise NotListed(_("购物车是空的"), code="empty_basket")
    if any(w.quantity < 1 or w.quantity > 10_000 for w in wanted):
        raise NotListed(_("数量必须在 1 到 10000 之间"), code="bad_quantity")
    today = timezone.localdate()
    listings = {
        li.pk: li
        for li in Listing.objects.select_related("product__supplier").filter(
            pk__in=[w.listing_id for w in wanted],
            published=True,
            outlet__code=STOREFRONT_OUTLET,
        )
    }
    for w in wanted:
        li = listings.get(w.listing_id)
        if li is None or (li.available_from and li.available_from > today):
            raise NotListed(_("商品未上架或已下架"), detail={"listing": w.listing_id})
        if li.product.supplier.verified_at is None:
            raise NotListed(_("商品未上架或已下架"), detail={"listing": w.listing_id})
    suppliers = {listings[w.listing_id].product.supplier_id for w in wanted}
    if len(suppliers) != 1:
        raise NotListed(_("一个订单只能包含同一供应商的商品"), code="mixed_suppliers")
    total = sum(listings[w.listing_id].price_fen * w.quantity for w in wanted)
    if total > MAX_FEN:
        raise NotListed(_("订单金额过大"), code="bad_quantity")
    now = timezone.now()
    with transaction.atomic():
        order = Order.objects.create(
            number=_number(),
            supplier_id=suppliers.pop(),
            buyer=by,
            ship_to=ship_to.strip()[:300],
            total_fen=total,
            placed_at=now,
        )
        lines = []
        for w in wanted:
            li = listings[w.listing_id]
            record = _allocate(li.product_id, w.quantity)
            lines.append(
                OrderLine(
                    order=order,
                    listing=li,
                    product_id=li.product_id,
                    stock=record,
                    quantity=w.quantity,
                    unit_price_fen=li.price_fen,
                    line_total_fen=li.price_fen * w.quantity,
                )
            )
        OrderLine.objects.bulk_create(lines)
        OrderEvent.objects.create(order=order, to_status=OrderStatus.PLACED, at=now, by=by)
    return order


def _release(order: Order, *, consume: bool) -> None:
    for line in order.lines.all():
        qs = StockRecord.objects.filter(pk=line.stock_id)
        if consume:
            qs.update(
                on_hand=F("on_hand") - line.quantity, allocated=F("allocated") - line.quantity
            )
        else:
            qs.update(allocated=F("allocated") - line.quantity)


def _move(order: Order, new: str, *, by: User, note: str = "") -> Order:
    """The one place a status changes: locks the order, checks the pipeline, applies the
    step's stock effect, records the event. Call inside ``transaction.atomic``."""
    locked = Order.objects.select_for_update().get(pk=order.pk)
    if not pipeline.allowed(locked.status, new):
        raise BadTransition(
            _("订单状态“%(a)s”不能变为“%(b)s”")
            % {"a": OrderStatus(locked.status).label, "b": OrderStatus(new).label},
            detail={"from": locked.status, "to": new},
        )
    step = (locked.status, new)
    if pipeline.RELEASES_STOCK.get(step):
        _release(locked, consume=False)
    elif pipeline.CONSUMES_STOCK.get(step):
        _release(locked, consume=True)
    now = timezone.now()
    OrderEvent.objects.create(
        order=locked, from_status=locked.status, to_status=new, at=now, by=by, note=note[:200]
    )
    locked.status = new
    fields = ["status"]
    if new == pipeline.PAID:
        locked.paid_at = now
        fields.append("paid_at")
    if new in pipeline.CLOSING:
        locked.closed_at = now
        fields.append("closed_at")
    locked.save(update_fields=fields)
    return locked


def _own_order(order: Order, user: User) -> bool:
    return bool(order.buyer_id and order.buyer_id == user.pk)


@transaction.atomic
def cancel_order(*, order: Order, by: User, note: str = "") -> Order:
    """The buyer (or an operator) cancels an unpaid order; its units go back to stock."""
    if not _own_order(order, by):
        permissions.require(by, "commerce.advance_order")
        if not may_manage(by, order.supplier):
            raise OrderNotFound(_("订单不存在"))
    return _move(order, pipeline.CANCELLED, by=by, note=note)


@transaction.atomic
def advance_order(*, order: Order, to: str, by: User, note: str = "") -> Order:
    """The supplier or an operator ships or marks delivered; the buyer or an operator completes."""
    if to not in (pipeline.SHIPPED, pipeline.DELIVERED, pipeline.COMPLETED):
        raise BadTransition(_("此操作不能用于该状态"), detail={"to": to})
    if not (to == pipeline.COMPLETED and _own_order(order, by)):
        permissions.require(by, "commerce.advance_order")
        if not may_manage(by, order.supplier):
            raise OrderNotFound(_("订单不存在"))
    return _move(order, to, by=by, note=note)


def pay_order(*, order: Order, method: str, token: str, by: User) -> Payment:
    """Take payment for a placed order through ``method`` and mark it paid. The buyer pays
    with an online method; an operator records an offline one."""
    pm = payments.method(method)
    if pm.operator_only:
        permissions.require(by, "commerce.record_payment")
    elif not _own_order(order, by):
        raise OrderNotFound(_("订单不存在"))
    if order.status != pipeline.PLACED:
        raise BadTransition(_("只有待付款的订单可以付款"), detail={"from": order.status})
    charge = pm.charge(order_number=order.number, amount_fen=order.total_fen, token=token)
    if charge.amount_fen != order.total_fen:
        raise BadPayment(_("付款金额与订单金额不符"), code="amount_mismatch")
    try:
        with transaction.atomic():
            locked = _move(order, pipeline.PAID, by=by, note=pm.code)
            entry = ledger.append_entry(
                kind="procurement",
                payload={
                    "what": "commerce.order_payment",
                    "order": locked.number,
                    "supplier": locked.supplier_id,
                    "amount_fen": charge.amount_fen,
                    "method": pm.code,
                },
            )
            return Payment.objects.create(
                order=locked,
                method=pm.code,
                reference=charge.reference,
                amount_fen=charge.amount_fen,
                at=timezone.now(),
                recorded_by=by,
                ledger_index=entry.index,
            )
    except IntegrityError:
        raise BadPayment(_("该支付流水号已登记过"), code="duplicate_reference") from None


@transaction.atomic
def refund_order(*, order: Order, by: User, note: str = "") -> OrderRefund:
    """An operator refunds a paid order in full: units not yet shipped go back to stock, the
    refund is deducted from the supplier's payout for the period it falls in."""
    permissions.require(by, "commerce.add_orderrefund")
    paid = Payment.objects.filter(order=order).aggregate(s=Sum("amount_fen"))["s"] or 0
    if paid <= 0:
        raise BadRefund(_("订单没有付款，无需退款"))
    locked = _move(order, pipeline.REFUNDED, by=by, note=note)
    entry = ledger.append_entry(
        kind="refund",
        payload={
            "what": "commerce.order_refund",
            "order": locked.number,
            "supplier": locked.supplier_id,
            "amount_fen": paid,
        },
    )
    return OrderRefund.objects.create(
        order=locked, amount_fen=paid, at=timezone.now(), by=by, ledger_index=entry.index
    )


def _day_bounds(start: dt.date, end: dt.date) -> tuple[dt.datetime, dt.datetime]:
    tz = timezone.get_current_timezone()
    lo = dt.datetime.combine(start, dt.time.min, tzinfo=tz)
    hi = dt.datetime.combine(end + dt.timedelta(days=1), dt.time.min, tzinfo=tz)
    return lo, hi


def period_totals(supplier: Supplier, start: dt.date, end: dt.date) -> tuple[int, int]:
    """Payments received and refunds made for the supplier's orders in ``[start, end]``."""
    lo, hi = _day_bounds(start, end)
    gross = Payment.objects.filter(order__supplier=supplier, at__gte=lo, at__lt=hi).aggregate(
        s=Sum("amount_fen")
    )["s"]
    refunds = OrderRefund.objects.filter(order__supplier=supplier, at__gte=lo, at__lt=hi).aggregate(
        s=Sum("amount_fen")
    )["s"]
    return int(gross or 0), int(refunds or 0)


@transaction.atomic
def create_payout(*, supplier: Supplier, start: dt.date, end: dt.date, by: User) -> Payout:
    """Settle a supplier for a period: payments minus refunds, one ledger entry. Periods of one
    supplier never overlap, so nothing is paid twice."""
    permissions.require(by, "commerce.add_payout")
    if not may_manage(by, supplier):
        raise SupplierNotFound(_("供应商不存在或不在您的管辖范围内"))
    if end < start:
        raise BadPayout(_("结算期的截止日早于起始日"), code="bad_period")
    if end >= timezone.localdate():
        raise BadPayout(_("结算期须已结束（截止日早于今天）"), code="period_open")
    Supplier.objects.select_for_update().get(pk=supplier.pk)
    paid = Payout.objects.filter(
        supplier=supplier, period_start__lte=end, period_end__gte=start
    ).first()
    if paid is not None:
        raise BadPayout(
            _("%(s)s 的 %(a)s 至 %(b)s 已经结算过，不能重复结算")
            % {"s": supplier.name, "a": paid.period_start, "b": paid.period_end},
            code="overlapping_period",
        )
    gross, refunds = period_totals(supplier, start, end)
    net = gross - refunds
    entry = ledger.append_entry(
        kind="payout",
        payload={
            "what": "commerce.supplier_payout",
            "supplier": supplier.pk,
            "period": f"{start.isoformat()}/{end.isoformat()}",
            "gross_fen": gross,
            "refunds_fen": refunds,
            "amount_fen": net,
        },
    )
    return Payout.objects.create(
        supplier=supplier,
        period_start=start,
        period_end=end,
        gross_fen=gross,
        refunds_fen=refunds,
        net_fen=net,
        created_by=by,
        ledger_index=entry.index,
    )
