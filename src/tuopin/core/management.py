"""Shared pieces of the ``tuopin`` management commands: progress bars and JSON output."""

from __future__ import annotations

import json
import sys
from typing import Any

from tqdm import tqdm


def progress_bar(total: int | None, desc: str, *, enabled: bool = True) -> tqdm:  # type: ignore[type-arg]
    """A progress bar on stderr (stdout stays clean for ``--json``)."""
    return tqdm(
        total=total,
        desc=desc,
        unit="行",
        file=sys.stderr,
        disable=not enabled,
        dynamic_ncols=True,
        mininterval=0.5,
    )


def dump_json(data: Any) -> str:
    return json.dumps(data, ensure_ascii=False, indent=2, default=str)
