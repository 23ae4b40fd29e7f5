"""The order status pipeline as data (pure; no Django): which status may follow which, and
what each step does to the stock. Checked in one place, :func:`check`."""

from __future__ import annotations

PLACED = "placed"
PAID = "paid"
SHIPPED = "shipped"
DELIVERED = "delivered"
COMPLETED = "completed"
CANCELLED = "cancelled"
REFUNDED = "refunded"

PIPELINE: dict[str, frozenset[str]] = {
    PLACED: frozenset({PAID, CANCELLED}),
    PAID: frozenset({SHIPPED, REFUNDED}),
    SHIPPED: frozenset({DELIVERED, REFUNDED}),
    DELIVERED: frozenset({COMPLETED, REFUNDED}),
    COMPLETED: frozenset(),
    CANCELLED: frozenset(),
    REFUNDED: frozenset(),
}
"""status → the statuses it may move to (django-oscar's ``OSCAR_ORDER_STATUS_PIPELINE``)."""

RELEASES_STOCK: dict[tuple[str, str], bool] = {
    (PLACED, CANCELLED): True,
    (PAID, REFUNDED): True,
}
"""Steps that hand the order's allocated units back (the goods never left the warehouse)."""

CONSUMES_STOCK: dict[tuple[str, str], bool] = {(PAID, SHIPPED): True}
"""Steps that take the allocated units out of the warehouse (on hand and allocated both drop)."""

CLOSING = frozenset({COMPLETED, CANCELLED, REFUNDED})


def allowed(current: str, new: str) -> bool:
    return new in PIPELINE.get(current, frozenset())


def next_statuses(current: str) -> list[str]:
    """The statuses ``current`` may move to, in pipeline order."""
    order = list(PIPELINE)
    return sorted(PIPELINE.get(current, frozenset()), key=order.index)
