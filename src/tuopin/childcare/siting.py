"""Where to build childcare centres: maximal covering (MCLP) and set covering over demand
points (villages with children aged 0–3), as sparse MILPs solved by HiGHS, with a greedy
fallback whose gap to the solver's bound is reported. Pure: numpy, scipy and highspy only.

Distances are great-circle metres (haversine), never degrees; a k-d tree on a local
projection finds the candidate pairs and the exact distance decides, so 999 m and 1,001 m
fall on the right sides of a 1 km radius. A site may be chosen only if *more than*
``min_children`` children live within the radius (the report's "超过 10 名"). The
formulation is sparse: one binary per allowed site, one continuous cover variable per
coverable demand point, one row per demand point over the sites that reach it.
"""

from __future__ import annotations

import math
import os
import sys
import threading
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

import highspy
import numpy as np
from scipy.spatial import cKDTree

EARTH_RADIUS_M = 6_371_008.8  # the mean radius (IUGG)
_banner_lock = threading.Lock()
_banner_shown = False


@dataclass(frozen=True)
class Place:
    """A demand point (children > 0) or a candidate site (children ignored)."""

    code: str
    name: str
    lon: float
    lat: float
    children: int = 0


@dataclass
class Plan:
    radius_m: int
    min_children: int
    k: int
    eligible_children: int
    children_covered: int
    optimal: bool
    gap: float
    """(bound − value) / bound; 0 when optimal."""
    method: str
    """"milp" or "greedy" (the better of the two is kept)."""
    sites: list[tuple[Place, int, list[str]]] = field(default_factory=list)
    """Chosen sites with the children each serves (nearest chosen site within the radius)
    and the demand codes it serves."""
    allowed_sites: int = 0
    greedy_covered: int = 0
    bound: float = 0.0
    worst_distance_m: float | None = None
    """The farthest any child lives from its nearest chosen centre (None: no centre)."""
    worst_code: str | None = None


def haversine_m(lon1: Any, lat1: Any, lon2: Any, lat2: Any) -> Any:
    """Great-circle distance in metres, element-wise."""
    p1, p2 = np.radians(lat1), np.radians(lat2)
    dp = p2 - p1
    dl = np.radians(lon2) - np.radians(lon1)
    a = np.sin(dp / 2) ** 2 + np.cos(p1) * np.cos(p2) * np.sin(dl / 2) ** 2
    return 2 * EARTH_RADIUS_M * np.arcsin(np.sqrt(np.clip(a, 0.0, 1.0)))


def destination(lon: float, lat: float, bearing_deg: float, metres: float) -> tuple[float, float]:
    """The point ``metres`` from (lon, lat) on the initial bearing (for tests and demos)."""
    d = metres / EARTH_RADIUS_M
    b = math.radians(bearing_deg)
    p1, l1 = math.radians(lat), math.radians(lon)
    p2 = math.asin(math.sin(p1) * math.cos(d) + math.cos(p1) * math.sin(d) * math.cos(b))
    l2 = l1 + math.atan2(
        math.sin(b) * math.sin(d) * math.cos(p1), math.cos(d) - math.sin(p1) * math.sin(p2)
    )
    return math.degrees(l2), math.degrees(p2)


def _xy(lons: np.ndarray, lats: np.ndarray, lon0: float, lat0: float) -> np.ndarray:
    """A local equirectangular projection in metres (only to find candidate pairs)."""
    x = np.radians(lons - lon0) * EARTH_RADIUS_M * math.cos(math.radians(lat0))
    y = np.radians(lats - lat0) * EARTH_RADIUS_M
    return np.column_stack([x, y])


def reach(demand: Sequence[Place], sites: Sequence[Place], radius_m: float) -> list[list[int]]:
    """For each site, the indexes of the demand points within ``radius_m`` (exact metres)."""
    if not demand or not sites:
        return [[] for _ in sites]
    dl = np.array([p.lon for p in demand])
    dt_ = np.array([p.lat for p in demand])
    sl = np.array([s.lon for s in sites])
    st = np.array([s.lat for s in sites])
    lon0, lat0 = float(np.mean(np.concatenate([dl, sl]))), float(np.mean(np.concatenate([dt_, st])))
    tree = cKDTree(_xy(dl, dt_, lon0, lat0))
    # The projection stretches by at most a few percent over a province: search wider, then
    # let the exact distance decide.
    near = tree.query_ball_point(_xy(sl, st, lon0, lat0), r=radius_m * 1.05 + 50)
    out: list[list[int]] = []
    for j, found in enumerate(near):
        if not found:
            out.append([])
            continue
        idx = np.array(found)
        d = haversine_m(dl[idx], dt_[idx], sl[j], st[j])
        out.append(sorted(int(i) for i in idx[d <= radius_m]))
    return out


