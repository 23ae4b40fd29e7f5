"""Read an uploaded photo safely: refuse what is not an image, turn it upright by its EXIF
orientation, and decode big photos at a reduced size (a 40-megapixel JPEG is decoded at ~1/4
scale by libjpeg itself, so it costs neither the time nor the memory of the full image).
"""

from __future__ import annotations

import io
import warnings
from dataclasses import dataclass
from pathlib import Path

from django.utils.translation import gettext as _
from PIL import Image, ImageOps, UnidentifiedImageError

from tuopin.documents.errors import BadImage

WORKING_SIDE = 1600
"""The longest side we recognise at; phone photos are bigger, invoices print large enough."""
MAX_PIXELS = 150_000_000
"""Beyond this the file is not a phone photo (or is a decompression bomb): refuse it."""
MAX_BYTES = 60 * 1024 * 1024


@dataclass(frozen=True)
class Loaded:
    """The photo, upright by EXIF, at working size; ``scale`` maps its pixels to the stored
    image's (``width`` × ``height``, EXIF orientation applied, as a browser shows it)."""

    image: Image.Image
    width: int
    height: int
    scale: float


def _read(source: bytes | Path) -> bytes:
    if isinstance(source, Path | str):
        try:
            path = Path(source)
            if path.stat().st_size > MAX_BYTES:
                raise BadImage(
                    _("文件过大（超过60MB），请上传手机拍摄的照片"), code="image_too_large"
                )
            return path.read_bytes()
        except OSError as exc:
            raise BadImage(_("无法读取文件"), code="image_unreadable") from exc
    return bytes(source)


def load(source: bytes | Path) -> Loaded:
    """The photo at working size, or :class:`BadImage` with a message a cadre understands."""
    data = _read(source)
    if not data.strip():
        raise BadImage(_("文件为空"), code="image_empty")
    if len(data) > MAX_BYTES:
        raise BadImage(_("文件过大（超过60MB），请上传手机拍摄的照片"), code="image_too_large")
    if data.lstrip()[:5] == b"%PDF-":
        raise BadImage(_("暂不支持PDF文件：请拍照或截图后上传图片（JPEG或PNG）"), code="image_pdf")
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            image = Image.open(io.BytesIO(data))
            width, height = image.size
            if width * height > MAX_PIXELS:
                raise BadImage(
                    _("图片像素过多（%(mp)d百万像素），请压缩后上传")
                    % {"mp": width * height // 10**6},
                    code="image_too_many_pixels",
                )
            orientation = image.getexif().get(0x0112, 1)
            if image.format == "JPEG":
                image.draft("RGB", (WORKING_SIDE, WORKING_SIDE))
            image.load()
    except BadImage:
        raise
    except (UnidentifiedImageError, Image.DecompressionBombError, Image.DecompressionBombWarning):
        raise BadImage(_("不是可识别的图片文件（支持JPEG、PNG等）"), code="image_unknown") from None
    except (OSError, ValueError, SyntaxError) as exc:
        raise BadImage(_("图片已损坏或不完整，请重新拍摄"), code="image_corrupt") from exc
    if orientation in (5, 6, 7, 8):
        width, height = height, width
    image = ImageOps.exif_transpose(image) or image
    image = image.convert("RGB")
    if max(image.size) > WORKING_SIDE:
        image.thumbnail((WORKING_SIDE, WORKING_SIDE), Image.Resampling.BILINEAR)
    if min(image.size) < 8:
        raise BadImage(_("图片太小，无法识别"), code="image_too_small")
    return Loaded(image=image, width=width, height=height, scale=width / image.width)
