"""What is not a readable photo is refused clearly; a photo of nothing is OTHER."""

import io
import struct
import zlib

import pytest
from PIL import Image

from tuopin.documents.errors import BadImage
from tuopin.documents.recognition import recognise
from tuopin.documents.recognition.loading import load
from tuopin.documents.types import DocType

from .conftest import FIXTURES


def _jpeg(size, colour=(240, 240, 235), quality=85) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", size, colour).save(out, "JPEG", quality=quality)
    return out.getvalue()


def _png_claiming(width: int, height: int) -> bytes:
    """A PNG whose header claims ``width`` × ``height`` (its pixels are never decoded)."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        return (
            struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))
        )

    ihdr = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", ihdr)
        + chunk(b"IDAT", zlib.compress(b"\0"))
        + chunk(b"IEND", b"")
    )


@pytest.mark.parametrize(
    ("data", "code"),
    [
        (b"", "image_empty"),
        (b"   \n", "image_empty"),
        (b"name,amount\nzhang,12\n", "image_unknown"),
        (b"%PDF-1.7\n1 0 obj\n<<>>\nendobj\n", "image_pdf"),
        (_png_claiming(30_000, 20_000), "image_too_many_pixels"),
    ],
)
def test_what_is_not_a_photo_is_refused_with_its_reason(data, code):
    with pytest.raises(BadImage) as refused:
        recognise(data)
    assert refused.value.code == code
    assert refused.value.message


def test_a_truncated_jpeg_is_refused_as_corrupt():
    data = (FIXTURES / "000-inpatient_invoice.jpg").read_bytes()
    with pytest.raises(BadImage) as refused:
        recognise(data[: len(data) // 2])
    assert refused.value.code == "image_corrupt"


def test_a_missing_file_is_refused():
    with pytest.raises(BadImage) as refused:
        recognise(FIXTURES / "no-such-photo.jpg")
    assert refused.value.code == "image_unreadable"


def test_a_40_megapixel_photo_is_read_at_working_size():
    loaded = load(_jpeg((7744, 5184)))
    assert (loaded.width, loaded.height) == (7744, 5184)
    assert max(loaded.image.size) <= 1600
    assert loaded.scale == pytest.approx(7744 / loaded.image.width)


def test_the_exif_orientation_is_applied_and_reported_as_the_stored_size():
    out = io.BytesIO()
    exif = Image.Exif()
    exif[0x0112] = 6  # turned 90° clockwise on display
    Image.new("RGB", (400, 300), "white").save(out, "JPEG", exif=exif)
    loaded = load(out.getvalue())
    assert (loaded.width, loaded.height) == (300, 400)
    assert loaded.image.size == (300, 400)


def test_a_photo_of_nothing_is_other_without_fields():
    result = recognise(_jpeg((1200, 900)))
    assert result.doc_type is DocType.OTHER
    assert result.fields == {}
    assert (result.width, result.height) == (1200, 900)
