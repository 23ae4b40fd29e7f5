from __future__ import annotations

import random
from collections import defaultdict
from pathlib import Path

import pytest

from tuopin.commerce import salesimport, selectors, services, statistics
from tuopin.commerce.models import SalesLine
from tuopin.core.errors import PermissionDenied


@pytest.fixture
def sales(product, tmall, storefront, operator, other_supplier, tmp_path: Path):  # type: ignore[no-untyped-def]
    potato = services.create_product(
        supplier=other_supplier,
        sku="AD-POTATO",
        name="安定马铃薯",
        category="vegetable",
        by=operator,
    )
    rng = random.Random(7)
    rows = ["日期,渠道,商品编码,数量,金额"]
    for _ in range(300):
        sku = rng.choice([product.sku, potato.sku])
        outlet = rng.choice(["TMALL", "STORE"])
        day = f"2025-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}"
        q = rng.randint(1, 50)
        rows.append(f"{day},{outlet},{sku},{q},{q * rng.randint(5, 40)}.{rng.randint(0, 99):02d}")
    path = tmp_path / "s.csv"
    path.write_text("\n".join(rows) + "\n", encoding="utf-8")
    salesimport.import_sales(path=path, by=operator)


def brute(key):  # type: ignore[no-untyped-def]
    out: dict[object, list[int]] = defaultdict(lambda: [0, 0])
    for line in SalesLine.objects.all():
        k = key(line)
        out[k][0] += line.quantity
        out[k][1] += line.amount_fen
    return {k: tuple(v) for k, v in out.items()}


def test_county_outlet_and_month_figures_match_brute_force_sums(sales, operator):
    stats = statistics.sales_statistics(operator, threshold_fen=1)
    assert {c.code: (c.quantity, c.amount_fen) for c in stats.counties} == brute(
        lambda x: x.county_code
    )
    assert {r.key: (r.quantity, r.amount_fen) for r in stats.outlets} == brute(
        lambda x: x.outlet_id
    )
    assert {(r.key.year, r.key.month): (r.quantity, r.amount_fen) for r in stats.months} == brute(
        lambda x: (x.date.year, x.date.month)
    )
    assert stats.products[0].amount_fen >= stats.products[-1].amount_fen


def test_only_poor_counties_above_the_threshold_are_listed(sales, operator):
    stats = statistics.sales_statistics(operator, threshold_fen=1)
    assert [c.name for c in stats.poor_above_threshold] == ["巴东县"]
    assert statistics.sales_statistics(operator, threshold_fen=10**15).poor_above_threshold == []


def test_a_county_officer_sees_only_their_county(sales, county_officer):
    stats = statistics.sales_statistics(county_officer)
    assert [c.code for c in stats.counties] == ["422823000000"]


def test_a_supplier_account_sees_no_statistics(sales, supplier_user):
    with pytest.raises(PermissionDenied):
        statistics.sales_statistics(supplier_user)


def test_monthly_sales_sums_per_product_outlet_and_month(sales, product):
    rows = selectors.monthly_sales(product_ids=[product.pk])
    expected = brute(
        lambda x: (
            (x.product_id, x.outlet_id, x.date.year, x.date.month)
            if x.product_id == product.pk
            else None
        )
    )
    expected.pop(None, None)
    assert {
        (r.product_id, r.outlet_id, r.month.year, r.month.month): (r.quantity, r.amount_fen)
        for r in rows
    } == expected
    assert all(r.month.day == 1 for r in rows)
