"""The plan page's county map, laid out for an inline SVG: villages sized by children,
candidate sites, chosen sites with their service circles to scale, and a scale bar. Pure."""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass, field

from .siting import EARTH_RADIUS_M, Place

WIDTH = 640
PAD = 24


@dataclass
class Mark:
    x: float
    y: float
    r: float
    label: str
    value: int = 0

    @property
    def corner(self) -> tuple[float, float]:
        """Top-left of a 10 px square centred on the mark."""
        return round(self.x - 5, 1), round(self.y - 5, 1)


@dataclass
class PlanMap:
    width: int
    height: int
    villages: list[Mark] = field(default_factory=list)
    candidates: list[Mark] = field(default_factory=list)
    chosen: list[Mark] = field(default_factory=list)
    scale_m: int = 0
    scale_px: float = 0.0

    @property
    def scale_y(self) -> int:
        return self.height - 12


def layout(
    villages: Sequence[Place],
    candidates: Sequence[Place],
    chosen: Sequence[tuple[Place, int]],
    radius_m: float,
) -> PlanMap | None:
    """Fit everything (and each chosen site's circle) into a ``WIDTH``-wide box; None when
    there is nothing with coordinates."""
    everything = list(villages) + list(candidates) + [c for c, _n in chosen]
    if not everything:
        return None
    lat0 = sum(p.lat for p in everything) / len(everything)
    lon0 = sum(p.lon for p in everything) / len(everything)
    kx = math.radians(1) * EARTH_RADIUS_M * math.cos(math.radians(lat0))
    ky = math.radians(1) * EARTH_RADIUS_M

    def xy(p: Place) -> tuple[float, float]:
        return (p.lon - lon0) * kx, (p.lat - lat0) * ky

    pts = [xy(p) for p in everything]
    margin = radius_m if chosen else 0
    xmin, xmax = min(x for x, _ in pts) - margin, max(x for x, _ in pts) + margin
    ymin, ymax = min(y for _, y in pts) - margin, max(y for _, y in pts) + margin
    span = max(xmax - xmin, ymax - ymin, 2 * radius_m)
    scale = (WIDTH - 2 * PAD) / span  # px per metre
    height = int(max(160, (ymax - ymin) * scale + 2 * PAD))

    def place(p: Place) -> tuple[float, float]:
        x, y = xy(p)
        return round(PAD + (x - xmin) * scale, 1), round(height - PAD - (y - ymin) * scale, 1)

    most = max([v.children for v in villages] + [1])
    out = PlanMap(width=WIDTH, height=height)
    for v in villages:
        x, y = place(v)
        out.villages.append(
            Mark(x, y, round(2 + 8 * math.sqrt(v.children / most), 1), v.name, v.children)
        )
    for c in candidates:
        x, y = place(c)
        out.candidates.append(Mark(x, y, 3, c.name))
    for site, n in chosen:
        x, y = place(site)
        out.chosen.append(Mark(x, y, round(radius_m * scale, 1), site.name, n))
    # A scale bar of a round length near a fifth of the width.
    target = (WIDTH - 2 * PAD) / 5 / scale
    step = 10 ** math.floor(math.log10(target))
    out.scale_m = int(min((s * step for s in (1, 2, 5, 10)), key=lambda m: abs(m - target)))
    out.scale_px = round(out.scale_m * scale, 1)
    return out
