"""Benchmark: order farming's demand forecasts and planting split.

Pure: no database. N products × 4 outlets × 48 months of synthetic seasonal sales (levels,
peaks, growth and noise varied; one product in five sparse), each series forecast 12 months
ahead with ``farming.forecast`` (AutoETS / Croston / TSB) and back-tested from two rolling
origins against seasonal naive (``--ets-model ZZZ`` runs the model space used before, for the
comparison on the same data):
  1. wall time end to end, per series, and the share of series where the method's MASE beats
     seasonal naive's, with both mean MASE and median sMAPE;
  2. the raw baseline measured in the same run: seasonal naive alone over the same series
     (its time; its errors are the back-test's naive columns);
  3. a province's planting split: one plan's area split over H households within their land.
The issue's full size is 701 products (``--products 701``); the default is smaller so that it
finishes in a few minutes on a shared 2-core machine. Writes bench/out/farming.json.

    python bench/farming.py [--products 100] [--jobs 2] [--households 500000] [--ets-model MZZ]
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))
sys.path.insert(0, str(ROOT / "bench"))

from common import write_results  # noqa: E402

from tuopin.farming import forecast as fc  # noqa: E402
from tuopin.farming import newsvendor as nv  # noqa: E402
from tuopin.farming.history import bench_shape, monthly_kg  # noqa: E402

OUTLETS = 4
MONTHS = 48
HORIZON = 12


def series_of(product: int) -> list[list[int]]:
    shape = bench_shape(product)
    return [monthly_kg(shape, MONTHS, seed=product * 10 + o) for o in range(OUTLETS)]


def _init(ets_model: str) -> None:
    fc.ETS_MODEL = ets_model


def run_product(product: int) -> list[tuple[str, float, float, float, float, bool]]:
    out = []
    for y in series_of(product):
        f = fc.forecast(y, HORIZON)
        bt = f.backtest
        if bt is None:
            continue
        out.append((f.method, bt.mase, bt.naive_mase, bt.smape, bt.naive_smape, f.sparse))
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--products", type=int, default=100, help="701 is the issue's size")
    parser.add_argument("--jobs", type=int, default=2, help="worker processes (default 2)")
    parser.add_argument("--households", type=int, default=500_000)
    parser.add_argument(
        "--ets-model", default=fc.ETS_MODEL, help=f"AutoETS model space (default {fc.ETS_MODEL})"
    )
    args = parser.parse_args()

    _init(args.ets_model)
    run_product(0)  # warm the imports (statsforecast's first call)
    load_before = os.getloadavg()
    t0 = time.perf_counter()
    if args.jobs > 1:
        with ProcessPoolExecutor(args.jobs, initializer=_init, initargs=(args.ets_model,)) as pool:
            parts = pool.map(run_product, range(args.products), chunksize=4)
            rows = [r for part in parts for r in part]
    else:
        rows = [r for p in range(args.products) for r in run_product(p)]
    took = time.perf_counter() - t0
    load_after = os.getloadavg()

    import numpy as np

    t1 = time.perf_counter()
    for p in range(args.products):
        for y in series_of(p):
            fc.seasonal_naive(np.asarray(y, dtype=float), HORIZON)
    naive_took = time.perf_counter() - t1

    finite = [r for r in rows if np.isfinite(r[1]) and np.isfinite(r[2])]
    beats = sum(1 for r in finite if r[1] < r[2])
    methods: dict[str, int] = {}
    for r in rows:
        methods[r[0]] = methods.get(r[0], 0) + 1
    series = args.products * OUTLETS

    import random

    rnd = random.Random(1)
    land = [(i, rnd.randint(100, 1500)) for i in range(args.households)]
    t2 = time.perf_counter()
    split = nv.split_area(sum(a for _k, a in land) * 2 // 3, land)
    split_took = time.perf_counter() - t2

    result = {
        "products": args.products,
        "series": series,
        "months": MONTHS,
        "jobs": args.jobs,
        "ets_model": args.ets_model,
        "load_average_1m_before_after": [round(load_before[0], 1), round(load_after[0], 1)],
        "forecast_and_backtest_s": round(took, 1),
        "ms_per_series": round(1000 * took / series, 1),
        "seasonal_naive_alone_s": round(naive_took, 3),
        "backtested": len(rows),
        "beats_seasonal_naive": beats,
        "beats_share": round(beats / len(finite), 3) if finite else None,
        "mean_mase": round(statistics.fmean(r[1] for r in finite), 3) if finite else None,
        "mean_naive_mase": round(statistics.fmean(r[2] for r in finite), 3) if finite else None,
        "median_smape": round(statistics.median(r[3] for r in rows), 1) if rows else None,
        "median_naive_smape": round(statistics.median(r[4] for r in rows), 1) if rows else None,
        "methods": methods,
        "split_households": args.households,
        "split_s": round(split_took, 2),
        "split_placed_mu": split.placed / 100,
    }
    print(
        f"forecast + back-test: {series} series ({args.products} products × {OUTLETS} outlets × "
        f"{MONTHS} months) in {took:.1f} s ({result['ms_per_series']} ms/series, {args.jobs} jobs, "
        f"AutoETS {args.ets_model}); seasonal naive alone {naive_took:.3f} s; load average (1 min) "
        f"{load_before[0]:.1f} before, {load_after[0]:.1f} after"
    )
    print(
        f"  beats seasonal naive on {beats}/{len(finite)} series ({result['beats_share']}); "
        f"mean MASE {result['mean_mase']} vs naive {result['mean_naive_mase']}; "
        f"median sMAPE {result['median_smape']}% vs naive {result['median_naive_smape']}%"
    )
    print(f"  methods: {methods}")
    print(f"planting split: {args.households} households in {split_took:.2f} s")
    write_results("farming", [result])


if __name__ == "__main__":
    main()
