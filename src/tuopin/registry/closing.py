"""Closing a household (销户) and reopening it: one definition for every write that can
leave a household without members (a merge into another household, a duplicate registration
merged away, the last member's death or departure) or bring a member back.

A closed household keeps its rows and its history and stays readable by its number (the
timeline, links from the household it went into), but is left out of household lists, counts,
the annual review, and new change requests (``selectors.households_for``). Callers hold the
household's row lock; each function returns the history changes for the caller to record.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from .choices import ClosedReason, MemberStatus
from .models import Household, Person


def has_present_members(household: Household) -> bool:
    return Person.objects.filter(household=household, status=MemberStatus.PRESENT).exists()


def close(
    household: Household, *, on: dt.date, reason: str, into: str = "", at: Any
) -> dict[str, Any]:
    """Close ``household`` from ``on``; ``into`` is the household number it was merged into."""
    Household.objects.filter(pk=household.pk).update(
        closed_on=on, closed_reason=reason, closed_into=into, updated_at=at
    )
    household.closed_on, household.closed_reason, household.closed_into = on, reason, into
    changes: dict[str, Any] = {"closed": [None, on.isoformat()], "closed_reason": reason}
    if into:
        changes["into"] = into
    return changes


def close_if_empty(
    household: Household, *, on: dt.date, reason: str, into: str = "", at: Any
) -> dict[str, Any] | None:
    """Close ``household`` if no member is present any more; the history changes, or None."""
    if household.closed_on is not None or has_present_members(household):
        return None
    return close(household, on=on, reason=reason, into=into, at=at)


def reopen_if_closed(household: Household, *, at: Any) -> dict[str, Any] | None:
    """A member came back to a household closed for having none: it is in the register again.
    A household merged into another stays closed (its members live in the other one)."""
    if household.closed_on is None or household.closed_reason != ClosedReason.NO_MEMBERS:
        return None
    before = household.closed_on.isoformat()
    Household.objects.filter(pk=household.pk).update(
        closed_on=None, closed_reason="", closed_into="", updated_at=at
    )
    household.closed_on, household.closed_reason, household.closed_into = None, "", ""
    return {"closed": [before, None]}
