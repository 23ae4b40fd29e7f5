"""What a photo's bytes say about it: whether it is an image we take, its
size, content hash, perceptual hash and EXIF time and place.

Refusals are :class:`~tuopin.documents.errors.BadImage` with a message for the person holding
the phone; nothing is decoded past the pixel limit (a decompression bomb stops at the header).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import io
from dataclasses import dataclass
from decimal import Decimal
from zoneinfo import ZoneInfo

import imagehash
from django.utils.translation import gettext as _
from PIL import ExifTags, Image, ImageOps, ImageStat, UnidentifiedImageError

from .errors import BadImage

MAX_BYTES = 20 * 1024 * 1024
MAX_PIXELS = 25_000_000  # a 24 MP camera's full frame; a 40 MP photo is refused
MIN_SIDE = 100
FORMATS = {"JPEG": "image/jpeg", "PNG": "image/png", "WEBP": "image/webp"}
# Below this standard deviation of grey levels there is nothing on the picture (a lens cap,
# a blank wall, a black frame).
MIN_CONTRAST = 4.0
SHANGHAI = ZoneInfo("Asia/Shanghai")
BANDS = (11, 11, 11, 11, 10, 10)  # bits of the 64-bit hash per slice (see models.Photo)


@dataclass(frozen=True)
class ImageFacts:
    sha256: str
    media_type: str
    suffix: str
    size_bytes: int
    width: int
    height: int
    phash: int  # signed 64-bit
    taken_at: dt.datetime | None
    latitude: Decimal | None
    longitude: Decimal | None

    @property
    def bands(self) -> tuple[int, ...]:
        return bands(self.phash)


def to_signed(value: int) -> int:
    return value - (1 << 64) if value >= 1 << 63 else value


def bands(phash: int) -> tuple[int, ...]:
    """The six slices of a 64-bit hash (unsigned view), high bits first."""
    unsigned = phash & ((1 << 64) - 1)
    out = []
    shift = 64
    for width in BANDS:
        shift -= width
        out.append((unsigned >> shift) & ((1 << width) - 1))
    return tuple(out)


def distance(a: int, b: int) -> int:
    """Hamming distance of two 64-bit hashes."""
    return ((a ^ b) & ((1 << 64) - 1)).bit_count()


def too_large(size: int) -> BadImage:
    return BadImage(
        _("照片太大（%(n)s MB），最多 %(max)s MB")
        % {"n": size // (1024 * 1024), "max": MAX_BYTES // (1024 * 1024)},
        code="image_too_large",
    )


def inspect(data: bytes, *, max_pixels: int = MAX_PIXELS) -> ImageFacts:
    """Check ``data`` is a photo we take and read its facts; raise :class:`BadImage` if not."""
    if not data:
        raise BadImage(_("文件是空的，请重新拍照或选择照片"), code="empty_file")
    if len(data) > MAX_BYTES:
        raise too_large(len(data))
    if data[:5] == b"%PDF-":
        raise BadImage(
            _("这是 PDF 文件，请上传单据的照片（JPEG 或 PNG），可以对屏幕或纸质单据拍照"),
            code="pdf_not_supported",
        )
    try:
        with Image.open(io.BytesIO(data)) as probe:
            kind = probe.format or ""
            width, height = probe.size
    except (UnidentifiedImageError, OSError, ValueError, Image.DecompressionBombError):
        raise BadImage(_("不是照片文件，请上传 JPEG 或 PNG 照片"), code="not_an_image") from None
    if kind not in FORMATS:
        raise BadImage(
            _("不支持的图片格式 %(f)s，请上传 JPEG 或 PNG 照片") % {"f": kind}, code="bad_format"
        )
    if width * height > max_pixels:
        raise BadImage(
            _(
                "照片像素过多（%(w)s×%(h)s，约 %(mp)s 百万像素），最多 %(max)s 百万像素："
                "请把相机分辨率调低后重拍"
            )
            % {
                "w": width,
                "h": height,
                "mp": width * height // 1_000_000,
                "max": max_pixels // 1_000_000,
            },
            code="too_many_pixels",
        )
    if min(width, height) < MIN_SIDE:
        raise BadImage(_("照片太小，看不清单据，请靠近重拍"), code="image_too_small")
    try:
        with Image.open(io.BytesIO(data)) as img:
            img.load()  # a truncated or corrupt file fails here
            exif = img.getexif()
            upright = ImageOps.exif_transpose(img)
            grey = upright.convert("L")
    except (OSError, ValueError, SyntaxError, Image.DecompressionBombError):
        raise BadImage(_("照片文件已损坏，无法打开，请重新拍照"), code="corrupt_image") from None
    # As shown: browsers apply the EXIF orientation, and so does the recogniser (its boxes).
    width, height = upright.size
    if ImageStat.Stat(grey).stddev[0] < MIN_CONTRAST:
        raise BadImage(_("照片上看不到内容，请对准单据重新拍照"), code="blank_image")
    phash = to_signed(int(str(imagehash.phash(grey)), 16))
    taken_at, lat, lon = _exif_facts(exif)
    return ImageFacts(
        sha256=hashlib.sha256(data).hexdigest(),
        media_type=FORMATS[kind],
        suffix={"JPEG": ".jpg", "PNG": ".png", "WEBP": ".webp"}[kind],
        size_bytes=len(data),
        width=width,
        height=height,
        phash=phash,
        taken_at=taken_at,
        latitude=lat,
        longitude=lon,
    )


def _exif_facts(exif: Image.Exif) -> tuple[dt.datetime | None, Decimal | None, Decimal | None]:
    """The time the photo was taken (aware: the offset it gives, else Asia/Shanghai) and the
    GPS position, when the camera wrote them and they make sense."""
    taken_at = None
    try:
        sub = exif.get_ifd(ExifTags.IFD.Exif)
        raw = sub.get(ExifTags.Base.DateTimeOriginal) or exif.get(ExifTags.Base.DateTime)
        if isinstance(raw, str):
            naive = dt.datetime.strptime(raw.strip(), "%Y:%m:%d %H:%M:%S")  # noqa: DTZ007
            offset = sub.get(ExifTags.Base.OffsetTimeOriginal)
            if isinstance(offset, str) and len(offset) == 6 and offset[0] in "+-":
                sign = 1 if offset[0] == "+" else -1
                delta = dt.timedelta(hours=int(offset[1:3]), minutes=int(offset[4:6]))
                taken_at = naive.replace(tzinfo=dt.timezone(sign * delta)).astimezone(SHANGHAI)
            else:
                taken_at = naive.replace(tzinfo=SHANGHAI)
            if not 1990 <= taken_at.year <= 2100:
                taken_at = None
    except (ValueError, TypeError, KeyError):
        taken_at = None
    lat = lon = None
    try:
        gps = exif.get_ifd(ExifTags.IFD.GPSInfo)
        if gps:
            lat = _degrees(gps[2], gps.get(1, "N"), 90)
            lon = _degrees(gps[4], gps.get(3, "E"), 180)
            if lat is None or lon is None:
                lat = lon = None
    except (KeyError, TypeError, ValueError, ZeroDivisionError):
        lat = lon = None
    return taken_at, lat, lon


def _degrees(dms: tuple[float, float, float], ref: str, bound: int) -> Decimal | None:
    d, m, s = (float(x) for x in dms)
    value = d + m / 60 + s / 3600
    if str(ref).upper() in ("S", "W"):
        value = -value
    if not -bound <= value <= bound:
        return None
    return Decimal(f"{value:.6f}")
