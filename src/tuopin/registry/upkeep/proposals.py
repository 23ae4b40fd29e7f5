"""The annual review's rule as pure code: from the decisive facts to a proposal.

A household is lifted out (脱贫) when its income per person reaches the year's line and all
six checks of 两不愁三保障 hold; a lifted household returns (返贫) when either fails."""

from __future__ import annotations

from collections.abc import Sequence

CHECKS = ("food", "clothing", "education", "medical", "housing", "water")


def propose(
    status: str, income_fen: int | None, members: int, line_fen: int, checks: Sequence[bool | None]
) -> str:
    """``lift``, ``return`` or ``keep``; ``""`` while a fact is missing."""
    if income_fen is None or any(c is None for c in checks):
        return ""
    per_person = income_fen // members if members else 0
    meets = per_person >= line_fen and all(checks)
    if status in ("poor", "returned"):
        return "lift" if meets else "keep"
    if status == "lifted":
        return "keep" if meets else "return"
    return "keep"


def failing(
    income_fen: int | None, members: int, line_fen: int, checks: dict[str, bool | None]
) -> list[str]:
    """Which facts fall short (``income`` or a check's name): the reasons shown."""
    out = []
    if income_fen is not None and (income_fen // members if members else 0) < line_fen:
        out.append("income")
    out += [k for k, v in checks.items() if v is False]
    return out
