"""Demand forecast runs: a product's monthly sales per outlet (commerce's imported sales) in,
a forecast per outlet with its back-test against seasonal naive out, and the product's total
with its interval. Queued from the page and the API, run by the worker with progress; the
command line runs in the foreground."""

from __future__ import annotations

import datetime as dt
import logging
import math
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass
from statistics import NormalDist
from typing import TYPE_CHECKING, Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from tuopin.accounts import permissions
from tuopin.commerce import selectors as commerce
from tuopin.commerce.models import Product
from tuopin.core import jobs

from . import forecast as fc
from .errors import BadForecast
from .models import ForecastRun, ForecastSeries, RunStatus
from .newsvendor import sd_from_interval
from .selectors import get_product_for

if TYPE_CHECKING:
    from tuopin.accounts.models import User

log = logging.getLogger(__name__)

FORECAST = "farming.add_forecastrun"
MAX_HORIZON = 24

FALLBACK_LABELS = {
    fc.NO_HISTORY: gettext_lazy("没有销售记录：预测为零"),
    fc.SHORT_HISTORY: gettext_lazy("不足三年：上年同月 × 近半年同比增长"),
    fc.ONE_SEASON: gettext_lazy("只有一年：用上年同月（季节朴素法）"),
    fc.VERY_SHORT_HISTORY: gettext_lazy("不足一年：用已有月份的平均"),
}