def _new_highs() -> highspy.Highs:
    """A silent solver. HiGHS prints a banner on stdout (C level) the first time one is made,
    which would corrupt the CLI's JSON: send that one line to stderr."""
    global _banner_shown
    with _banner_lock:
        if not _banner_shown:
            sys.stdout.flush()
            saved = os.dup(1)
            try:
                os.dup2(2, 1)
                h = highspy.Highs()
            finally:
                os.dup2(saved, 1)
                os.close(saved)
            _banner_shown = True
        else:
            h = highspy.Highs()
    h.setOptionValue("output_flag", False)
    return h


def _solve(
    *,
    n_cols: int,
    cost: list[float],
    lower: list[float],
    upper: list[float],
    integer: list[bool],
    rows: list[tuple[list[int], list[float], float, float]],
    maximise: bool,
    time_limit: float,
) -> tuple[str, list[float], float, float]:
    """Solve one MILP; returns (status, column values, objective, dual bound)."""
    lp = highspy.HighsLp()
    lp.num_col_ = n_cols
    lp.num_row_ = len(rows)
    lp.col_cost_ = np.array(cost, dtype=float)
    lp.col_lower_ = np.array(lower, dtype=float)
    lp.col_upper_ = np.array(upper, dtype=float)
    lp.row_lower_ = np.array([r[2] for r in rows], dtype=float)
    lp.row_upper_ = np.array([r[3] for r in rows], dtype=float)
    lp.sense_ = highspy.ObjSense.kMaximize if maximise else highspy.ObjSense.kMinimize
    starts, index, value = [0], [], []
    for cols, coefs, _lo, _hi in rows:
        index += cols
        value += coefs
        starts.append(len(index))
    lp.a_matrix_.format_ = highspy.MatrixFormat.kRowwise
    lp.a_matrix_.start_ = np.array(starts, dtype=np.int32)
    lp.a_matrix_.index_ = np.array(index, dtype=np.int32)
    lp.a_matrix_.value_ = np.array(value, dtype=float)
    lp.a_matrix_.num_col_ = n_cols
    lp.a_matrix_.num_row_ = len(rows)
    lp.integrality_ = [
        highspy.HighsVarType.kInteger if i else highspy.HighsVarType.kContinuous for i in integer
    ]
    h = _new_highs()
    h.setOptionValue("time_limit", float(time_limit))
    h.setOptionValue("mip_rel_gap", 0.0)
    h.passModel(lp)
    h.run()
    status = h.getModelStatus()
    info = h.getInfo()
    values = list(h.getSolution().col_value) if info.primal_solution_status else []
    if status == highspy.HighsModelStatus.kOptimal:
        name = "optimal"
    elif status == highspy.HighsModelStatus.kTimeLimit:
        name = "time_limit"
    else:
        name = str(status)
    return name, values, float(info.objective_function_value), float(info.mip_dual_bound)


def greedy(weights: Sequence[int], covers: Sequence[Sequence[int]], k: int) -> list[int]:
    """Pick up to ``k`` sites, each time the one covering the most uncovered weight."""
    covered = np.zeros(len(weights), dtype=bool)
    w = np.asarray(weights, dtype=np.int64)
    chosen: list[int] = []
    arrays = [np.asarray(c, dtype=np.int64) for c in covers]
    for _ in range(min(k, len(covers))):
        best, gain = -1, 0
        for j, c in enumerate(arrays):
            if j in chosen or not len(c):
                continue
            g = int(w[c][~covered[c]].sum())
            if g > gain:
                best, gain = j, g
        if best < 0:
            break
        chosen.append(best)
        covered[arrays[best]] = True
    return chosen


def _covered(weights: Sequence[int], covers: Sequence[Sequence[int]], chosen: list[int]) -> int:
    hit: set[int] = set()
    for j in chosen:
        hit.update(covers[j])
    return sum(weights[i] for i in hit)


