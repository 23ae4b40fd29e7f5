"""Monthly demand forecasts (需求预测) with statsforecast, back-tested against seasonal naive.

One series is one product at one outlet, monthly kg. The method follows the series:

* regular series with two seasons or more: ``AutoETS`` (season 12), its prediction interval;
* sparse (intermittent) series, a third of the months or more without sales: ``CrostonSBA``
  for the level, ``TSB`` when the recent months stop selling (obsolescence), with a conformal
  interval from the series' own rolling-origin errors;
* too short for a seasonal model (under 24 months): seasonal naive from 12 months, else the
  mean of what there is; with no sales at all, zero, and the reason said (``fallback``).

Every fitted series is back-tested from rolling origins over its last season against seasonal
naive on the same windows: MASE (scaled by the in-sample seasonal-naive error) and sMAPE.
No Django here.
"""

from __future__ import annotations

import math
import warnings
from collections.abc import Sequence
from dataclasses import dataclass, field

import numpy as np

SEASON = 12
MIN_SEASONAL = 2 * SEASON  # months a seasonal model needs
SPARSE_ZERO_SHARE = 1 / 3
LEVEL = 80  # the interval shown: 80 %
# Error, trend and season (additive or multiplicative: sales seasons grow with the level) are
# chosen by AICc; damped trends are left out, which halves the selection time (ADR 0012).
ETS_MODEL = "ZZZ"
ETS_DAMPED = False

# The stated fallbacks (ADR 0012), by what the history lacks.
NO_HISTORY = "no_history"
SHORT_HISTORY = "short_history"
VERY_SHORT_HISTORY = "very_short_history"

AUTO_ETS = "AutoETS"
CROSTON_SBA = "CrostonSBA"
TSB_METHOD = "TSB"
SEASONAL_NAIVE = "SeasonalNaive"
MEAN = "HistoricAverage"
ZERO = "Zero"


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


def is_sparse(y: Sequence[float]) -> bool:
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


def _sparse_model(y: np.ndarray) -> tuple[str, object]:
    from statsforecast.models import TSB, CrostonSBA

    # The last half-season without a sale: the product may be going out of the shop; TSB
    # lets the demand probability decay where Croston keeps the old level.
    if len(y) >= SEASON and not np.any(y[-SEASON // 2 :] > 0):
        return TSB_METHOD, TSB(alpha_d=0.2, alpha_p=0.2)
    return CROSTON_SBA, CrostonSBA()


def _ets() -> object:
    from statsforecast.models import AutoETS

    return AutoETS(season_length=SEASON, model=ETS_MODEL, damped=ETS_DAMPED)


def _point(y: np.ndarray, h: int, method: str) -> np.ndarray:
    """The method's point forecast only (the back-test's inner loop)."""
    if method == AUTO_ETS:
        return np.asarray(_ets().forecast(y=y, h=h)["mean"])  # type: ignore[attr-defined]
    if method == CROSTON_SBA:
        from statsforecast.models import CrostonSBA

        return np.asarray(CrostonSBA().forecast(y=y, h=h)["mean"])
    if method == TSB_METHOD:
        from statsforecast.models import TSB

        return np.asarray(TSB(alpha_d=0.2, alpha_p=0.2).forecast(y=y, h=h)["mean"])
    if method == SEASONAL_NAIVE:
        return seasonal_naive(y, h)
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
    y: Sequence[float], method: str, *, horizon: int = 6, origins: int = 2
) -> tuple[BackTest | None, np.ndarray]:
    """Rolling origin: from each of ``origins`` cut-offs spaced ``horizon`` apart over the last
    ``horizon × origins`` months, fit on what came before, forecast ``horizon`` months, and
    score it and seasonal naive against what happened. None when the history is too short to
    leave two seasons before the first cut-off. Also returns the method's errors (actual −
    forecast, by horizon step) for a conformal interval."""
    arr = np.asarray(y, dtype=float)
    span = horizon * origins
    if len(arr) - span < MIN_SEASONAL:
        return None, np.zeros((0, horizon))
    train_end = len(arr) - span
    # MASE's scale: the in-sample seasonal-naive error before the first cut-off.
    head = arr[:train_end]
    scale = float(np.mean(np.abs(head[SEASON:] - head[:-SEASON])))
    actual_all, pred_all, naive_all, errs = [], [], [], []
    for k in range(origins):
        cut = train_end + k * horizon
        fit, actual = arr[:cut], arr[cut : cut + horizon]
        pred = np.maximum(_point(fit, horizon, method), 0.0)
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
    if n < MIN_SEASONAL:
        method = SEASONAL_NAIVE if n >= SEASON else MEAN
        mean = _point(arr, h, method)
        # The interval from the spread of the months there are (seasonal naive: of the
        # year-on-year changes would need two seasons; the monthly spread is the honest rest).
        sd = float(np.std(arr, ddof=1)) if n > 1 else float(arr[0])
        z = _z(level)
        return Forecast(
            method,
            _clip(mean),
            _clip(mean - z * sd),
            _clip(mean + z * sd),
            level,
            SHORT_HISTORY if n >= SEASON else VERY_SHORT_HISTORY,
            sparse=is_sparse(arr),
            fitted_on=n,
        )
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
            out = _ets().forecast(y=arr, h=h, level=[level])  # type: ignore[attr-defined]
            mean = np.asarray(out["mean"])
            lo, hi = np.asarray(out[f"lo-{level}"]), np.asarray(out[f"hi-{level}"])
            bt = (
                backtest(arr, method, horizon=backtest_horizon, origins=backtest_origins)[0]
                if with_backtest
                else None
            )
    return Forecast(
        method, _clip(mean), _clip(lo), _clip(hi), level, "", bt, sparse=sparse, fitted_on=n
    )


def _z(level: int) -> float:
    from statistics import NormalDist

    return NormalDist().inv_cdf(0.5 + level / 200)
