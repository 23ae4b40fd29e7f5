"""Evidence of registry upkeep (证明材料): the photos and documents a cadre attaches to a change
request or to a household's facts in the annual review. Stored once by content
(``core.uploads``) in a folder kept for good, and served back only through the owner's access
function, inline when it is a photo or a PDF and as a download otherwise (an uploaded web page
never runs on the site's origin)."""

from __future__ import annotations

import mimetypes
from dataclasses import dataclass
from pathlib import Path

from django.core.files.uploadedfile import SimpleUploadedFile, UploadedFile
from django.http import FileResponse
from django.utils.translation import gettext as _

from tuopin.core.uploads import store_upload

from ..errors import BadRequest

FOLDER = "registry-evidence"  # kept for good: not a transient upload folder
MAX_FILES = 9
INLINE = {"image/jpeg", "image/png", "image/webp", "image/gif", "application/pdf"}


@dataclass(frozen=True)
class Stored:
    sha256: str
    path: str
    name: str


def store(files: list[UploadedFile | bytes], *, already: int = 0) -> list[Stored]:
    """Store ``files`` (uploads, or raw bytes from the API); at most :data:`MAX_FILES` in all
    with the ``already`` attached."""
    if already + len(files) > MAX_FILES:
        raise BadRequest(_("证明材料最多 %(n)s 个") % {"n": MAX_FILES}, code="too_many_files")
    out = []
    for i, f in enumerate(files):
        upload = SimpleUploadedFile(f"evidence-{i}.jpg", f) if isinstance(f, bytes) else f
        path = store_upload(upload, FOLDER)
        out.append(Stored(path.stem, str(path), (upload.name or "")[:200]))
    return out


def response(path: str) -> FileResponse:
    """The stored file, shown in the browser only if it is a photo or a PDF."""
    file = Path(path)
    content_type = mimetypes.guess_type(file.name)[0] or "application/octet-stream"
    if content_type in INLINE:
        return FileResponse(file.open("rb"), content_type=content_type)
    return FileResponse(
        file.open("rb"),
        as_attachment=True,
        filename=file.name,
        content_type="application/octet-stream",
    )
