"""Choose exactly N candidates maximising the total score under quotas, as an integer
programme solved by HiGHS; name the quotas that clash when none can be met. Pure: highspy
and numpy only (ADR 0014).

Scores are compared in integer milli-points so that ties are exact. Among selections with the
best total, the one with the smallest sum of ranks wins, ranks being the fixed order (score
descending, then key ascending); the second stage fixes the best total as a constraint, so the
tie-break never trades score. A quota counts the selected whose ``family`` attribute is in
``values``: ``at_least``/``at_most`` bound that count; ``per_value`` applies the bounds to each
value separately (at most 10 per province); ``where_possible`` lowers each value's minimum to
the candidates it has (at least one per prefecture that has an applicant).
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass, field

import highspy
import numpy as np

from tuopin.childcare.siting import _new_highs


@dataclass(frozen=True)
class Candidate:
    key: str
    score: float
    groups: dict[str, str] = field(default_factory=dict)
    """Attribute family → value, e.g. {"province": "53", "county_kind": "poor"}."""


@dataclass(frozen=True)
class Quota:
    name: str
    family: str
    values: tuple[str, ...] = ()
    """The values counted; empty with ``per_value`` means every value of the family."""
    at_least: int | None = None
    at_most: int | None = None
    share_at_least: float | None = None
    """A share of N (0.55 → at least ceil(0.55·N))."""
    per_value: bool = False
    where_possible: bool = False

    def bounds(self, n: int) -> tuple[int, int | None]:
        lo = self.at_least or 0
        if self.share_at_least is not None:
            lo = max(lo, math.ceil(self.share_at_least * n - 1e-9))
        return lo, self.at_most


@dataclass(frozen=True)
class Row:
    """One linear constraint: a quota applied to one value set."""

    quota: str
    label: str
    members: tuple[int, ...]
    lower: int
    upper: int | None


@dataclass
class Selection:
    selected: list[str]
    ranked: list[str]
    """Every candidate in the fixed order (score descending, key ascending)."""
    total: float
    unconstrained_total: float
    quota_cost: dict[str, float]
    """Score lost to each quota: total without that quota minus total with all."""
    marginal_in: list[str]
    """Selected with the lowest scores (the first to go if the rule changed)."""
    marginal_out: list[str]
    """Not selected with the highest scores."""
    forced_in: list[str]
    """Selected only because of a quota (not in the unconstrained top N)."""
    forced_out: list[str]
    """In the unconstrained top N but left out because of a quota."""


class QuotaInfeasible(Exception):  # noqa: N818 - a domain outcome, named as such
    """No selection of N meets the quotas; ``clash`` names a minimal set that conflicts."""

    def __init__(self, clash: list[str]):
        self.clash = clash
        super().__init__(", ".join(clash))


def milli(score: float) -> int:
    return int(round(score * 1000))


def ranked(candidates: Sequence[Candidate]) -> list[int]:
    return sorted(
        range(len(candidates)), key=lambda i: (-milli(candidates[i].score), candidates[i].key)
    )


def rows_for(candidates: Sequence[Candidate], quotas: Sequence[Quota], n: int) -> list[Row]:
    """Expand quota rules into constraint rows over candidate indexes."""
    rows: list[Row] = []
    for q in quotas:
        lo, hi = q.bounds(n)
        by_value: dict[str, list[int]] = {}
        for i, c in enumerate(candidates):
            v = c.groups.get(q.family)
            if v is not None:
                by_value.setdefault(v, []).append(i)
        if q.per_value:
            values = sorted(q.values or by_value)
            for v in values:
                members = tuple(by_value.get(v, []))
                vlo = min(lo, len(members)) if q.where_possible else lo
                rows.append(Row(q.name, f"{q.name}: {v}", members, vlo, hi))
        else:
            members = tuple(sorted(i for v in q.values for i in by_value.get(v, [])))
            vlo = min(lo, len(members)) if q.where_possible else lo
            rows.append(Row(q.name, q.name, members, vlo, hi))
    return rows


def _solve(
    n_cols: int,
    objective: list[float],
    rows: list[tuple[Sequence[int], Sequence[float], float, float]],
    maximise: bool,
    start: Sequence[int] | None = None,
) -> list[int] | None:
    """Solve a 0/1 programme; the chosen columns, or None when infeasible. ``start``: the
    columns of a known feasible selection (a MIP start, which prunes the search)."""
    lp = highspy.HighsLp()
    lp.num_col_ = n_cols
    lp.num_row_ = len(rows)
    lp.col_cost_ = np.array(objective, dtype=float)
    lp.col_lower_ = np.zeros(n_cols)
    lp.col_upper_ = np.ones(n_cols)
    lp.row_lower_ = np.array([r[2] for r in rows], dtype=float)
    lp.row_upper_ = np.array([r[3] for r in rows], dtype=float)
    lp.sense_ = highspy.ObjSense.kMaximize if maximise else highspy.ObjSense.kMinimize
    starts, index, value = [0], [], []
    for cols, coefs, _lo, _hi in rows:
        index += list(cols)
        value += list(coefs)
        starts.append(len(index))
    lp.a_matrix_.format_ = highspy.MatrixFormat.kRowwise
    lp.a_matrix_.start_ = np.array(starts, dtype=np.int32)
    lp.a_matrix_.index_ = np.array(index, dtype=np.int32)
    lp.a_matrix_.value_ = np.array(value, dtype=float)
    lp.a_matrix_.num_col_ = n_cols
    lp.a_matrix_.num_row_ = len(rows)
    lp.integrality_ = [highspy.HighsVarType.kInteger] * n_cols
    h = _new_highs()
    h.setOptionValue("mip_rel_gap", 0.0)
    h.setOptionValue("mip_abs_gap", 0.5)  # integer objectives: half a unit proves optimality
    # The rows are plain cardinality counts that presolve cannot shrink; measured on 5,000
    # candidates (bench/selection.py) it took over half the time.
    h.setOptionValue("presolve", "off")
    h.passModel(lp)
    if start is not None:
        x = np.zeros(n_cols)
        x[list(start)] = 1.0
        sol = highspy.HighsSolution()
        sol.col_value = list(x)
        sol.value_valid = True
        h.setSolution(sol)
    h.run()
    if h.getModelStatus() != highspy.HighsModelStatus.kOptimal:
        return None
    return [j for j, x in enumerate(h.getSolution().col_value) if x > 0.5]


def _base_rows(
    rows: Sequence[Row], n_cols: int, n: int
) -> list[tuple[Sequence[int], Sequence[float], float, float]]:
    out: list[tuple[Sequence[int], Sequence[float], float, float]] = [
        (range(n_cols), [1.0] * n_cols, float(n), float(n))
    ]
    for r in rows:
        hi = math.inf if r.upper is None else float(r.upper)
        out.append((r.members, [1.0] * len(r.members), float(r.lower), hi))
    return out


def _best(
    candidates: Sequence[Candidate], rows: Sequence[Row], n: int, order: list[int]
) -> list[int] | None:
    """Stage 1: the best integer total; stage 2: the smallest rank sum at that total."""
    m = len(candidates)
    scores = [float(milli(c.score)) for c in candidates]
    base = _base_rows(rows, m, n)
    first = _solve(m, scores, base, maximise=True)
    if first is None:
        return None
    best = sum(milli(candidates[i].score) for i in first)
    rank = [0.0] * m
    for r, i in enumerate(order):
        rank[i] = float(r)
    second = _solve(
        m, rank, base + [(range(m), scores, float(best), float(best))], maximise=False, start=first
    )
    return sorted(second if second is not None else first)


def _quick_clash(rows: Sequence[Row], n: int, m: int) -> list[str] | None:
    if n > m:
        return ["N"]
    for r in rows:
        if r.lower > min(n, len(r.members)) or (r.upper is not None and r.lower > r.upper):
            return [r.label]
    return None


def feasible(candidates: Sequence[Candidate], rows: Sequence[Row], n: int) -> bool:
    m = len(candidates)
    if _quick_clash(rows, n, m):
        return False
    return _solve(m, [0.0] * m, _base_rows(rows, m, n), maximise=True) is not None


def clash(candidates: Sequence[Candidate], rows: Sequence[Row], n: int) -> list[str]:
    """A minimal set of rows that cannot hold together with "exactly N" (a deletion filter:
    drop each row in turn and keep it out while the rest stay infeasible)."""
    quick = _quick_clash(rows, n, len(candidates))
    if quick:
        return quick
    keep = list(rows)
    for r in list(rows):
        trial = [x for x in keep if x is not r]
        if not feasible(candidates, trial, n):
            keep = trial
    return [r.label for r in keep]


def select(
    candidates: Sequence[Candidate],
    quotas: Sequence[Quota],
    n: int,
    *,
    margin: int = 5,
    costs: bool = True,
) -> Selection:
    """Exactly ``n`` candidates maximising the total score under ``quotas``; with ``costs``,
    what each quota costs in score (one more solve per quota)."""
    order = ranked(candidates)
    rows = rows_for(candidates, quotas, n)
    chosen = (
        _best(candidates, rows, n, order) if not _quick_clash(rows, n, len(candidates)) else None
    )
    if chosen is None:
        raise QuotaInfeasible(clash(candidates, rows, n))
    top = sorted(order[:n])
    total = sum(milli(candidates[i].score) for i in chosen)
    cost: dict[str, float] = {}
    for q in quotas if costs else ():
        others = [r for r in rows if r.quota != q.name]
        alt = _solve(
            len(candidates),
            [float(milli(c.score)) for c in candidates],
            _base_rows(others, len(candidates), n),
            maximise=True,
            start=chosen,  # feasible without the quota too
        )
        alt_total = sum(milli(candidates[i].score) for i in alt) if alt is not None else total
        cost[q.name] = (alt_total - total) / 1000
    chosen_set, top_set = set(chosen), set(top)
    in_order = [i for i in order if i in chosen_set]
    out_order = [i for i in order if i not in chosen_set]
    key = [c.key for c in candidates]
    return Selection(
        selected=[key[i] for i in in_order],
        ranked=[key[i] for i in order],
        total=total / 1000,
        unconstrained_total=sum(milli(candidates[i].score) for i in top) / 1000,
        quota_cost=cost,
        marginal_in=[key[i] for i in in_order[-margin:]] if margin else [],
        marginal_out=[key[i] for i in out_order[:margin]],
        forced_in=[key[i] for i in in_order if i not in top_set],
        forced_out=[key[i] for i in order if i in top_set and i not in chosen_set],
    )


def brute_force(
    candidates: Sequence[Candidate], quotas: Sequence[Quota], n: int
) -> list[str] | None:
    """The same rule by enumeration (for tests on small cases): best total, then smallest
    rank sum; None when no selection meets the quotas."""
    from itertools import combinations

    order = ranked(candidates)
    rank = {i: r for r, i in enumerate(order)}
    rows = rows_for(candidates, quotas, n)
    best: tuple[int, int] | None = None
    pick: tuple[int, ...] = ()
    for combo in combinations(range(len(candidates)), n):
        s = set(combo)
        ok = all(
            r.lower <= len(s.intersection(r.members)) <= (n if r.upper is None else r.upper)
            for r in rows
        )
        if not ok:
            continue
        k = (sum(milli(candidates[i].score) for i in combo), -sum(rank[i] for i in combo))
        if best is None or k > best:
            best, pick = k, combo
    if best is None:
        return None
    return [candidates[i].key for i in sorted(pick, key=lambda i: rank[i])]
