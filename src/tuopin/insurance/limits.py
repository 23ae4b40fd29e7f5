"""What a benefit still pays: deductible, reimbursement rate, per-claim and yearly limits,
waiting days. Pure code: claims (later) and the village view share it.

Amounts are integer fen; the rate is in basis points (10 000 = 100 %), rounded down to the fen.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from .eligibility import years_before


@dataclass(frozen=True)
class Limits:
    per_claim_fen: int
    yearly_fen: int
    deductible_fen: int = 0
    rate_bp: int = 10_000

    @classmethod
    def of(cls, item: Any) -> Limits:
        """From anything shaped like a coverage item."""
        return cls(
            item.per_claim_limit_fen,
            item.yearly_limit_fen,
            item.deductible_fen,
            item.reimbursement_bp,
        )


def remaining(limits: Limits, used_fen: int) -> int:
    """What is left of the yearly limit after ``used_fen`` paid out this period."""
    return max(0, limits.yearly_fen - used_fen)


def payable(limits: Limits, loss_fen: int, used_fen: int) -> int:
    """What one claim of ``loss_fen`` pays: (loss − deductible) × rate, capped by the per-claim
    limit and by what remains of the yearly limit."""
    covered = max(0, loss_fen - limits.deductible_fen) * limits.rate_bp // 10_000
    return min(covered, limits.per_claim_fen, remaining(limits, used_fen))


def period_end(period_start: dt.date) -> dt.date:
    """The first day after a one-year period."""
    return years_before(period_start, -1)


def in_cover(waiting_days: int, period_start: dt.date, day: dt.date) -> bool:
    """Whether ``day`` falls in the period, after the waiting days."""
    return period_start + dt.timedelta(days=waiting_days) <= day < period_end(period_start)