def add_months(d: dt.date, n: int) -> dt.date:
    m = d.year * 12 + d.month - 1 + n
    return dt.date(m // 12, m % 12 + 1, 1)


def kg_of(product: Product, quantity: int) -> float:
    """Sales are counted in the product's unit; its weight turns them into kg (a product
    without a weight is sold by the kg)."""
    return quantity * product.weight_g / 1000 if product.weight_g else float(quantity)


@dataclass
class History:
    months: list[dt.date]  # the product's months, first sale to last
    total_kg: list[float]
    by_outlet: dict[int, list[float]]  # each from the outlet's first month to the last


def history_of(product: Product, until: dt.date | None = None) -> History:
    """The product's monthly kg per outlet, months without a line as zero (one GROUP BY)."""
    rows = commerce.monthly_sales(product_ids=[product.pk], until=until)
    if not rows:
        return History([], [], {})
    first, last = min(r.month for r in rows), max(r.month for r in rows)
    span = (last.year - first.year) * 12 + last.month - first.month + 1
    months = [add_months(first, i) for i in range(span)]
    index = {m: i for i, m in enumerate(months)}
    grid: dict[int, list[float]] = defaultdict(lambda: [0.0] * span)
    starts: dict[int, int] = {}
    for r in rows:
        i = index[r.month]
        grid[r.outlet_id][i] += kg_of(product, r.quantity)
        starts[r.outlet_id] = min(starts.get(r.outlet_id, i), i)
    total = [sum(grid[o][i] for o in grid) for i in range(span)]
    return History(months, total, {o: grid[o][starts[o] :] for o in sorted(grid)})


def check_horizon(horizon: int) -> None:
    if not 1 <= horizon <= MAX_HORIZON:
        raise BadForecast(
            _("预测月数应在 1 到 %(n)s 之间") % {"n": MAX_HORIZON}, code="bad_horizon"
        )


def start_forecast(
    *, by: User, product_id: int, horizon: int = 12, enqueue: bool = True
) -> ForecastRun:
    """Queue a forecast (the page, the API): checked now, computed by the worker."""
    from .tasks import run_forecast

    permissions.require(by, FORECAST, _("没有做需求预测的权限"))
    check_horizon(horizon)
    product = get_product_for(by, product_id)
    run = ForecastRun.objects.create(
        product=product,
        county_code=product.county_code,
        horizon=horizon,
        created_by=by if by.pk else None,  # the shell's actor is never saved
    )
    if enqueue:
        transaction.on_commit(lambda: run_forecast.enqueue(run.pk))
    return run


def execute_forecast(run_id: int, progress: Callable[[int, int], None] | None = None) -> None:
    """Compute a queued run, reporting after each outlet; a failure ends it as failed."""
    if not jobs.take(ForecastRun, run_id, queued=RunStatus.QUEUED, running=RunStatus.RUNNING):
        return
    run = ForecastRun.objects.select_related("product").get(pk=run_id)
    try:
        _compute(run, progress)
    except Exception as exc:  # any failure ends the job as failed, with its reason
        from tuopin.core.errors import DomainError

        message = exc.message if isinstance(exc, DomainError) else type(exc).__name__
        if not isinstance(exc, DomainError):
            log.exception("forecast run %s failed", run_id)
        ForecastRun.objects.filter(pk=run_id).update(
            status=RunStatus.FAILED, error=message[:1000], finished_at=timezone.now()
        )


def _compute(run: ForecastRun, progress: Callable[[int, int], None] | None) -> None:
    hist = history_of(run.product)
    h = run.horizon
    total = len(hist.by_outlet)
    ForecastRun.objects.filter(pk=run.pk).update(**jobs.beat(series_total=total))
    if not hist.months:
        raise BadForecast(
            _("%(p)s 没有任何销售记录，无法预测：请先导入渠道销售数据") % {"p": run.product.name},
            code="no_history",
        )
    mean = [0.0] * h
    var = [0.0] * h
    series = []
    for done, (outlet_id, y) in enumerate(hist.by_outlet.items(), 1):
        f = fc.forecast(y, h)
        bt = f.backtest
        series.append(
            ForecastSeries(
                run=run,
                outlet_id=outlet_id,
                method=f.method,
                fallback=f.fallback,
                months_of_history=f.fitted_on,
                mean_kg=[round(v, 1) for v in f.mean],
                lo_kg=[round(v, 1) for v in f.lo],
                hi_kg=[round(v, 1) for v in f.hi],
                mase=_finite(bt.mase) if bt else None,
                smape=_finite(bt.smape) if bt else None,
                naive_mase=_finite(bt.naive_mase) if bt else None,
                naive_smape=_finite(bt.naive_smape) if bt else None,
            )
        )
        for i in range(h):
            mean[i] += f.mean[i]
            var[i] += sd_from_interval(f.lo[i], f.hi[i], f.level / 100) ** 2
        ForecastRun.objects.filter(pk=run.pk).update(**jobs.beat(series_done=done))
        if progress:
            progress(done, total)
    z = NormalDist().inv_cdf(0.5 + fc.LEVEL / 200)
    sd = [math.sqrt(v) for v in var]
    with transaction.atomic():
        ForecastSeries.objects.filter(run=run).delete()
        ForecastSeries.objects.bulk_create(series)
        ForecastRun.objects.filter(pk=run.pk).update(
            status=RunStatus.DONE,
            finished_at=timezone.now(),
            first_month=add_months(hist.months[-1], 1),
            history_months=[m.isoformat()[:7] for m in hist.months],
            history_kg=[round(v, 1) for v in hist.total_kg],
            mean_kg=[round(v, 1) for v in mean],
            lo_kg=[round(max(0.0, m - z * s), 1) for m, s in zip(mean, sd, strict=True)],
            hi_kg=[round(m + z * s, 1) for m, s in zip(mean, sd, strict=True)],
            sd_kg=[round(s, 1) for s in sd],
            **jobs.beat(),
        )


def _finite(v: float) -> float | None:
    return v if math.isfinite(v) else None


def forecast_now(
    *, by: User, product_id: int, horizon: int = 12, progress: Any = None
) -> ForecastRun:
    """The command line: queue and compute in the foreground."""
    run = start_forecast(by=by, product_id=product_id, horizon=horizon, enqueue=False)
    execute_forecast(run.pk, progress)
    run.refresh_from_db()
    return run


def mark_interrupted_runs() -> int:
    return jobs.mark_interrupted(
        ForecastRun,
        running=RunStatus.RUNNING,
        interrupted=RunStatus.INTERRUPTED,
        error=_("计算进程被终止"),
    )
