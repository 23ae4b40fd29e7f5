"""Why a person is or is not eligible for a programme (为何不符合条件): the structure every
programme's rule reports in, and the place programmes plug in.

The registry sits below the programmes (insurance, later others) and must not import them.
Each programme app registers a source from its ``AppConfig.ready()``; the person's page and
the API ask every source. A source returns one :class:`Verdict` per programme with the
rule's checks in order (the first failing one is the reason the village view shows), built
from the same conditions its enrollment runs, so there is one definition of the rule.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from tuopin.core.errors import DomainError


@dataclass(frozen=True)
class Check:
    code: str  # stable: "left", "age", "sex", "household_status", "county", …
    label: str  # what the rule asks, in the user's language
    passed: bool
    failure: str = ""  # the reason shown when it fails


@dataclass(frozen=True)
class Verdict:
    programme: str
    programme_name: str
    checks: list[Check] = field(default_factory=list)

    @property
    def eligible(self) -> bool:
        return all(c.passed for c in self.checks)

    @property
    def reason(self) -> Check | None:
        """The first failing check: the reason (as the village view names it)."""
        return next((c for c in self.checks if not c.passed), None)


Source = Callable[[Any, Any, dt.date], list[Verdict]]
_sources: dict[str, Source] = {}


def register(key: str, source: Source) -> None:
    _sources[key] = source


def verdicts_for(user: Any, person: Any, on: dt.date) -> list[Verdict]:
    """Every programme's verdict for ``person`` (fetched with ``get_person_for``). A source
    the user may not read (a domain error) gives nothing."""
    out: list[Verdict] = []
    for source in _sources.values():
        try:
            out += source(user, person, on)
        except DomainError:
            continue
    return out
