"""Forecasts, pure: the method follows the series, the stated fallbacks, the back-test
against seasonal naive. No database."""

from __future__ import annotations

import pytest

from tuopin.farming import forecast as fc
from tuopin.farming.history import Shape, monthly_kg

RICE = Shape(level_kg=800, peak_month=11, amplitude=0.5, growth=0.3, noise=0.06)


def test_it_forecasts_a_seasonal_series_with_auto_ets() -> None:
    f = fc.forecast(monthly_kg(RICE, 48, seed=1), 12)
    assert f.method == fc.AUTO_ETS
    assert f.fallback == ""
    assert len(f.mean) == len(f.lo) == len(f.hi) == 12
    assert all(lo <= m <= hi for lo, m, hi in zip(f.lo, f.mean, f.hi, strict=True))


def test_it_beats_seasonal_naive_on_the_demo_seasonal_data() -> None:
    beaten = 0
    for seed in range(6):
        f = fc.forecast(monthly_kg(RICE, 48, seed=seed), 6)
        assert f.backtest is not None
        beaten += f.backtest.beats_naive
    assert beaten >= 5


def test_the_back_test_covers_the_last_season_from_two_origins() -> None:
    f = fc.forecast(monthly_kg(RICE, 48, seed=3), 6)
    assert f.backtest is not None
    assert (f.backtest.origins, f.backtest.horizon) == (2, 6)
    assert f.backtest.smape >= 0 and f.backtest.naive_smape >= 0


def test_seasonal_naive_repeats_the_last_season() -> None:
    y = list(range(1, 25))
    assert list(fc.seasonal_naive(__import__("numpy").array(y, float), 14)) == [
        13, 14, 15, 16, 17, 18, 19, 20, 21, 22, 23, 24, 13, 14,
    ]  # fmt: skip


def test_a_sparse_series_uses_croston_with_an_interval() -> None:
    y = monthly_kg(Shape(40, 6, 0.3, 0.0, 0.1, sparse=0.5), 48, seed=2)
    y[-1] = 30  # still selling
    f = fc.forecast(y, 6)
    assert f.sparse
    assert f.method == fc.CROSTON_SBA
    assert all(lo <= m <= hi for lo, m, hi in zip(f.lo, f.mean, f.hi, strict=True))
    assert f.hi[0] > f.mean[0]


def test_a_sparse_series_that_stopped_selling_uses_tsb() -> None:
    y = monthly_kg(Shape(40, 6, 0.3, 0.0, 0.1, sparse=0.4), 40, seed=2) + [0] * 8
    assert fc.forecast(y, 6).method == fc.TSB_METHOD


def test_no_history_falls_back_to_zero_and_says_so() -> None:
    for y in ([], [0, 0, 0]):
        f = fc.forecast(y, 3)
        assert (f.method, f.fallback) == (fc.ZERO, fc.NO_HISTORY)
        assert f.mean == [0.0, 0.0, 0.0]


def test_a_year_of_history_falls_back_to_seasonal_naive() -> None:
    y = monthly_kg(RICE, 12, seed=1)
    f = fc.forecast(y, 3)
    assert (f.method, f.fallback) == (fc.SEASONAL_NAIVE, fc.ONE_SEASON)
    assert f.mean == [float(v) for v in y[0:3]]
    assert f.backtest is None


def test_under_three_years_last_years_month_grows_by_the_year_on_year_growth() -> None:
    y = [100.0] * 12 + [120.0] * 6
    f = fc.forecast(y, 2)
    assert (f.method, f.fallback) == (fc.GROWTH_NAIVE, fc.SHORT_HISTORY)
    assert f.mean == pytest.approx([120.0, 120.0])


def test_two_years_of_growing_seasonal_sales_beat_seasonal_naive() -> None:
    beaten = 0
    for seed in range(6):
        f = fc.forecast(monthly_kg(RICE, 24, seed=seed), 6)
        assert f.backtest is not None and f.backtest.origins == 1
        beaten += f.backtest.beats_naive
    assert beaten >= 5


def test_a_few_months_fall_back_to_their_mean() -> None:
    f = fc.forecast([10, 20, 30], 2)
    assert (f.method, f.fallback) == (fc.MEAN, fc.VERY_SHORT_HISTORY)
    assert f.mean == [20.0, 20.0]


def test_forecasts_are_never_negative() -> None:
    y = [500 - 10 * i for i in range(48)]  # falling to 30
    f = fc.forecast(y, 12)
    assert min(f.lo) >= 0 and min(f.mean) >= 0


@pytest.mark.parametrize("y", [[1, -2, 3], [1, float("nan"), 3]])
def test_a_negative_or_missing_month_is_refused(y: list[float]) -> None:
    with pytest.raises(ValueError):
        fc.forecast(y, 3)


def test_mase_is_scaled_by_the_in_sample_seasonal_naive_error() -> None:
    # A series that repeats exactly: seasonal naive is perfect, scale 0 -> MASE 0.
    y = [float(m) for m in list(range(1, 13)) * 4]
    bt, _errs = fc.backtest(y, fc.SEASONAL_NAIVE)
    assert bt is not None and bt.naive_mase == 0.0 and bt.mase == 0.0


def test_a_regular_series_with_a_month_at_zero_is_fitted_with_an_additive_error() -> None:
    y = monthly_kg(RICE, 48, seed=2)
    y[20] = 0  # no multiplicative error with a zero; still regular (one month in 48)
    f = fc.forecast(y, 12)
    assert f.method == fc.AUTO_ETS
    assert f.backtest is not None
    assert len(f.mean) == 12 and all(
        lo <= m <= hi for lo, m, hi in zip(f.lo, f.mean, f.hi, strict=True)
    )
