"""巴东 order farming for the tests: a cooperative of households A001, A002 (village A) and
B001 (village B) with their land, a rice product sold by the kg at two outlets with three
years of seasonal history, and a finished forecast."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from tuopin.accounts import roles
from tuopin.accounts import services as accounts
from tuopin.commerce import services as commerce
from tuopin.commerce.models import OutletKind, Product, Supplier
from tuopin.conftest import COUNTY
from tuopin.farming import runs, services
from tuopin.farming.history import Shape, monthly_kg
from tuopin.farming.samples import load_monthly_sales
from tuopin.registry.models import Household

FIRST = dt.date(2016, 1, 1)
RICE = Shape(level_kg=800, peak_month=11, amplitude=0.5, growth=0.3, noise=0.06)
LAND = {"A001": 500, "A002": 300, "B001": 400}  # hundredths of a 亩


@pytest.fixture
def coop(households: None, county_officer: Any) -> Supplier:
    s = commerce.create_supplier(
        kind="cooperative", name="巴东红米合作社", county_code=COUNTY, by=county_officer
    )
    s = commerce.verify_supplier(supplier=s, by=county_officer)
    ids = list(Household.objects.filter(household_no__in=LAND).values_list("pk", flat=True))
    commerce.add_members(supplier=s, household_ids=ids, by=county_officer)
    return s


@pytest.fixture
def coop_user(coop: Supplier, county_officer: Any) -> Any:
    user = accounts.create_user(username="coop", role=roles.SUPPLIER, password="pw-coop")
    commerce.add_user(supplier=coop, user=user, by=county_officer)
    return user


@pytest.fixture
def rice(coop: Supplier, coop_user: Any, operator: Any) -> Product:
    product = commerce.create_product(
        supplier=coop, sku="BD-RICE", name="巴东红米", category="grain", unit="公斤",
        by=coop_user,
    )  # fmt: skip
    outlets = [
        commerce.create_outlet(code=f"O{i}", name=f"渠道{i}", kind=OutletKind.ONLINE, by=operator)
        for i in (1, 2)
    ]
    load_monthly_sales(
        label="rice",
        series={(product, o): monthly_kg(RICE, 36, seed=i) for i, o in enumerate(outlets)},
        first_month=FIRST,
        price_fen_per_unit={product.pk: 1200},
    )
    return product


@pytest.fixture
def grader(area_tree: None) -> Any:
    return accounts.create_user(
        username="grader2", role=roles.COUNTY_OFFICER, area_codes=[COUNTY], password="pw-g"
    )


@pytest.fixture
def land(county_officer: Any, coop: Supplier) -> None:
    for no, a in LAND.items():
        services.set_land(by=county_officer, household_no=no, land_centi_mu=a)


@pytest.fixture
def run(county_officer: Any, rice: Product) -> Any:
    return runs.forecast_now(by=county_officer, product_id=rice.pk, horizon=12)
