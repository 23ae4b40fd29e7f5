"""The apps' own events for the chronicle (大事记): a programme started, a campaign opened, a
centre opened. Each app registers a source from its ``AppConfig.ready()``; the work report
asks them for a period. Operators record the other events in the reports app."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable
from dataclasses import dataclass


@dataclass(frozen=True)
class Happening:
    day: dt.date
    title: str
    text: str = ""
    area_code: str = ""  # "" for the whole country
    url: str = ""  # where to read more (a public page)


Source = Callable[[str, dt.date, dt.date], Iterable[Happening]]
_sources: dict[str, Source] = {}


def register(key: str, source: Source) -> None:
    _sources[key] = source


def happenings(prefix: str, start: dt.date, end: dt.date) -> list[Happening]:
    """Every source's events in ``[start, end)`` for an area prefix ("" for all), by date."""
    out = [h for s in _sources.values() for h in s(prefix, start, end)]
    return sorted(out, key=lambda h: (h.day, h.title))
