"""Sections that other apps add to a household's page (户页扩展).

The registry sits below the apps that support a household (casework's pledges, farming's
deliveries, forest's wages…) and must not import them. Each such app registers a source here
from its ``AppConfig.ready()``; the household page asks every source for its panel. A source
reads through its own app's access function and returns ``None`` when the user may not see
what it holds, so a panel never widens what a user sees.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

from tuopin.core.errors import DomainError


@dataclass(frozen=True)
class Panel:
    """One section of the household page: a heading, a template and its context."""

    title: str
    template: str
    context: Mapping[str, Any] = field(default_factory=dict)
    order: int = 100


Source = Callable[[Any, Any], Panel | None]
_sources: dict[str, Source] = {}


def register(key: str, source: Source) -> None:
    """Add (or replace, on a reload) the panel source called ``key``."""
    _sources[key] = source


def panels_for(user: Any, household: Any) -> list[Panel]:
    """The panels ``user`` may see for ``household`` (fetched with ``get_household_for``).

    A source that refuses with a domain error (no permission) shows nothing."""
    out = []
    for source in _sources.values():
        try:
            panel = source(user, household)
        except DomainError:
            continue
        if panel is not None:
            out.append(panel)
    return sorted(out, key=lambda p: (p.order, p.title))