def maximal_covering(
    demand: Sequence[Place],
    sites: Sequence[Place],
    *,
    k: int,
    radius_m: float = 1000,
    min_children: int = 10,
    time_limit: float = 30.0,
) -> Plan:
    """Choose up to ``k`` sites maximising the children within ``radius_m`` of a chosen one,
    among the sites with more than ``min_children`` children within the radius."""
    demand = [p for p in demand if p.children > 0]
    weights = [p.children for p in demand]
    within = reach(demand, sites, radius_m)
    allowed = [j for j, c in enumerate(within) if sum(weights[i] for i in c) > min_children]
    covers = [within[j] for j in allowed]
    plan = Plan(
        radius_m=int(radius_m),
        min_children=min_children,
        k=k,
        eligible_children=sum(weights),
        children_covered=0,
        optimal=True,
        gap=0.0,
        method="milp",
        allowed_sites=len(allowed),
    )
    if not allowed or k <= 0:
        return _finish(plan, demand, sites, [], within)
    pick_greedy = greedy(weights, covers, k)
    plan.greedy_covered = _covered(weights, covers, pick_greedy)
    # Columns: x_j for each allowed site, then y_i for each demand point some site reaches.
    reached = sorted({i for c in covers for i in c})
    ycol = {i: len(allowed) + n for n, i in enumerate(reached)}
    sites_of: dict[int, list[int]] = {i: [] for i in reached}
    for jj, c in enumerate(covers):
        for i in c:
            sites_of[i].append(jj)
    n = len(allowed) + len(reached)
    rows = [
        ([ycol[i]] + sites_of[i], [1.0] + [-1.0] * len(sites_of[i]), -math.inf, 0.0)
        for i in reached
    ]
    rows.append((list(range(len(allowed))), [1.0] * len(allowed), -math.inf, float(k)))
    status, values, objective, bound = _solve(
        n_cols=n,
        cost=[0.0] * len(allowed) + [float(weights[i]) for i in reached],
        lower=[0.0] * n,
        upper=[1.0] * n,
        integer=[True] * len(allowed) + [False] * len(reached),
        rows=rows,
        maximise=True,
        time_limit=time_limit,
    )
    pick_milp = [jj for jj in range(len(allowed)) if values and values[jj] > 0.5]
    milp_covered = _covered(weights, covers, pick_milp) if values else -1
    plan.bound = bound if math.isfinite(bound) else float(sum(weights[i] for i in reached))
    if milp_covered >= plan.greedy_covered:
        chosen, plan.method = pick_milp, "milp"
        plan.optimal = status == "optimal"
    else:
        chosen, plan.method, plan.optimal = pick_greedy, "greedy", False
    value = _covered(weights, covers, chosen)
    if plan.optimal:
        plan.gap = 0.0
    else:
        plan.gap = max(0.0, (plan.bound - value) / plan.bound) if plan.bound > 0 else 0.0
    return _finish(plan, demand, sites, [allowed[jj] for jj in chosen], within)


def _finish(
    plan: Plan,
    demand: Sequence[Place],
    sites: Sequence[Place],
    chosen: list[int],
    within: list[list[int]],
) -> Plan:
    """Assign each child to its nearest chosen site within the radius; the worst distance."""
    serves: dict[int, list[int]] = {j: [] for j in chosen}
    if chosen and demand:
        dl = np.array([p.lon for p in demand])
        dt_ = np.array([p.lat for p in demand])
        dist = np.column_stack([haversine_m(dl, dt_, sites[j].lon, sites[j].lat) for j in chosen])
        reaches = np.zeros_like(dist, dtype=bool)
        for c, j in enumerate(chosen):
            reaches[within[j], c] = True
        masked = np.where(reaches, dist, np.inf)
        for i in np.flatnonzero(reaches.any(axis=1)):
            serves[chosen[int(masked[i].argmin())]].append(int(i))
        best = dist.min(axis=1)
        worst = int(best.argmax())
        plan.worst_distance_m = float(best[worst])
        plan.worst_code = demand[worst].code
    plan.sites = [
        (
            sites[j],
            sum(demand[i].children for i in serves[j]),
            [demand[i].code for i in serves[j]],
        )
        for j in chosen
    ]
    plan.sites.sort(key=lambda s: -s[1])
    plan.children_covered = sum(s[1] for s in plan.sites)
    return plan


def set_covering(
    demand: Sequence[Place],
    sites: Sequence[Place],
    *,
    radius_m: float = 1000,
    min_children: int = 10,
    time_limit: float = 30.0,
) -> tuple[int, list[Place], bool]:
    """The fewest allowed sites that together reach every demand point an allowed site can
    reach (every eligible cluster): (count, sites, optimal)."""
    demand = [p for p in demand if p.children > 0]
    weights = [p.children for p in demand]
    within = reach(demand, sites, radius_m)
    allowed = [j for j, c in enumerate(within) if sum(weights[i] for i in c) > min_children]
    if not allowed:
        return 0, [], True
    reached = sorted({i for j in allowed for i in within[j]})
    sites_of: dict[int, list[int]] = {i: [] for i in reached}
    for jj, j in enumerate(allowed):
        for i in within[j]:
            sites_of[i].append(jj)
    rows = [(sites_of[i], [1.0] * len(sites_of[i]), 1.0, math.inf) for i in reached]
    status, values, _obj, _bound = _solve(
        n_cols=len(allowed),
        cost=[1.0] * len(allowed),
        lower=[0.0] * len(allowed),
        upper=[1.0] * len(allowed),
        integer=[True] * len(allowed),
        rows=rows,
        maximise=False,
        time_limit=time_limit,
    )
    chosen = [sites[allowed[jj]] for jj in range(len(allowed)) if values and values[jj] > 0.5]
    return len(chosen), chosen, status == "optimal"


def floor_area_m2(children: int, *, small: int = 60, large: int = 80, threshold: int = 30) -> int:
    """The report's 60–80 m²: 60 up to ``threshold`` children, rising by one m² a child to 80."""
    if children <= threshold:
        return small
    return min(large, small + (children - threshold))
