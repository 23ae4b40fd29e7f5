"""Secret keys for settings: from the environment, or kept in files under ``var/``.

Pure Python (no Django): settings import it before Django is set up.
"""

from __future__ import annotations

import os
import secrets
from pathlib import Path

from django.core.exceptions import ImproperlyConfigured


def secret(env_name: str, path: Path, *, create: bool) -> str:
    """The key in ``env_name``; else the one in ``path``; else a new one written there if
    ``create``; else :class:`ImproperlyConfigured` naming the variable."""
    value = os.environ.get(env_name, "").strip()
    if value:
        if len(value) < 32:
            raise ImproperlyConfigured(f"{env_name} must be at least 32 characters long")
        return value
    if path.exists():
        return path.read_text(encoding="ascii").strip()
    if not create:
        raise ImproperlyConfigured(
            f"{env_name} is not set. Set it in the environment (a random string of 50 or more "
            "characters; see docs/operations.md), or set TUOPIN_LOCAL_KEYS=true on a "
            f"single-machine install to keep a generated key in {path}."
        )
    path.parent.mkdir(parents=True, exist_ok=True)
    value = secrets.token_urlsafe(48)
    # O_EXCL: two processes starting together never write two different keys.
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        return path.read_text(encoding="ascii").strip()
    with os.fdopen(fd, "w", encoding="ascii") as fh:
        fh.write(value + "\n")
    return value
