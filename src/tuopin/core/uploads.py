"""Uploaded files are stored under MEDIA_ROOT, addressed by the SHA-256 of their content."""

from __future__ import annotations

import hashlib
from pathlib import Path

from django.conf import settings
from django.core.files.uploadedfile import UploadedFile


def store_upload(upload: UploadedFile, folder: str = "uploads") -> Path:
    """Write ``upload`` to ``MEDIA_ROOT/folder/<sha256><suffix>`` (once) and return the path."""
    digest = hashlib.sha256()
    for chunk in upload.chunks():
        digest.update(chunk)
    suffix = Path(upload.name or "").suffix.lower()[:8]
    target = Path(settings.MEDIA_ROOT) / folder / f"{digest.hexdigest()}{suffix}"
    if not target.exists():
        target.parent.mkdir(parents=True, exist_ok=True)
        tmp = target.with_suffix(target.suffix + ".part")
        with tmp.open("wb") as fh:
            for chunk in upload.chunks():
                fh.write(chunk)
        tmp.replace(target)
    return target
