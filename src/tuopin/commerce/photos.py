"""Product photos (商品图片): checked like any photo evidence (:func:`documents.images.inspect`:
a real JPEG/PNG/WebP, at most 20 MB and 25 megapixels, not blank, not truncated), then turned
upright by their EXIF orientation, scaled down to at most :data:`MAX_SIDE` pixels and
re-encoded as JPEG without any metadata (a phone's GPS position never reaches the public
storefront). Stored once per content under ``MEDIA_ROOT/catalogue/``, outside the folders the
upload retention purges."""

from __future__ import annotations

import hashlib
import io
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from PIL import Image, ImageOps

from tuopin.documents import images

FOLDER = "catalogue"
MAX_SIDE = 1600
THUMB_SIDE = 320  # the storefront's cards
QUALITY = 85
MAX_PHOTOS = 8  # per product


@dataclass(frozen=True)
class Prepared:
    data: bytes
    thumb: bytes
    sha256: str
    width: int
    height: int


def prepare(data: bytes) -> Prepared:
    """The photo as the storefront shows it; :class:`~tuopin.documents.errors.BadImage` (with
    a message for the person holding the phone) when ``data`` is not a photo we take."""
    images.inspect(data)  # refuses before anything is decoded past the pixel limit
    with Image.open(io.BytesIO(data)) as img:
        upright = ImageOps.exif_transpose(img)
        if upright.mode not in ("RGB", "L"):
            # Transparency on white, as a card shows it.
            rgba = upright.convert("RGBA")
            flat = Image.new("RGB", rgba.size, (255, 255, 255))
            flat.paste(rgba, mask=rgba.getchannel("A"))
            upright = flat
        upright = upright.convert("RGB")
        upright.thumbnail((MAX_SIDE, MAX_SIDE), Image.Resampling.LANCZOS)
        encoded = _jpeg(upright)
        small = upright.copy()
        small.thumbnail((THUMB_SIDE, THUMB_SIDE), Image.Resampling.LANCZOS)
        thumb = _jpeg(small)
    return Prepared(
        data=encoded,
        thumb=thumb,
        sha256=hashlib.sha256(encoded).hexdigest(),
        width=upright.width,
        height=upright.height,
    )


def _jpeg(img: Image.Image) -> bytes:
    out = io.BytesIO()
    img.save(out, "JPEG", quality=QUALITY, optimize=True)  # no exif= : no metadata at all
    return out.getvalue()


def path_of(sha256: str, *, thumb: bool = False) -> Path:
    name = f"{sha256}-{THUMB_SIDE}.jpg" if thumb else f"{sha256}.jpg"
    return Path(settings.MEDIA_ROOT) / FOLDER / sha256[:2] / name


def write(prepared: Prepared) -> bool:
    """Write the file once (under a temporary name, then renamed: never a part file under the
    real name). Returns whether this call created it."""
    target = path_of(prepared.sha256)
    if target.exists():
        return False
    target.parent.mkdir(parents=True, exist_ok=True)
    for data, path in (
        (prepared.thumb, path_of(prepared.sha256, thumb=True)),
        (prepared.data, target),
    ):
        tmp = path.with_suffix(".jpg.part")
        tmp.write_bytes(data)
        tmp.replace(path)
    return True


def remove(sha256: str) -> None:
    path_of(sha256).unlink(missing_ok=True)
    path_of(sha256, thumb=True).unlink(missing_ok=True)
