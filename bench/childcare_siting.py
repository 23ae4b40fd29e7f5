"""Benchmark: siting childcare centres (maximal covering, 1 km, more than 10 children).

Pure: no database. Synthetic clustered villages (hamlets in valleys) at three scales, a
county (300 villages), a prefecture (2,000) and a province (8,800 points), each a candidate
site too:
  1. tuopin's sparse MILP with HiGHS (``childcare.siting.maximal_covering``): seconds to the
     optimum or the time limit, the gap, and the greedy's share of the optimum;
  2. the raw baselines measured in the same run: the greedy alone, and PySAL's ``spopt``
     MCLP (PuLP with CBC, a dense formulation) where it is installed and finishes within
     its time limit (``pip install spopt``; it is not a dependency of tuopin).
Writes bench/out/childcare_siting.json.

    python bench/childcare_siting.py [--k 20,100] [--time-limit 60] [--spopt-limit 300]
                                     [--spopt-max-points 3000]
"""

from __future__ import annotations

import argparse
import json
import math
import random
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))
OUT = ROOT / "bench" / "out"

from tuopin.childcare import siting  # noqa: E402
from tuopin.childcare.siting import Place  # noqa: E402


def villages(n: int, span_km: float, seed: int) -> list[Place]:
    """``n`` points in clusters of 1–6 within a few hundred metres, clusters spread over a
    ``span_km`` square; children 1–12 each."""
    rng = random.Random(seed)
    out: list[Place] = []
    lat0, lon0 = 33.3, 108.3
    while len(out) < n:
        cx, cy = rng.uniform(0, span_km * 1000), rng.uniform(0, span_km * 1000)
        for _ in range(min(rng.randint(1, 6), n - len(out))):
            x, y = cx + rng.gauss(0, 350), cy + rng.gauss(0, 350)
            lat = lat0 + math.degrees(y / siting.EARTH_RADIUS_M)
            lon = lon0 + math.degrees(x / (siting.EARTH_RADIUS_M * math.cos(math.radians(lat0))))
            out.append(Place(f"v{len(out)}", "", lon, lat, rng.randint(1, 12)))
    return out


def run_spopt(points: list[Place], k: int, limit: float) -> dict[str, object]:
    try:
        import geopandas as gpd
        import pulp
        from shapely.geometry import Point
        from spopt.locate import MCLP
    except ImportError as exc:
        return {"skipped": f"spopt not installed ({exc.name})"}
    # spopt wants projected coordinates: the same local projection as ours, in metres.
    lat0 = sum(p.lat for p in points) / len(points)
    lon0 = sum(p.lon for p in points) / len(points)
    kx = math.radians(1) * siting.EARTH_RADIUS_M * math.cos(math.radians(lat0))
    ky = math.radians(1) * siting.EARTH_RADIUS_M
    geoms = [Point((p.lon - lon0) * kx, (p.lat - lat0) * ky) for p in points]
    frame = gpd.GeoDataFrame({"children": [p.children for p in points]}, geometry=geoms)
    start = time.perf_counter()
    model = MCLP.from_geodataframe(
        frame, frame, "geometry", "geometry", "children", service_radius=1000, p_facilities=k
    )
    model = model.solve(pulp.PULP_CBC_CMD(msg=False, timeLimit=limit))
    seconds = time.perf_counter() - start
    return {
        "seconds": round(seconds, 2),
        "status": pulp.LpStatus[model.problem.status],
        "covered_children": pulp.value(model.problem.objective),
        "note": "spopt has no 'more than 10 children' site rule: its optimum is of a looser problem",
    }


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--k", default="20,100")
    parser.add_argument("--time-limit", type=float, default=60)
    parser.add_argument("--spopt-limit", type=float, default=300)
    parser.add_argument(
        "--spopt-max-points",
        type=int,
        default=3000,
        help="skip spopt above this many points (its dense model needs n² memory and time)",
    )
    args = parser.parse_args()
    ks = [int(k) for k in args.k.split(",")]
    results = []
    for label, n, span in (("county", 300, 40), ("prefecture", 2000, 150), ("province", 8800, 400)):
        points = villages(n, span, seed=n)
        for k in ks:
            start = time.perf_counter()
            plan = siting.maximal_covering(points, points, k=k, time_limit=args.time_limit)
            milp_s = time.perf_counter() - start
            within = siting.reach(points, points, 1000)
            weights = [p.children for p in points]
            allowed = [j for j, c in enumerate(within) if sum(weights[i] for i in c) > 10]
            start = time.perf_counter()
            picked = siting.greedy(weights, [within[j] for j in allowed], k)
            greedy_s = time.perf_counter() - start
            row = {
                "scale": label,
                "points": n,
                "k": k,
                "children": sum(weights),
                "allowed_sites": plan.allowed_sites,
                "milp_seconds": round(milp_s, 2),
                "covered": plan.children_covered,
                "optimal": plan.optimal,
                "gap": round(plan.gap, 5),
                "greedy_seconds": round(greedy_s, 2),
                "greedy_share_of_best": round(plan.greedy_covered / plan.children_covered, 4)
                if plan.children_covered
                else None,
                "greedy_picked": len(picked),
                "spopt": run_spopt(points, k, args.spopt_limit)
                if n <= args.spopt_max_points
                else {"skipped": f"more than {args.spopt_max_points} points"},
            }
            results.append(row)
            print(json.dumps(row, ensure_ascii=False))  # noqa: T201 - a benchmark prints
    OUT.mkdir(exist_ok=True)
    (OUT / "childcare_siting.json").write_text(json.dumps(results, ensure_ascii=False, indent=1))


if __name__ == "__main__":
    main()
