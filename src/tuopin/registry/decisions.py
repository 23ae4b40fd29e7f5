"""Where registry decisions go on the public ledger (公开账本).

``ledger`` sits above ``registry`` in the layers, so the registry cannot call it. The ledger
registers its ``append_entry`` here from its ``AppConfig.ready()``; registry services call
:func:`record` inside their transaction, so the entry and the change commit together. With
no recorder registered a decision is refused, never silently left off the ledger.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

Recorder = Callable[..., Any]
_recorder: list[Recorder] = []


def register(recorder: Recorder) -> None:
    """``recorder(kind=, payload=, commit=)`` returns an entry with ``index`` and ``at``."""
    _recorder[:] = [recorder]


def record(payload: dict[str, Any], commit: dict[str, tuple[str, str]] | None = None) -> Any:
    """Append a ``decision`` entry (no personal data; households only as commitments)."""
    if not _recorder:
        raise RuntimeError("no ledger recorder registered (tuopin.ledger not installed?)")
    return _recorder[0](kind="decision", payload=payload, commit=commit)
