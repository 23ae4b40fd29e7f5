"""Demo field reports in 略阳 (the report's 钉钉 county): townships and villages with registered
households, a month of 乌鸡 reports with photos (one reused, one taken outside the month, one
far from its village) approved bottom-up by one township and waiting in the other, poor-student
cases at every stage of the chain, two forwarded to the helpers with pledges, one paid.

Photos are drawn with Pillow and carry EXIF time and GPS: no outside files. Runs once (a
second run finds the reports there)."""

from __future__ import annotations

import datetime as dt
import io
import random
import tempfile
from decimal import Decimal
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from PIL import Image, ImageDraw

LUEYANG = "610727"
SHANGHAI = ZoneInfo("Asia/Shanghai")


def photo(seed: int, taken: dt.datetime, lat: float, lon: float) -> bytes:
    """A farmyard-like picture (sky, ground, birds as dark dots), different for each seed."""
    rng = random.Random(seed)  # noqa: S311 - deterministic demo data
    img = Image.new("RGB", (640, 480), (140 + rng.randint(0, 60), 190, 235))
    draw = ImageDraw.Draw(img)
    draw.rectangle([0, 200 + rng.randint(0, 80), 640, 480], fill=(110, 90 + rng.randint(0, 40), 60))
    for _ in range(rng.randint(15, 60)):
        x, y = rng.randint(10, 620), rng.randint(260, 460)
        r = rng.randint(6, 14)
        draw.ellipse([x, y, x + r * 2, y + r], fill=(rng.randint(10, 40),) * 3)
    exif = Image.Exif()
    exif[0x8769] = {0x9003: taken.strftime("%Y:%m:%d %H:%M:%S")}
    exif[0x8825] = {1: "N", 2: _dms(lat), 3: "E", 4: _dms(lon)}
    out = io.BytesIO()
    img.save(out, "JPEG", quality=85, exif=exif)
    return out.getvalue()


def _dms(value: float) -> tuple[float, float, float]:
    d = int(value)
    m = int((value - d) * 60)
    return (float(d), float(m), round(((value - d) * 60 - m) * 60, 2))


def _create_areas(seed: int) -> list[Any]:
    """Two townships of three villages under 略阳 (as ``build_areas`` makes them for the
    counties of the scale), unless 略阳 has villages already; returns their specs."""
    from tuopin.areas import selectors as area_selectors
    from tuopin.areas import services as areas
    from tuopin.areas.models import Area
    from tuopin.registry.synthetic import TOWNSHIP_WORDS, VILLAGE_WORDS, VillageSpec, place_names

    if Area.objects.filter(code__startswith=LUEYANG, level=5).exists():
        return []
    county = area_selectors.areas_by_codes([LUEYANG.ljust(12, "0")]).get(LUEYANG.ljust(12, "0"))
    if county is None:
        return []
    rng = random.Random(seed + 727)  # noqa: S311 - deterministic demo data
    lon0 = county.longitude or Decimal("106.16")
    lat0 = county.latitude or Decimal("33.33")
    rows: list[tuple[str, str, Decimal | None, Decimal | None]] = []
    specs = []
    for t, tname in enumerate(place_names(rng, 2, TOWNSHIP_WORDS, "镇"), 1):
        tcode = f"{LUEYANG}{100 + t:03d}000"
        tlon = lon0 + Decimal(str(round(rng.uniform(-0.12, 0.12), 6)))
        tlat = lat0 + Decimal(str(round(rng.uniform(-0.1, 0.1), 6)))
        rows.append((tcode, tname, tlon, tlat))
        for v, vname in enumerate(place_names(rng, 3, VILLAGE_WORDS, "村"), 1):
            vcode = f"{tcode[:9]}{200 + v:03d}"
            vlon = tlon + Decimal(str(round(rng.uniform(-0.03, 0.03), 6)))
            vlat = tlat + Decimal(str(round(rng.uniform(-0.03, 0.03), 6)))
            rows.append((vcode, vname, vlon, vlat))
            specs.append(VillageSpec(code=vcode, county_code=LUEYANG))
    areas.create_areas(rows=rows)
    return specs


