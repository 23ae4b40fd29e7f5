"""Monthly demand forecasts (需求预测) with statsforecast, back-tested against seasonal naive.

One series is one product at one outlet, monthly kg. The method follows the series:

* regular series with three seasons or more: ``AutoETS`` (season 12, multiplicative error,
  trend and season chosen by AICc), its prediction interval (with fewer, AutoETS cannot fit a
  season and forecasts a flat line);
* sparse (intermittent) series, a third of the months or more without sales: ``CrostonSBA``
  for the level, ``TSB`` when the recent months stop selling (obsolescence);
* stated fallbacks (``fallback``): under three years, last year's month × the year-on-year
  growth of the last half-year; one year, last year's month; under a year, the mean; no sales,
  zero. Their intervals, and the sparse ones', are conformal: from the series' own
  rolling-origin errors.

Every series is back-tested from rolling origins (two half-years, fewer when the history is
short) against seasonal naive on the same windows, re-running the whole procedure as it
would have chosen then: MASE (scaled by the in-sample seasonal-naive error) and sMAPE.
No Django here.
"""

from __future__ import annotations

import math
import warnings
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np

SEASON = 12
MIN_ETS = 3 * SEASON  # AutoETS selects a seasonal model only with three seasons or more
MIN_GROWTH = SEASON + 1  # a year-on-year growth needs one month past the first season
MIN_BACKTEST_TRAIN = 18  # months before the first back-test cut-off
SPARSE_ZERO_SHARE = 1 / 3
LEVEL = 80  # the interval shown: 80 %
# Trend and season (additive or multiplicative: sales seasons grow with the level) are chosen
# by AICc with a multiplicative error (kg sold are positive and their noise grows with the
# level): six candidate models instead of ten, as accurate in the back-test (ADR 0012). A
# series with a month at zero cannot take a multiplicative error and is chosen over the
# additive-error space. Damped trends are left out, which halves the selection time.
ETS_MODEL = "MZZ"
ETS_DAMPED = False
GROWTH_MONTHS = 6  # the growth of the last half-year over the same months a year before

# The stated fallbacks (ADR 0012), by what the history lacks.
NO_HISTORY = "no_history"
SHORT_HISTORY = "short_history"  # under three years: last year's month × year-on-year growth
ONE_SEASON = "one_season"  # a year: last year's month
VERY_SHORT_HISTORY = "very_short_history"  # under a year: the mean

AUTO_ETS = "AutoETS"
CROSTON_SBA = "CrostonSBA"
TSB_METHOD = "TSB"
SEASONAL_NAIVE = "SeasonalNaive"
GROWTH_NAIVE = "SeasonalNaiveGrowth"
MEAN = "HistoricAverage"
ZERO = "Zero"


def regular_method(n: int) -> tuple[str, str]:
    """The method for a regular series of ``n`` months, and the fallback it stands for."""
    if n >= MIN_ETS:
        return AUTO_ETS, ""
    if n >= MIN_GROWTH:
        return GROWTH_NAIVE, SHORT_HISTORY
    if n >= SEASON:
        return SEASONAL_NAIVE, ONE_SEASON
    return MEAN, VERY_SHORT_HISTORY


@dataclass(frozen=True)
class BackTest:
    """The method and seasonal naive over the same rolling-origin windows."""

    origins: int
    horizon: int
    mase: float
    smape: float
    naive_mase: float
    naive_smape: float

    @property
    def beats_naive(self) -> bool:
        return self.mase < self.naive_mase


@dataclass(frozen=True)
class Forecast:
    method: str
    mean: list[float]
    lo: list[float]
    hi: list[float]
    level: int = LEVEL
    fallback: str = ""  # why a simpler method was used ("" when none was needed)
    backtest: BackTest | None = None
    sparse: bool = False
    fitted_on: int = 0  # months of history
    notes: list[str] = field(default_factory=list)


def is_sparse(y: Sequence[float] | np.ndarray) -> bool:
    if len(y) == 0:
        return False
    zeros = sum(1 for v in y if v <= 0)
    return zeros / len(y) >= SPARSE_ZERO_SHARE


def _clip(a: np.ndarray) -> list[float]:
    return [max(0.0, float(v)) for v in a]


