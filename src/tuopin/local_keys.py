"""Secret keys for settings: from the environment, or kept in files under ``var/``.

It needs no Django set-up (only its exception class): settings import it first.
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
        return _read(path, env_name)
    if not create:
        raise ImproperlyConfigured(
            f"{env_name} is not set. Set it in the environment (a random string of 50 or more "
            "characters; see docs/operations.md), or set TUOPIN_LOCAL_KEYS=true on a "
            f"single-machine install to keep a generated key in {path}."
        )
    path.parent.mkdir(parents=True, exist_ok=True)
    # Written whole to a private temporary file, then linked into place: a process starting
    # at the same moment sees no file or the whole key, never a half-written one, and the
    # link fails if another process got there first (then its key is the key).
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w", encoding="ascii") as fh:
        fh.write(secrets.token_urlsafe(48) + "\n")
        fh.flush()
        os.fsync(fh.fileno())
    try:
        os.link(tmp, path)
    except FileExistsError:
        pass
    finally:
        tmp.unlink(missing_ok=True)
    return _read(path, env_name)


def _read(path: Path, env_name: str) -> str:
    value = path.read_text(encoding="ascii").strip()
    if len(value) < 32:
        raise ImproperlyConfigured(
            f"{path} holds no usable key (under 32 characters): remove it to have a new one "
            f"made, or set {env_name}"
        )
    return value