def lueyang_villages(villages: list[Any], seed: int) -> list[Any]:
    """For ``tuopin demo``: 略阳's villages when the scale left 略阳 out, so that its registry
    rows are generated and imported with everyone else's (the same on every run)."""
    from tuopin.areas.models import Area
    from tuopin.registry.synthetic import VillageSpec

    if any(v.county_code == LUEYANG for v in villages):
        return []
    created = _create_areas(seed)
    if created:
        return created
    codes = Area.objects.filter(code__startswith=LUEYANG, level=5).order_by("code")
    return [VillageSpec(code=c, county_code=LUEYANG) for c in codes.values_list("code", flat=True)]


def _villages(seed: int, today: dt.date) -> list[str]:
    """略阳's villages; created with their households when nothing made them before (a bare
    database with the county only: the casework demo on its own)."""
    from tuopin.areas.models import Area
    from tuopin.registry import services as registry

    from .services import write_registry_file

    specs = _create_areas(seed)
    if specs:
        with tempfile.TemporaryDirectory() as tmp:
            path = Path(tmp) / "lueyang.csv"
            write_registry_file(path, specs, 10, seed + 727, today)
            registry.import_registry(path=path)
    return sorted(
        Area.objects.filter(code__startswith=LUEYANG, level=5).values_list("code", flat=True)
    )


def _users(villages: list[str]) -> dict[str, object]:
    from tuopin.accounts import roles
    from tuopin.accounts import services as accounts
    from tuopin.accounts.errors import UnknownUser
    from tuopin.accounts.selectors import get_user

    from .services import DEMO_PASSWORD

    townships = sorted({v[:9] + "000" for v in villages})
    plan = [("ly_cadre", roles.VILLAGE_CADRE, villages[:3] if len(villages) > 3 else villages)]
    plan += [("ly_cadre2", roles.VILLAGE_CADRE, villages[3:])] if len(villages) > 3 else []
    plan += [(f"ly_township{i + 1}", roles.TOWNSHIP_OFFICER, [t]) for i, t in enumerate(townships)]
    plan += [("ly_county", roles.COUNTY_OFFICER, [LUEYANG.ljust(12, "0")])]
    out: dict[str, object] = {}
    for username, role, scope in plan:
        try:
            out[username] = get_user(username)
        except UnknownUser:
            out[username] = accounts.create_user(
                username=username,
                role=role,
                area_codes=scope,
                password=DEMO_PASSWORD,
                full_name=f"略阳 {roles.ROLE_LABELS[role]}",
            )
    try:
        out["helper"] = get_user("helper")
    except UnknownUser:
        out["helper"] = accounts.create_user(
            username="helper", role=roles.HELPER, password=DEMO_PASSWORD
        )
    return out


