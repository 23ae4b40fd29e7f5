"""Uploaded files: refused past the byte limit while they arrive, stored under MEDIA_ROOT
addressed by the SHA-256 of their content, and deleted after the retention period."""

from __future__ import annotations

import datetime as dt
import hashlib
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.files.uploadedfile import UploadedFile
from django.core.files.uploadhandler import FileUploadHandler, SkipFile
from django.http import HttpRequest
from django.utils import timezone

from .tabular import file_too_large

_TOO_LARGE = "tuopin.upload_too_large"


class SizeLimitedUploadHandler(FileUploadHandler):
    """First upload handler: a file past ``TUOPIN_UPLOAD_MAX_BYTES`` is skipped as it arrives
    (the rest is read and thrown away, nothing of it is kept) and the request is marked so
    that the page can say why (:func:`uploaded_file`)."""

    def receive_data_chunk(self, raw_data: bytes, start: int) -> bytes | None:
        limit = settings.TUOPIN_UPLOAD_MAX_BYTES
        if start + len(raw_data) > limit:
            if self.request is not None:
                self.request.META[_TOO_LARGE] = start + len(raw_data)
            raise SkipFile
        return raw_data

    def file_complete(self, file_size: int) -> Any:
        return None  # the next handlers build the file


def uploaded_file(request: HttpRequest, field: str = "file") -> UploadedFile | None:
    """The request's uploaded file, or None; raises :class:`TableTooLarge` if it was cut at
    the byte limit (it then arrives as no file at all)."""
    upload = request.FILES.get(field)  # parses the body, running the handlers
    seen = request.META.get(_TOO_LARGE)
    if seen:
        raise file_too_large(int(seen), settings.TUOPIN_UPLOAD_MAX_BYTES)
    return upload if isinstance(upload, UploadedFile) else None


def store_upload(upload: UploadedFile, folder: str = "uploads") -> Path:
    """Write ``upload`` to ``MEDIA_ROOT/folder/<sha256><suffix>`` (once) and return the path.

    Storing the same content again renews the file's date, so that retention counts from the
    last upload.
    """
    limit = settings.TUOPIN_UPLOAD_MAX_BYTES
    if upload.size is not None and upload.size > limit:
        raise file_too_large(upload.size, limit)
    digest = hashlib.sha256()
    for chunk in upload.chunks():
        digest.update(chunk)
    suffix = Path(upload.name or "").suffix.lower()[:8]
    target = Path(settings.MEDIA_ROOT) / folder / f"{digest.hexdigest()}{suffix}"
    if target.exists():
        target.touch()
    else:
        target.parent.mkdir(parents=True, exist_ok=True)
        tmp = target.with_suffix(target.suffix + ".part")
        with tmp.open("wb") as fh:
            for chunk in upload.chunks():
                fh.write(chunk)
        tmp.replace(target)
    return target


# The folders of MEDIA_ROOT that hold transient files (uploads to import, statements, import
# reports): only these are purged. Evidence kept for good (claim photos, documents) lives in
# other folders and is never touched by the retention period.
TRANSIENT_FOLDERS = ("uploads", "statements", "import-reports")


def purge_uploads(*, older_than: dt.timedelta | None = None, folder: str | None = None) -> int:
    """Delete the transient files (:data:`TRANSIENT_FOLDERS`, or ``folder``) last written
    before the retention period (``TUOPIN_UPLOAD_RETENTION_DAYS``). Returns how many."""
    if older_than is None:
        older_than = dt.timedelta(days=settings.TUOPIN_UPLOAD_RETENTION_DAYS)
    cutoff = (timezone.now() - older_than).timestamp()
    root = Path(settings.MEDIA_ROOT)
    if not root.is_dir():
        return 0
    folders = [root / name for name in ((folder,) if folder else TRANSIENT_FOLDERS)]
    n = 0
    for base in folders:
        if not base.is_dir():
            continue
        for path in base.iterdir():
            if path.is_file() and path.stat().st_mtime < cutoff:
                path.unlink(missing_ok=True)
                n += 1
    return n
