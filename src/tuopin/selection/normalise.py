"""Reviewer severity and score normalisation (ADR 0014). Pure: standard library only.

A reviewer's severity is how far their mean total sits from the mean of all totals, in units
of the spread of all totals. A score's z is taken within its reviewer (score minus the
reviewer's mean, over the reviewer's standard deviation); the normalised score maps that z
back onto the overall mean and spread, so a harsh reviewer's 3 and a lenient one's 4.5 can
mean the same. A reviewer with fewer than two scores, or who gives everyone the same, keeps
their raw scores (nothing to standardise by).
"""

from __future__ import annotations

import statistics
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass


@dataclass(frozen=True)
class Mark:
    reviewer: str
    application: str
    total: float


@dataclass
class Severity:
    reviewer: str
    count: int
    mean: float
    sd: float
    z: float
    """(reviewer mean − overall mean) / overall sd; negative is harsh."""


@dataclass
class Normalised:
    application: str
    raw: float
    normalised: float
    reviews: int
    outliers: list[str]
    """Reviewers whose score for this application is more than ``outlier_z`` sds from the
    application's other scores."""


def severities(marks: Iterable[Mark]) -> dict[str, Severity]:
    marks = list(marks)
    if not marks:
        return {}
    totals = [m.total for m in marks]
    mu = statistics.fmean(totals)
    sd = statistics.pstdev(totals) or 1.0
    by: dict[str, list[float]] = defaultdict(list)
    for m in marks:
        by[m.reviewer].append(m.total)
    out = {}
    for r, xs in sorted(by.items()):
        rm = statistics.fmean(xs)
        out[r] = Severity(r, len(xs), rm, statistics.pstdev(xs), (rm - mu) / sd)
    return out


def normalise(marks: Iterable[Mark], *, outlier_z: float = 2.0) -> dict[str, Normalised]:
    """Per application: mean raw total, mean normalised total, and the outlying reviewers."""
    marks = list(marks)
    if not marks:
        return {}
    totals = [m.total for m in marks]
    mu = statistics.fmean(totals)
    sd = statistics.pstdev(totals)
    sev = severities(marks)
    by_app: dict[str, list[tuple[Mark, float]]] = defaultdict(list)
    for m in marks:
        s = sev[m.reviewer]
        adj = mu + (m.total - s.mean) / s.sd * sd if s.count >= 2 and s.sd > 0 else m.total
        by_app[m.application].append((m, adj))
    out = {}
    for app, items in sorted(by_app.items()):
        outliers = []
        for m, _adj in items:
            rest = [x.total for x, _ in items if x is not m]
            if len(rest) >= 2:
                rsd = statistics.pstdev(rest) or (sd or 1.0) / 2
                if abs(m.total - statistics.fmean(rest)) > outlier_z * rsd:
                    outliers.append(m.reviewer)
        out[app] = Normalised(
            application=app,
            raw=statistics.fmean(m.total for m, _ in items),
            normalised=statistics.fmean(a for _, a in items),
            reviews=len(items),
            outliers=sorted(outliers),
        )
    return out
