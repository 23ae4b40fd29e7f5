"""Deterministic monthly sales histories for the demo, the tests and the benchmark: a level,
a yearly season peaking in the harvest month, a growth rate and noise; some series sparse
(a shop that sells the product only now and then). No Django."""

from __future__ import annotations

import math
import random
from dataclasses import dataclass


@dataclass(frozen=True)
class Shape:
    level_kg: float  # mean monthly kg in the first year
    peak_month: int  # 1..12, the month sales peak (after the harvest)
    amplitude: float  # 0..1, the season's swing around the level
    growth: float  # yearly growth, e.g. 0.25
    noise: float  # relative noise, e.g. 0.08
    sparse: float = 0.0  # chance a month has no sale at all


def monthly_kg(shape: Shape, months: int, *, seed: int, start_month: int = 1) -> list[int]:
    """``months`` values (whole kg) from calendar month ``start_month`` on."""
    rnd = random.Random(seed)  # noqa: S311 - demo data, not secrets
    out = []
    for i in range(months):
        month = (start_month - 1 + i) % 12 + 1
        season = 1 + shape.amplitude * math.cos(2 * math.pi * (month - shape.peak_month) / 12)
        trend = (1 + shape.growth) ** (i / 12)
        value = shape.level_kg * season * trend * (1 + rnd.gauss(0, shape.noise))
        if shape.sparse and rnd.random() < shape.sparse:
            value = 0
        out.append(max(0, round(value)))
    return out


def bench_shape(i: int) -> Shape:
    """The benchmark's ``i``-th product: varied levels, peaks and growth; one in five sparse."""
    rnd = random.Random(i)  # noqa: S311 - demo data, not secrets
    return Shape(
        level_kg=rnd.uniform(50, 5000),
        peak_month=rnd.randint(1, 12),
        amplitude=rnd.uniform(0.1, 0.8),
        growth=rnd.uniform(-0.1, 0.5),
        noise=rnd.uniform(0.03, 0.15),
        sparse=0.5 if i % 5 == 4 else 0.0,
    )
