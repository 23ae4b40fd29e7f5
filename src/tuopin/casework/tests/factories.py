"""Photos with EXIF and the officers of the fixture's areas, for the casework tests."""

from __future__ import annotations

import datetime as dt
import io
import random
from typing import Any
from zoneinfo import ZoneInfo

from PIL import Image, ImageDraw

from tuopin.accounts import roles
from tuopin.accounts import services as accounts
from tuopin.casework import services
from tuopin.casework.models import Submission
from tuopin.conftest import TOWNSHIP, VILLAGE_A
from tuopin.registry.models import Person

SHANGHAI = ZoneInfo("Asia/Shanghai")
JUNE = dt.date(2018, 6, 1)
IN_JUNE = dt.datetime(2018, 6, 10, 9, 30, tzinfo=SHANGHAI)
A_LAT, A_LON = 31.01, 110.31  # village A in the fixture


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


def chicken(
    types,
    cadre,
    *,
    birds: Any = "120",
    seed: int = 1,
    household: str = "A001",
    taken: dt.datetime | None = IN_JUNE,
    village: str = VILLAGE_A,
) -> Submission:  # type: ignore[no-untyped-def]
    return services.file_submission(
        report_type=types["black-chicken"],
        village=village,
        values={"household": household, "birds": birds, "growth": "良好"},
        photos={"photo": [photo(seed, taken=taken, lat=A_LAT, lon=A_LON)]},
        period=JUNE,
        by=cadre,
    )


def student(types, cadre, **over: Any) -> Submission:  # type: ignore[no-untyped-def]
    person = Person.objects.get(name="朱婷婷")
    values = {
        "student": str(person.pk),
        "school": "溪丘湾中学",
        "grade": "初二",
        "family": "母亲因病卧床，父亲务农",
        "need": "学费与生活费",
        "amount": "1500",
    } | over
    return services.file_submission(
        report_type=types["poor-student"], village=VILLAGE_A, values=values, by=cadre
    )
