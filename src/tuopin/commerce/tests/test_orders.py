from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from tuopin.commerce import orders, pipeline
from tuopin.commerce.errors import BadPayment, BadPayout, BadTransition, OrderNotFound, OutOfStock
from tuopin.commerce.models import Order, OrderStatus, StockRecord
from tuopin.core.errors import PermissionDenied
from tuopin.ledger.models import Entry

pytestmark = pytest.mark.django_db


def stock() -> tuple[int, int]:
    record = StockRecord.objects.get()
    return record.on_hand, record.allocated


@pytest.fixture
def order(listing, buyer) -> Order:  # type: ignore[no-untyped-def]
    return orders.place_order(wanted=[orders.Wanted(listing.pk, 3)], ship_to="巴东", by=buyer)


@pytest.fixture
def paid(order, buyer) -> Order:  # type: ignore[no-untyped-def]
    orders.pay_order(order=order, method="test", token="ok", by=buyer)
    order.refresh_from_db()
    return order


def test_placing_an_order_allocates_its_units(order):
    assert order.total_fen == 3 * 2990
    assert stock() == (10, 3)


def test_an_order_over_the_stock_is_refused_and_nothing_is_written(listing, buyer):
    with pytest.raises(OutOfStock):
        orders.place_order(wanted=[orders.Wanted(listing.pk, 11)], ship_to="", by=buyer)
    assert not Order.objects.exists()
    assert stock() == (10, 0)


def test_cancelling_a_placed_order_releases_its_units(order, buyer):
    orders.cancel_order(order=order, by=buyer)
    assert stock() == (10, 0)
    assert Order.objects.get().status == OrderStatus.CANCELLED


def test_a_paid_order_cannot_be_cancelled(paid, buyer):
    with pytest.raises(BadTransition):
        orders.cancel_order(order=paid, by=buyer)
    assert stock() == (10, 3)


def test_the_test_gateway_pays_and_the_payment_is_a_ledger_entry(paid):
    assert paid.status == OrderStatus.PAID
    assert Entry.objects.filter(kind="procurement").count() == 1


def test_a_declined_payment_leaves_the_order_placed(order, buyer):
    with pytest.raises(BadPayment):
        orders.pay_order(order=order, method="test", token="decline", by=buyer)
    order.refresh_from_db()
    assert order.status == OrderStatus.PLACED
    assert not Entry.objects.exists()


def test_only_an_operator_records_an_offline_payment(order, buyer, operator):
    with pytest.raises(PermissionDenied):
        orders.pay_order(order=order, method="offline", token="BANK-1", by=buyer)
    payment = orders.pay_order(order=order, method="offline", token="BANK-1", by=operator)
    assert payment.reference == "BANK-1"


def test_someone_else_cannot_pay_a_buyers_order_online(order, donor):
    with pytest.raises(OrderNotFound):
        orders.pay_order(order=order, method="test", token="ok", by=donor)


def test_shipping_takes_the_units_out_of_the_warehouse(paid, supplier_user):
    orders.advance_order(order=paid, to=pipeline.SHIPPED, by=supplier_user)
    assert stock() == (7, 0)


def test_the_whole_pipeline_runs_to_completed(paid, supplier_user, buyer):
    orders.advance_order(order=paid, to=pipeline.SHIPPED, by=supplier_user)
    orders.advance_order(order=paid, to=pipeline.DELIVERED, by=supplier_user)
    done = orders.advance_order(order=paid, to=pipeline.COMPLETED, by=buyer)
    assert done.status == OrderStatus.COMPLETED
    assert list(done.events.values_list("to_status", flat=True)) == [
        "placed",
        "paid",
        "shipped",
        "delivered",
        "completed",
    ]


def test_an_order_cannot_skip_a_step(paid, supplier_user):
    with pytest.raises(BadTransition):
        orders.advance_order(order=paid, to=pipeline.DELIVERED, by=supplier_user)


def test_an_unpaid_order_cannot_be_shipped(order, supplier_user):
    with pytest.raises(BadTransition):
        orders.advance_order(order=order, to=pipeline.SHIPPED, by=supplier_user)


def test_a_buyer_cannot_ship_their_own_order(paid, buyer):
    with pytest.raises(PermissionDenied):
        orders.advance_order(order=paid, to=pipeline.SHIPPED, by=buyer)


def test_refunding_a_paid_order_releases_its_units(paid, operator):
    refund = orders.refund_order(order=paid, by=operator)
    assert refund.amount_fen == paid.total_fen
    assert stock() == (10, 0)
    assert Entry.objects.filter(kind="refund").count() == 1


def test_refunding_a_shipped_order_does_not_restock(paid, supplier_user, operator):
    orders.advance_order(order=paid, to=pipeline.SHIPPED, by=supplier_user)
    orders.refund_order(order=paid, by=operator)
    assert stock() == (7, 0)


def test_a_payout_is_payments_net_of_refunds(listing, buyer, operator, coop):
    first = orders.place_order(wanted=[orders.Wanted(listing.pk, 2)], ship_to="", by=buyer)
    second = orders.place_order(wanted=[orders.Wanted(listing.pk, 1)], ship_to="", by=buyer)
    orders.pay_order(order=first, method="test", token="a", by=buyer)
    orders.pay_order(order=second, method="test", token="b", by=buyer)
    orders.refund_order(order=second, by=operator)
    today = timezone.localdate()
    with pytest.raises(BadPayout):
        orders.create_payout(supplier=coop, start=today, end=today, by=operator)
    tomorrow = today + dt.timedelta(days=1)
    with _today(tomorrow):
        payout = orders.create_payout(supplier=coop, start=today, end=today, by=operator)
        assert (payout.gross_fen, payout.refunds_fen, payout.net_fen) == (3 * 2990, 2990, 2 * 2990)
        assert Entry.objects.filter(kind="payout").count() == 1
        with pytest.raises(BadPayout):
            orders.create_payout(supplier=coop, start=today, end=today, by=operator)


def _today(day: dt.date):  # type: ignore[no-untyped-def]
    from unittest import mock

    return mock.patch("tuopin.commerce.orders.timezone.localdate", return_value=day)