def seasonal_naive(y: np.ndarray, h: int, season: int = SEASON) -> np.ndarray:
    """Each month as the same month a season earlier."""
    last = y[-season:]
    return np.array([last[i % season] for i in range(h)], dtype=float)


def yoy_growth(y: np.ndarray) -> float:
    """The last months' sales over the same months a year before (1 when that is empty)."""
    k = min(GROWTH_MONTHS, len(y) - SEASON)
    if k < 1:
        return 1.0
    before = float(np.sum(y[-SEASON - k : -SEASON]))
    return float(np.sum(y[-k:])) / before if before > 0 else 1.0


def _sparse_model(y: np.ndarray) -> tuple[str, object]:
    from statsforecast.models import TSB, CrostonSBA

    # The last half-season without a sale: the product may be going out of the shop; TSB
    # lets the demand probability decay where Croston keeps the old level.
    if len(y) >= SEASON and not np.any(y[-SEASON // 2 :] > 0):
        return TSB_METHOD, TSB(alpha_d=0.2, alpha_p=0.2)
    return CROSTON_SBA, CrostonSBA()


def _ets(y: np.ndarray) -> Any:
    from statsforecast.models import AutoETS

    # A multiplicative error needs every month above zero; otherwise the additive space.
    model = ETS_MODEL if ETS_MODEL[0] != "M" or float(np.min(y)) > 0 else "ZZZ"
    return AutoETS(season_length=SEASON, model=model, damped=ETS_DAMPED)


def _point(y: np.ndarray, h: int, method: str) -> np.ndarray:
    """The method's point forecast only (the back-test's inner loop)."""
    if method == AUTO_ETS:
        return np.asarray(_ets(y).forecast(y=y, h=h)["mean"])
    if method == CROSTON_SBA:
        from statsforecast.models import CrostonSBA

        return np.asarray(CrostonSBA().forecast(y=y, h=h)["mean"])
    if method == TSB_METHOD:
        from statsforecast.models import TSB

        return np.asarray(TSB(alpha_d=0.2, alpha_p=0.2).forecast(y=y, h=h)["mean"])
    if method == SEASONAL_NAIVE:
        return seasonal_naive(y, h)
    if method == GROWTH_NAIVE:
        return seasonal_naive(y, h) * yoy_growth(y)
    if method == MEAN:
        return np.full(h, float(np.mean(y)) if len(y) else 0.0)
    return np.zeros(h)


def _errors(actual: np.ndarray, pred: np.ndarray, scale: float) -> tuple[float, float]:
    mae = float(np.mean(np.abs(actual - pred)))
    denom = np.abs(actual) + np.abs(pred)
    with np.errstate(invalid="ignore", divide="ignore"):
        terms = np.where(denom > 0, 2 * np.abs(actual - pred) / denom, 0.0)
    return mae / scale if scale > 0 else math.inf if mae > 0 else 0.0, float(np.mean(terms)) * 100


def backtest(
    y: Sequence[float] | np.ndarray, method: str | None, *, horizon: int = 6, origins: int = 2
) -> tuple[BackTest | None, np.ndarray]:
    """Rolling origin: from each of ``origins`` cut-offs spaced ``horizon`` apart over the last
    ``horizon × origins`` months, fit on what came before, forecast ``horizon`` months, and
    score it and seasonal naive against what happened. None when the history is too short to
    leave :data:`MIN_BACKTEST_TRAIN` months before the cut-off (then fewer origins, or none). Also returns the method's errors (actual −
    forecast, by horizon step) for a conformal interval."""
    arr = np.asarray(y, dtype=float)
    origins = min(origins, (len(arr) - MIN_BACKTEST_TRAIN) // horizon)
    if origins < 1:
        return None, np.zeros((0, horizon))
    span = horizon * origins
    train_end = len(arr) - span
    # MASE's scale: the in-sample seasonal-naive error before the first cut-off.
    head = arr[:train_end]
    scale = float(np.mean(np.abs(head[SEASON:] - head[:-SEASON])))
    actual_all, pred_all, naive_all, errs = [], [], [], []
    for k in range(origins):
        cut = train_end + k * horizon
        fit, actual = arr[:cut], arr[cut : cut + horizon]
        # A regular series is back-tested with the method its training length calls for: the
        # whole procedure, as it would have forecast then.
        how = regular_method(len(fit))[0] if method is None else method
        pred = np.maximum(_point(fit, horizon, how), 0.0)
        actual_all.append(actual)
        pred_all.append(pred)
        naive_all.append(seasonal_naive(fit, horizon))
        errs.append(actual - pred)
    a, p, n = np.concatenate(actual_all), np.concatenate(pred_all), np.concatenate(naive_all)
    mase, smape = _errors(a, p, scale)
    nmase, nsmape = _errors(a, n, scale)
    return BackTest(origins, horizon, mase, smape, nmase, nsmape), np.array(errs)


def _conformal(mean: np.ndarray, errs: np.ndarray, level: int) -> tuple[np.ndarray, np.ndarray]:
    """A symmetric interval from the absolute back-test errors at each horizon step (steps
    past the back-test's horizon take its last)."""
    if errs.size == 0:
        return mean, mean
    q = np.quantile(np.abs(errs), level / 100, axis=0)
    width = np.array([q[min(i, len(q) - 1)] for i in range(len(mean))])
    return mean - width, mean + width


def forecast(
    y: Sequence[float],
    h: int,
    *,
    level: int = LEVEL,
    with_backtest: bool = True,
    backtest_horizon: int = 6,
    backtest_origins: int = 2,
) -> Forecast:
    """Forecast ``h`` months after the monthly history ``y`` (oldest first)."""
    if h < 1:
        raise ValueError("horizon must be at least 1")
    arr = np.asarray(y, dtype=float)
    if np.any(arr < 0) or not np.all(np.isfinite(arr)):
        raise ValueError("history must be finite and not negative")
    n = len(arr)
    if n == 0 or not np.any(arr > 0):
        zeros = [0.0] * h
        return Forecast(ZERO, zeros, zeros, zeros, level, NO_HISTORY, fitted_on=n)
    if n < SEASON or (n < MIN_ETS and not is_sparse(arr)):
        method, fallback = regular_method(n)
        mean = _point(arr, h, method)
        bt, errs = (
            backtest(arr, None, horizon=backtest_horizon, origins=backtest_origins)
            if with_backtest
            else (None, np.zeros((0, 1)))
        )
        if errs.size:
            lo, hi = _conformal(mean, errs, level)
        else:  # no back-test windows: the spread of the months there are
            sd = float(np.std(arr, ddof=1)) if n > 1 else float(arr[0])
            lo, hi = mean - _z(level) * sd, mean + _z(level) * sd
        return Forecast(
            method, _clip(mean), _clip(lo), _clip(hi), level, fallback, bt,
            sparse=is_sparse(arr), fitted_on=n,
        )  # fmt: skip
    sparse = is_sparse(arr)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        if sparse:
            method, model = _sparse_model(arr)
            mean = np.asarray(model.forecast(y=arr, h=h)["mean"])  # type: ignore[attr-defined]
            bt, errs = (
                backtest(arr, method, horizon=backtest_horizon, origins=backtest_origins)
                if with_backtest
                else (None, np.zeros((0, 1)))
            )
            if errs.size == 0:  # no back-test windows: the in-sample spread
                sd = float(np.std(arr, ddof=1))
                lo, hi = mean - _z(level) * sd, mean + _z(level) * sd
            else:
                lo, hi = _conformal(mean, errs, level)
        else:
            method = AUTO_ETS
            out = _ets(arr).forecast(y=arr, h=h, level=[level])
            mean = np.asarray(out["mean"])
            lo, hi = np.asarray(out[f"lo-{level}"]), np.asarray(out[f"hi-{level}"])
            bt = (
                backtest(arr, None, horizon=backtest_horizon, origins=backtest_origins)[0]
                if with_backtest
                else None
            )
    return Forecast(
        method, _clip(mean), _clip(lo), _clip(hi), level, "", bt, sparse=sparse, fitted_on=n
    )


def _z(level: int) -> float:
    from statistics import NormalDist

    return NormalDist().inv_cdf(0.5 + level / 200)
