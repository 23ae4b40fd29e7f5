"""Concurrent orders for the last units never oversell: 30 buyers race for 10 units, exactly
10 orders are placed and the stock ends fully allocated. Real threads, each with its own
connection, on PostgreSQL and on SQLite (there the in-memory test database is copied to a file
first, since threads cannot share an in-memory database; SQLite serialises the writers)."""

from __future__ import annotations

import sqlite3
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
from django.db import connection, connections

from tuopin.commerce import orders
from tuopin.commerce.errors import OutOfStock
from tuopin.commerce.models import Listing

pytestmark = [
    pytest.mark.usefixtures("empty_the_log_afterwards"),
    pytest.mark.django_db(transaction=True),
]
BUYERS = 30


@pytest.fixture
def shared_database(tmp_path: Path) -> Iterator[Path | None]:
    """On SQLite: the test database as a file that every thread opens (``None`` on PostgreSQL)."""
    if connection.vendor != "sqlite":
        yield None
        return
    path = tmp_path / "race.sqlite3"
    connection.ensure_connection()
    with sqlite3.connect(path) as dest:
        connection.connection.backup(dest)
    settings = connections.settings["default"]
    before = settings["NAME"]
    settings["NAME"] = str(path)
    try:
        yield path
    finally:
        settings["NAME"] = before


def race(listing: Listing, buyer, n: int) -> tuple[int, int]:  # type: ignore[no-untyped-def]
    barrier = threading.Barrier(n)
    won: list[str] = []
    lost: list[str] = []

    def one() -> None:
        try:
            barrier.wait()
            try:
                orders.place_order(wanted=[orders.Wanted(listing.pk, 1)], ship_to="", by=buyer)
                won.append("ok")
            except OutOfStock:
                lost.append("out")
        finally:
            connections["default"].close()

    threads = [threading.Thread(target=one) for _ in range(n)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return len(won), len(lost)


def test_thirty_buyers_racing_for_ten_units_place_exactly_ten_orders(
    listing: Listing, buyer, shared_database: Path | None
) -> None:  # type: ignore[no-untyped-def]
    won, lost = race(listing, buyer, BUYERS)
    assert (won, lost) == (10, BUYERS - 10)
    if shared_database is not None:
        with sqlite3.connect(shared_database) as db:
            (orders_n,) = db.execute("SELECT COUNT(*) FROM commerce_order").fetchone()
            stock = db.execute("SELECT on_hand, allocated FROM commerce_stockrecord").fetchall()
    else:
        from tuopin.commerce.models import Order, StockRecord

        orders_n = Order.objects.count()
        stock = list(StockRecord.objects.values_list("on_hand", "allocated"))
    assert orders_n == 10
    assert stock == [(10, 10)]