def build_casework(seed: int, today: dt.date) -> int:
    """Returns how many reports were filed (0 when they exist already or 略阳 is missing)."""
    from tuopin.accounts.selectors import shell_user
    from tuopin.areas import selectors as area_selectors
    from tuopin.casework import roster, services, support
    from tuopin.casework.models import Submission
    from tuopin.casework.seed import seed_report_types
    from tuopin.registry.models import Household, Person

    types = {t.slug: t for t in seed_report_types()}
    villages = _villages(seed, today)
    if not villages or Submission.objects.filter(area__code__startswith=LUEYANG).exists():
        return 0
    users = _users(villages)
    cadre_for = {v: users["ly_cadre"] for v in villages[:3]} | {
        v: users.get("ly_cadre2", users["ly_cadre"]) for v in villages[3:]
    }
    place = area_selectors.areas_by_codes(villages)
    rng = random.Random(seed)  # noqa: S311 - deterministic demo data
    month = today.replace(day=1)
    filed = 0
    households = list(Household.objects.filter(village_id__in=villages).order_by("household_no"))
    pictures: list[bytes] = []
    first_township = villages[0][:9] + "000"
    # The last village (outside the first township) has not reported yet: the county's
    # approval waits for it, as the inbox shows (应报村).
    late = villages[-1] if not villages[-1].startswith(first_township[:9]) else None
    for i, h in enumerate(households):
        if h.village_id == late:
            continue
        v = place[h.village_id]
        lat, lon = float(v.latitude or 33.3), float(v.longitude or 106.1)
        taken = dt.datetime(month.year, month.month, 1 + i % 27, 9 + i % 8, 10, tzinfo=SHANGHAI)
        if i == 3:  # taken the month before
            taken = taken - dt.timedelta(days=40)
        if i == 5:  # taken 30 km away
            lat += 0.27
        data = photo(seed + i, taken, lat, lon)
        if i == 7 and pictures:  # the same picture as another household's
            data = pictures[1]
        pictures.append(data)
        services.file_submission(
            report_type=types["black-chicken"],
            village=h.village_id,
            values={
                "household": h.household_no,
                "birds": str(rng.randint(20, 400)),
                "growth": rng.choices(["良好", "一般", "较差"], weights=[6, 3, 1])[0],
            },
            photos={"photo": [data]},
            period=month,
            by=cadre_for[h.village_id],
        )
        filed += 1
    roster.set_roster(report_type=types["black-chicken"], village_codes=villages, by=shell_user())
    for code in roster.missing(types["black-chicken"], month, first_township):
        roster.declare_nothing(
            report_type=types["black-chicken"],
            village=code,
            reason="本月本村无养殖户",
            period=month,
            by=cadre_for[code],
        )
    services.approve_area(
        report_type=types["black-chicken"],
        period_start=month,
        area_code=first_township,
        comment="本月存栏核实无误",
        by=users["ly_township1"],
    )
    # Poor-student cases at every stage.
    born_after = dt.date(today.year - 19, 1, 1)
    students = list(
        Person.objects.filter(village_code__in=villages[:3], birth_date__gte=born_after)
        .filter(birth_date__lte=dt.date(today.year - 7, 1, 1))
        .order_by("id")[:7]
    )
    township = users["ly_township1"]
    county = users["ly_county"]
    now = dt.datetime.now(tz=SHANGHAI)
    stages = ["township", "county", "returned", "rejected", "approved", "paid", "pledged"]
    for n, (person, stage) in enumerate(zip(students, stages, strict=False)):
        v = place[person.village_code]
        s = services.file_submission(
            report_type=types["poor-student"],
            village=person.village_code,
            values={
                "student": str(person.pk),
                "school": rng.choice(["略阳县天津高级中学", "略阳县城关中学", "接官亭镇中心小学"]),
                "grade": rng.choice(["初一", "初二", "初三", "高一", "高二"]),
                "family": rng.choice(["父亲因病丧失劳动能力", "单亲家庭，母亲务农", "祖父母抚养"]),
                "need": rng.choice(["学费与住宿费", "冬季衣物与生活费", "教辅资料与交通费"]),
                "amount": str(rng.choice([800, 1200, 1500, 2000])),
            },
            photos={
                "photos": [
                    photo(
                        seed + 500 + n,
                        now - dt.timedelta(days=3),
                        float(v.latitude or 33.3),
                        float(v.longitude or 106.1),
                    )
                ]
            },
            by=cadre_for[person.village_code],
        )
        filed += 1
        if stage == "township":
            continue
        if stage == "returned":
            services.decide(submission=s, action="return", comment="请补充在校证明", by=township)
            continue
        if stage == "rejected":
            services.decide(submission=s, action="reject", comment="已享受其他资助", by=township)
            continue
        services.decide(submission=s, action="approve", comment="情况属实", by=township)
        if stage == "county":
            continue
        services.decide(submission=s, action="approve", comment="同意", by=county)
        if stage == "approved":
            continue
        support.forward_case(submission=s, by=county)
        p = support.pledge(case_id=s.pk, amount_fen=50_000, note="好好学习", by=users["helper"])
        if stage == "paid":
            support.approve_disbursement(disbursement=p.disbursement, by=county)
            support.mark_paid(disbursement=p.disbursement, payment_ref=f"LY-{s.pk}", by=county)
    return filed
