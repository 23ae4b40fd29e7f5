"""Monthly sales histories written as an outlet's sales statement (commerce's ``SalesLine``
rows, one per product, outlet and month): for the demo, the tests and the benchmark, where
no outlet has sent real statements. Set-based: one statement, one bulk insert."""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Mapping, Sequence

from django.utils import timezone

from tuopin.commerce.models import Outlet, Product, SalesLine, SalesStatement

from .runs import add_months


def load_monthly_sales(
    *,
    label: str,
    series: Mapping[tuple[Product, Outlet], Sequence[int]],
    first_month: dt.date,
    price_fen_per_unit: Mapping[int, int],
) -> SalesStatement:
    """``series[(product, outlet)]`` is monthly quantities (the product's unit) from
    ``first_month``; each month is one line dated the 15th. ``label`` names the statement
    (its digest, so loading the same label twice is refused by the statement's key)."""
    statement = SalesStatement.objects.create(
        digest=hashlib.sha256(label.encode()).hexdigest(),
        filename=f"{label}.csv",
        imported_at=timezone.now(),
    )
    lines = []
    n = 0
    for (product, outlet), values in series.items():
        for i, q in enumerate(values):
            if q <= 0:
                continue
            n += 1
            lines.append(
                SalesLine(
                    statement=statement,
                    line_no=n,
                    date=add_months(first_month, i).replace(day=15),
                    outlet=outlet,
                    product=product,
                    county_code=product.county_code,
                    quantity=q,
                    amount_fen=q * price_fen_per_unit[product.pk],
                )
            )
    SalesLine.objects.bulk_create(lines, batch_size=2000)
    SalesStatement.objects.filter(pk=statement.pk).update(total_lines=n, accepted=n)
    return statement
