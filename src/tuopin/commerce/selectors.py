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
from typing import NamedTuple

from django.db.models import Sum
from django.db.models.functions import TruncMonth

from .models import SalesLine


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
