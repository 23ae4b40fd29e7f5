"""The campus hiring funnel's fairness figures (ADR 0014). Pure: no Django.

For each employer and stage, the share of applicants from poor counties who reached it
against the share of the others; the ratio of the two is the selection-rate ratio (the
"four-fifths" rule of thumb flags a ratio under 0.8).
"""

from __future__ import annotations

from dataclasses import dataclass

STAGES = ("applied", "interviewed", "offered", "hired")


@dataclass
class StageRow:
    stage: str
    poor: int
    others: int
    poor_rate: float | None
    """Reached this stage / applied, for applicants from poor counties."""
    others_rate: float | None
    ratio: float | None
    """poor_rate / others_rate; None when either is undefined."""
    flagged: bool


def funnel(poor: list[int], others: list[int]) -> list[StageRow]:
    """``poor`` and ``others``: counts reaching each of :data:`STAGES` (cumulative)."""
    rows = []
    for i, stage in enumerate(STAGES):
        pr = poor[i] / poor[0] if poor[0] else None
        orate = others[i] / others[0] if others[0] else None
        ratio = pr / orate if pr is not None and orate else None
        rows.append(
            StageRow(stage, poor[i], others[i], pr, orate, ratio, ratio is not None and ratio < 0.8)
        )
    return rows
