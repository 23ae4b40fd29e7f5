"""Photos with EXIF and the officers of the fixture's areas, for the casework tests."""

from __future__ import annotations

import datetime as dt
import io
import random

from PIL import Image, ImageDraw

from tuopin.accounts import roles
from tuopin.accounts import services as accounts
from tuopin.conftest import TOWNSHIP


def photo(
    seed: int = 0,
    *,
    taken: dt.datetime | None = None,
    lat: float | None = None,
    lon: float | None = None,
    size: tuple[int, int] = (480, 360),
) -> bytes:
    """A JPEG of coloured blocks (different for each seed) with EXIF time and GPS if given."""
    rng = random.Random(seed)
    img = Image.new("RGB", size, (rng.randint(150, 250), rng.randint(150, 250), 200))
    draw = ImageDraw.Draw(img)
    for _ in range(14):
        x, y = rng.randint(0, size[0] - 60), rng.randint(0, size[1] - 60)
        colour = (rng.randint(0, 120), rng.randint(0, 120), rng.randint(0, 120))
        draw.rectangle([x, y, x + rng.randint(20, 160), y + rng.randint(20, 120)], fill=colour)
    exif = Image.Exif()
    if taken is not None:
        exif[0x8769] = {0x9003: taken.strftime("%Y:%m:%d %H:%M:%S")}
    if lat is not None and lon is not None:
        exif[0x8825] = {1: "N", 2: _dms(lat), 3: "E", 4: _dms(lon)}
    out = io.BytesIO()
    img.save(out, "JPEG", quality=90, exif=exif)
    return out.getvalue()


def _dms(value: float) -> tuple[float, float, float]:
    d = int(value)
    m = int((value - d) * 60)
    s = round(((value - d) * 60 - m) * 60, 2)
    return (float(d), float(m), s)


def township_officer():  # type: ignore[no-untyped-def]
    return accounts.create_user(
        username="township", role=roles.TOWNSHIP_OFFICER, area_codes=[TOWNSHIP]
    )
