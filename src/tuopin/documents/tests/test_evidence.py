"""Photo evidence: stored once by content, EXIF time and place, near duplicates, bad input."""

from __future__ import annotations

import datetime as dt
import io
import random
from decimal import Decimal
from pathlib import Path

import pytest
from django.conf import settings
from PIL import Image, ImageDraw, ImageFilter

from tuopin.core.uploads import TRANSIENT_FOLDERS
from tuopin.documents import evidence, images
from tuopin.documents.errors import BadImage
from tuopin.documents.models import Photo


def picture(seed: int = 0, size: tuple[int, int] = (640, 480), fmt: str = "JPEG", **save) -> bytes:  # type: ignore[no-untyped-def]
    """A document-like picture: lines of dark blocks on paper, different for each seed."""
    rng = random.Random(seed)
    img = Image.new("RGB", size, (235, 232, 225))
    draw = ImageDraw.Draw(img)
    for row in range(12):
        x = 20
        while x < size[0] - 60:
            w = rng.randint(8, 60)
            draw.rectangle([x, 20 + row * 36, x + w, 40 + row * 36], fill=(30, 30, 40))
            x += w + rng.randint(6, 30)
    out = io.BytesIO()
    img.save(out, fmt, **save)
    return out.getvalue()


def with_exif() -> bytes:
    img = Image.open(io.BytesIO(picture(3)))
    exif = Image.Exif()
    exif[0x8769] = {0x9003: "2026:03:02 14:05:09"}  # DateTimeOriginal (local, no offset)
    exif[0x8825] = {1: "N", 2: (31.0, 2.0, 24.0), 3: "E", 4: (110.0, 20.0, 24.0)}
    out = io.BytesIO()
    img.save(out, "JPEG", exif=exif)
    return out.getvalue()


def test_it_stores_a_photo_once_by_its_content_outside_the_purged_folders(db: None) -> None:
    data = picture(1)
    photo = evidence.store_photo(data)
    again = evidence.store_photo(data)
    assert again.pk == photo.pk and Photo.objects.count() == 1
    path = Path(settings.MEDIA_ROOT) / photo.path
    assert path.read_bytes() == data
    assert photo.path.split("/")[0] not in TRANSIENT_FOLDERS
    assert (photo.width, photo.height, photo.media_type) == (640, 480, "image/jpeg")
    assert len(photo.sha256) == 64


def test_it_reads_the_exif_time_as_shanghai_time_and_the_gps_position(db: None) -> None:
    photo = evidence.store_photo(with_exif())
    assert photo.taken_at == dt.datetime(2026, 3, 2, 6, 5, 9, tzinfo=dt.UTC)
    assert photo.latitude == Decimal("31.040000")
    assert photo.longitude == Decimal("110.340000")
    assert evidence.store_photo(picture(4)).taken_at is None


def test_a_resized_recompressed_copy_is_a_near_duplicate_and_another_picture_is_not(
    db: None,
) -> None:
    original = evidence.store_photo(picture(5, size=(1200, 900), quality=95))
    other = evidence.store_photo(picture(6, size=(1200, 900)))
    img = Image.open(io.BytesIO(picture(5, size=(1200, 900), quality=95)))
    copy = io.BytesIO()
    img.resize((800, 600)).filter(ImageFilter.GaussianBlur(0.6)).save(copy, "JPEG", quality=60)
    found = evidence.find_near_duplicates(copy.getvalue())
    assert [n.photo.pk for n in found] == [original.pk]
    assert other.pk not in {n.photo.pk for n in evidence.find_near_duplicates(original)}
    assert evidence.find_near_duplicates(original, exclude=[original.pk]) == []


def test_the_slices_find_every_hash_within_five_bits() -> None:
    rng = random.Random(11)
    for _ in range(200):
        a = images.to_signed(rng.getrandbits(64))
        flips = rng.sample(range(64), rng.randint(0, 5))
        b = a
        for bit in flips:
            b ^= 1 << bit
        b = images.to_signed(b & ((1 << 64) - 1))
        assert images.distance(a, b) == len(flips)
        assert any(x == y for x, y in zip(images.bands(a), images.bands(b), strict=True))


def _corrupt() -> bytes:
    data = picture(7)
    return data[: len(data) // 3]


def _huge() -> bytes:
    out = io.BytesIO()
    Image.new("L", (8000, 5000), 200).save(out, "PNG")
    return out.getvalue()


def _blank() -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (800, 600), (250, 250, 250)).save(out, "JPEG")
    return out.getvalue()


@pytest.mark.parametrize(
    ("data", "code"),
    [
        (b"", "empty_file"),
        (b"name,amount\n\xe5\x94\x90,1\n", "not_an_image"),
        (b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n", "pdf_not_supported"),
        (_corrupt(), "corrupt_image"),
        (_huge(), "too_many_pixels"),
        (_blank(), "blank_image"),
    ],
    ids=["empty", "text", "pdf", "corrupt", "40mp", "nothing"],
)
def test_bad_input_is_refused_clearly_and_nothing_is_stored(
    db: None, data: bytes, code: str
) -> None:
    with pytest.raises(BadImage) as caught:
        evidence.store_photo(data)
    assert caught.value.code == code
    assert caught.value.message
    assert Photo.objects.count() == 0
    assert not (Path(settings.MEDIA_ROOT) / evidence.FOLDER).exists()


def test_width_and_height_are_as_shown_after_the_exif_orientation(db: None) -> None:
    img = Image.open(io.BytesIO(picture(8, size=(640, 480))))
    exif = Image.Exif()
    exif[0x0112] = 6  # rotate 90° when shown
    out = io.BytesIO()
    img.save(out, "JPEG", exif=exif)
    photo = evidence.store_photo(out.getvalue())
    assert (photo.width, photo.height) == (480, 640)
