"""What waits (待办与逾期) for the monthly and quarterly reviews: each app registers a source
from its ``AppConfig.ready()`` that counts, through its own access functions, what waits for
a user (field reports overdue, claims waiting, runs that failed). Pure: no Django."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class Waiting:
    label: str
    count: int
    url: str = ""
    overdue: bool = False


Source = Callable[[Any], Iterable[Waiting]]
_sources: dict[str, Source] = {}


def register(key: str, source: Source) -> None:
    _sources[key] = source


def waiting_for(user: Any) -> list[Waiting]:
    """Every source's non-zero counts for ``user``, overdue ones first."""
    out = [w for s in _sources.values() for w in s(user) if w.count]
    return sorted(out, key=lambda w: (not w.overdue, -w.count))
