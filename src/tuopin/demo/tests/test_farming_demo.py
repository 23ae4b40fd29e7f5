"""The order-farming demo on commerce's demo: 元阳红米's flagship, forecast with its back-test,
contract with a 6.8 元/kg floor paid against a 3.6 market; a second run adds nothing."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from pathlib import Path

import pytest

from tuopin.accounts import roles
from tuopin.accounts import services as accounts
from tuopin.areas import services as areas
from tuopin.conftest import person_row
from tuopin.demo.commerce import PRODUCTS, build_commerce
from tuopin.demo.farming import build_farming
from tuopin.farming.models import Delivery, Flagship, ForecastSeries, Payment
from tuopin.registry import services as registry

YUANYANG_VILLAGE = "532528100201"


@pytest.mark.usefixtures("empty_the_log_afterwards")
@pytest.mark.django_db(transaction=True)
def test_the_farming_demo_pays_yuanyang_rice_at_the_floor(
    write_csv: Callable[..., Path],
) -> None:
    provinces = sorted({c[:2].ljust(12, "0") for c, *_ in PRODUCTS})  # once each: PostgreSQL
    areas.create_areas(
        rows=[(p, "省", None, None) for p in provinces]
        + [(c.ljust(12, "0"), f"县{c}", None, None) for c, *_ in PRODUCTS]
        + [("532528100000", "新街镇", None, None), (YUANYANG_VILLAGE, "箐口村", None, None)]
    )
    rows = [
        person_row(f"Y{i:03d}", f"户主{i}", seq=10 + 2 * i + 1, village=YUANYANG_VILLAGE)
        for i in range(10)
    ]
    assert registry.import_registry(path=write_csv(rows)).errors == []
    accounts.create_user(username="operator", role=roles.OPERATOR)
    today = dt.date(2018, 6, 30)
    build_commerce(seed=2018, today=today, password="pw")
    first = build_farming(seed=2018, today=today, password="pw")
    assert first.contracts == 1  # only 元阳's cooperative has member households here
    assert Flagship.objects.get(county_code="532528000000").product.name == "元阳红米"
    assert ForecastSeries.objects.filter(mase__isnull=False).exists()
    paid = Delivery.objects.filter(status="paid", grade="一级").first()
    assert paid is not None and paid.price_fen == 680  # max(6.80 floor, 3.60 market)
    assert Payment.objects.count() == first.payments > 0
    again = build_farming(seed=2018, today=today, password="pw")
    assert again.contracts == 0 and Payment.objects.count() == first.payments
