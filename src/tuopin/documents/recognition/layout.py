"""Text lines on the page and their neighbours (pure: no Django).

Every line gets an axis-aligned rectangle in the upright, de-skewed page; extraction asks
"what is to the right of this label, on the same row" and "what is just below it".
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class Read:
    """A line as OCR gave it: text, confidence, corners upright and in the stored image."""

    text: str
    confidence: float
    upright: Any  # 4×2 array, upright page pixels
    stored: Any  # 4×2 array, stored image pixels


@dataclass(frozen=True)
class Cell:
    """A line on the de-skewed page: ``x0..x1`` × ``y0..y1``."""

    index: int
    text: str
    confidence: float
    x0: float
    y0: float
    x1: float
    y1: float

    @property
    def height(self) -> float:
        return self.y1 - self.y0

    @property
    def cy(self) -> float:
        return (self.y0 + self.y1) / 2

    def overlaps_vertically(self, other: Cell) -> float:
        """How much of the shorter of the two rows they share (0..1)."""
        shared = min(self.y1, other.y1) - max(self.y0, other.y0)
        return max(0.0, shared) / max(1.0, min(self.height, other.height))

    def overlaps_horizontally(self, other: Cell) -> float:
        shared = min(self.x1, other.x1) - max(self.x0, other.x0)
        return max(0.0, shared) / max(1.0, min(self.x1 - self.x0, other.x1 - other.x0))


def cells(lines: list[Read], skew_degrees: float, width: int, height: int) -> list[Cell]:
    """Axis-aligned rectangles after turning the page back by its skew."""
    a = math.radians(-skew_degrees)
    cos, sin = math.cos(a), math.sin(a)
    cx, cy = width / 2, height / 2
    out = []
    for i, line in enumerate(lines):
        xs, ys = [], []
        for x, y in line.upright:
            dx, dy = x - cx, y - cy
            xs.append(cx + dx * cos - dy * sin)
            ys.append(cy + dx * sin + dy * cos)
        out.append(Cell(i, line.text, line.confidence, min(xs), min(ys), max(xs), max(ys)))
    return sorted(out, key=lambda c: (round(c.cy / max(8.0, c.height)), c.x0))


def right_of(cell: Cell, page: list[Cell]) -> list[Cell]:
    """Lines on the same row to the right of ``cell``, nearest first."""
    row = [
        c
        for c in page
        if c is not cell
        and c.x0 >= cell.x1 - cell.height * 0.5
        and cell.overlaps_vertically(c) > 0.5
    ]
    return sorted(row, key=lambda c: c.x0)


def below(cell: Cell, page: list[Cell]) -> list[Cell]:
    """Lines under ``cell`` sharing its column, nearest first (within a few line heights)."""
    column = [
        c
        for c in page
        if c is not cell
        and c.y0 >= cell.cy
        and c.y0 - cell.y1 < 3.0 * cell.height
        and (cell.overlaps_horizontally(c) > 0.3 or abs(c.x0 - cell.x0) < 2 * cell.height)
    ]
    return sorted(column, key=lambda c: (c.y0, abs(c.x0 - cell.x0)))
