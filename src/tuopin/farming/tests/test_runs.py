"""Forecast runs on commerce's sales: the history per outlet, a run with progress and its
back-test, no-history refusal, scope."""

from __future__ import annotations

from typing import Any

import pytest

from tuopin.commerce.models import Product
from tuopin.farming import runs
from tuopin.farming.errors import BadForecast, FarmingNotFound
from tuopin.farming.models import RunStatus

from .conftest import FIRST


def test_the_history_is_monthly_kg_per_outlet(rice: Product) -> None:
    h = runs.history_of(rice)
    assert h.months[0] == FIRST and len(h.months) == 36
    assert len(h.by_outlet) == 2
    assert h.total_kg[0] == sum(s[0] for s in h.by_outlet.values())


def test_a_run_forecasts_every_outlet_with_its_back_test(run: Any) -> None:
    assert run.status == RunStatus.DONE
    assert (run.series_total, run.series_done) == (2, 2)
    assert len(run.mean_kg) == 12 and all(
        lo <= m <= hi for lo, m, hi in zip(run.lo_kg, run.mean_kg, run.hi_kg, strict=True)
    )
    for s in run.series.all():
        assert s.method == "AutoETS" and s.mase is not None and s.naive_mase is not None


def test_the_forecast_starts_the_month_after_the_last_sale(run: Any) -> None:
    assert run.first_month.isoformat() == "2019-01-01"


def test_a_product_without_history_fails_the_run_with_the_reason(
    county_officer: Any, rice: Product
) -> None:
    bare = Product.objects.create(
        sku="BD-NONE", name="无销售", category="grain", county_code=rice.county_code,
        supplier=rice.supplier,
    )  # fmt: skip
    run = runs.forecast_now(by=county_officer, product_id=bare.pk)
    assert run.status == RunStatus.FAILED
    assert "没有任何销售记录" in run.error


@pytest.mark.parametrize("horizon", [0, 25])
def test_a_horizon_out_of_range_is_refused(
    county_officer: Any, rice: Product, horizon: int
) -> None:
    with pytest.raises(BadForecast):
        runs.start_forecast(by=county_officer, product_id=rice.pk, horizon=horizon)


def test_an_officer_of_another_county_cannot_forecast_the_product(
    rice: Product, cadre_b: Any, operator: Any
) -> None:
    from tuopin.accounts import roles
    from tuopin.accounts import services as accounts

    other = accounts.create_user(
        username="dingxi", role=roles.COUNTY_OFFICER, area_codes=["621102000000"], password="x"
    )
    with pytest.raises(FarmingNotFound):
        runs.start_forecast(by=other, product_id=rice.pk)


def test_the_command_line_prints_the_forecast_as_json(
    rice: Product, capsys: pytest.CaptureFixture[str]
) -> None:
    import json

    from django.core.management import call_command

    call_command("farming", "forecast", "BD-RICE", "--horizon", "6", "--json")
    data = json.loads(capsys.readouterr().out)
    assert data["first_month"] == "2019-01-01" and len(data["mean_kg"]) == 6
    assert {s["method"] for s in data["series"]} == {"AutoETS"}
    assert all(s["mase"] is not None for s in data["series"])
