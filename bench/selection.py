"""Benchmark: selection under quotas and reviewer assignment (issue 16).

Pure: no database. Synthetic applications spread over 31 provinces, 300 prefectures and
about 2,000 counties (30 % of them poor), scores on the 0–5 scale in steps of 0.05:
  1. selecting 100 of 5,000 with three quota families (at least 55 % from poor counties, at
     most 8 per province, at least one per prefecture where possible) with tuopin's two-stage
     ILP (``selection.quotas.select``, HiGHS), including each quota's cost (one solve each);
     the raw baseline measured in the same run: sorting the 5,000 and taking the top 100
     (no quotas);
  2. the optimum checked against brute force on small cases (12 choose 6, same rule);
  3. assigning 5,000 applications to 200 reviewers, 3 each, with county, school and kin
     conflicts (``selection.assignment.assign``); the raw baseline: evaluating the conflict
     test on every application × reviewer pair in Python (what a naive check costs).
Writes bench/out/selection.json.

    python bench/selection.py [--apps 5000] [--n 100] [--reviewers 200] [--k 3]
"""

from __future__ import annotations

import argparse
import json
import random
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))
sys.path.insert(0, str(ROOT / "bench"))
from common import write_results  # noqa: E402

from tuopin.selection import assignment, quotas  # noqa: E402


def _pool(m: int, seed: int = 7) -> list[quotas.Candidate]:
    rnd = random.Random(seed)
    out = []
    for i in range(m):
        prov = rnd.randrange(31)
        pref = prov * 10 + rnd.randrange(10)
        county = pref * 7 + rnd.randrange(7)
        poor = county % 10 < 3
        score = round(rnd.triangular(1.5, 5.0, 3.4 if poor else 3.7) * 20) / 20
        out.append(
            quotas.Candidate(
                key=f"a{i:05d}",
                score=score,
                groups={
                    "province": f"{prov:02d}",
                    "prefecture": f"{pref:04d}",
                    "county_kind": "poor" if poor else "other",
                },
            )
        )
    return out


QUOTAS = [
    quotas.Quota("poor>=55%", "county_kind", values=("poor",), share_at_least=0.55),
    quotas.Quota("province<=12", "province", at_most=12, per_value=True),
    quotas.Quota("prefecture>=1", "prefecture", at_least=1, per_value=True, where_possible=True),
]


def bench_selection(m: int, n: int) -> dict[str, object]:
    cands = _pool(m)
    # Prefecture >= 1 for 300 prefectures cannot hold with N = 100: keep it to the
    # prefectures of the first five provinces (50 of them), as a programme would.
    pref_values = tuple(
        sorted({c.groups["prefecture"] for c in cands if c.groups["province"] < "05"})
    )
    rules = QUOTAS[:2] + [
        quotas.Quota(
            "prefecture>=1",
            "prefecture",
            values=pref_values,
            at_least=1,
            per_value=True,
            where_possible=True,
        )
    ]
    t = time.perf_counter()
    top = sorted(cands, key=lambda c: (-c.score, c.key))[:n]
    baseline = time.perf_counter() - t
    t = time.perf_counter()
    quotas.select(cands, rules, n, costs=False)
    alone = time.perf_counter() - t
    t = time.perf_counter()
    sel = quotas.select(cands, rules, n)
    seconds = time.perf_counter() - t
    poor = sum(1 for c in cands if c.key in set(sel.selected) and c.groups["county_kind"] == "poor")
    return {
        "case": f"select {n} of {m}, 3 quota families",
        "seconds_selection": round(alone, 3),
        "seconds_with_quota_costs": round(seconds, 3),
        "baseline_sort_top_n_seconds": round(baseline, 4),
        "total": sel.total,
        "unconstrained_total": round(sum(c.score for c in top), 3),
        "poor_share": poor / n,
        "quota_cost": sel.quota_cost,
        "forced_in": len(sel.forced_in),
    }


def bench_brute_force(cases: int = 30) -> dict[str, object]:
    small = [
        quotas.Quota("poor>=50%", "county_kind", values=("poor",), share_at_least=0.5),
        quotas.Quota("province<=2", "province", at_most=2, per_value=True),
    ]
    agree = infeasible = 0
    t = time.perf_counter()
    for seed in range(cases):
        rnd = random.Random(seed)
        cands = [
            quotas.Candidate(
                f"c{i:02d}",
                rnd.choice([2.0, 2.5, 3.0, 3.5, 4.0, 4.5]),
                {"county_kind": rnd.choice(["poor", "other"]), "province": rnd.choice("abcd")},
            )
            for i in range(12)
        ]
        want = quotas.brute_force(cands, small, 6)
        try:
            got = quotas.select(cands, small, 6).selected
        except quotas.QuotaInfeasible:
            got = None
        if want is None:
            infeasible += got is None
            agree += got is None
            continue
        score = {c.key: quotas.milli(c.score) for c in cands}
        agree += got is not None and sum(score[k] for k in got) == sum(score[k] for k in want)
    return {
        "case": f"brute force, {cases} cases of 12 choose 6",
        "agree": agree,
        "of": cases,
        "infeasible_cases": infeasible,
        "seconds": round(time.perf_counter() - t, 2),
    }


def bench_assignment(m: int, r: int, k: int) -> dict[str, object]:
    rnd = random.Random(11)
    counties = [
        f"{rnd.randrange(31):02d}{rnd.randrange(100):02d}{rnd.randrange(20):02d}"
        for _ in range(400)
    ]
    schools = [f"school{i}" for i in range(800)]
    reviewers = [
        assignment.Reviewer(
            key=f"r{j:03d}",
            county=rnd.choice(counties),
            school=rnd.choice(schools),
            kin=frozenset(f"p{rnd.randrange(m)}" for _ in range(3)),
        )
        for j in range(r)
    ]
    entries = [
        assignment.Entry(
            key=f"a{i:05d}",
            county=rnd.choice(counties),
            school=rnd.choice(schools),
            applicant=f"p{i}",
            nominator=f"r{rnd.randrange(r):03d}" if rnd.random() < 0.2 else "",
        )
        for i in range(m)
    ]
    t = time.perf_counter()
    conflicts = sum(1 for a in entries for rv in reviewers if assignment.conflict(rv, a))
    baseline = time.perf_counter() - t
    t = time.perf_counter()
    plan = assignment.assign(entries, reviewers, k)
    seconds = time.perf_counter() - t
    loads = list(plan.load.values())
    return {
        "case": f"assign {m} applications to {r} reviewers, {k} each",
        "seconds": round(seconds, 3),
        "baseline_pairwise_conflict_check_seconds": round(baseline, 3),
        "conflict_pairs": conflicts,
        "pairs": len(plan.pairs),
        "short": len(plan.short),
        "load_min": min(loads),
        "load_max": max(loads),
    }


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--apps", type=int, default=5000)
    ap.add_argument("--n", type=int, default=100)
    ap.add_argument("--reviewers", type=int, default=200)
    ap.add_argument("--k", type=int, default=3)
    args = ap.parse_args()
    results = [
        bench_selection(args.apps, args.n),
        bench_brute_force(),
        bench_assignment(args.apps, args.reviewers, args.k),
    ]
    for row in results:
        print(json.dumps(row, ensure_ascii=False))  # noqa: T201 - a benchmark prints
    write_results("selection", results)


if __name__ == "__main__":
    main()
