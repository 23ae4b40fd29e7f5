"""The commerce demo: the model counties' products, two years of sales, an order in every
state; a second run adds nothing."""

from __future__ import annotations

import datetime as dt

import pytest

from tuopin.accounts import roles
from tuopin.accounts import services as accounts
from tuopin.areas import services as areas
from tuopin.commerce.models import Order, Product, SalesLine, Supplier
from tuopin.demo.commerce import MONTHS, OUTLETS, PRODUCTS, build_commerce


@pytest.mark.usefixtures("empty_the_log_afterwards")
@pytest.mark.django_db(transaction=True)
def test_the_commerce_demo_builds_once() -> None:
    provinces = sorted({c[:2].ljust(12, "0") for c, *_ in PRODUCTS})  # each once in one insert
    areas.create_areas(
        rows=[(p, "省", None, None) for p in provinces]
        + [(c.ljust(12, "0"), f"县{c}", None, None) for c, *_ in PRODUCTS]
    )
    accounts.create_user(username="operator", role=roles.OPERATOR)
    today = dt.date(2018, 6, 30)
    first = build_commerce(seed=2018, today=today, password="pw")
    assert Product.objects.filter(name__in=["巴楚留香瓜", "元阳红米", "金寨猕猴桃"]).count() == 3
    assert first.sales_lines == len(PRODUCTS) * len(OUTLETS) * MONTHS == SalesLine.objects.count()
    assert sorted(Order.objects.values_list("status", flat=True)) == sorted(
        ["placed", "paid", "shipped", "delivered", "completed", "cancelled", "refunded"]
    )
    assert Supplier.objects.filter(verified_at__isnull=False).count() == len(PRODUCTS)
    again = build_commerce(seed=2018, today=today, password="pw")
    assert again.sales_lines == 0
    assert SalesLine.objects.count() == first.sales_lines
    assert Order.objects.count() == 7
