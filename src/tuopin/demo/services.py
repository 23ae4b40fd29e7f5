"""Deterministic demo data built on the counties and figures of the seed report.

The real national codes come from ``cpca``; the counties the report names are flagged as
poor counties; townships, villages, households and people are synthetic but valid (ID numbers
of their county, a realistic age and sex structure) and go through the real importer.
"""

from __future__ import annotations

import csv
import datetime as dt
import random
import tempfile
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path

from tuopin.accounts import roles
from tuopin.accounts import services as accounts
from tuopin.areas import selectors as area_selectors
from tuopin.areas import services as areas
from tuopin.registry import services as registry
from tuopin.registry.synthetic import (
    HEADER,
    TOWNSHIP_WORDS,
    VILLAGE_WORDS,
    RowGenerator,
    VillageSpec,
    place_names,
)

# County code → (deep poverty?), from the report: 结对帮扶 (巴东, 定西), the ten e-commerce model
# counties, 宁陕 (养育未来), 平武 (生态脱贫), 滦平 (教育脱贫), 略阳 (钉钉), and 顶梁柱 counties in
# 贵州, 云南, 四川 and 新疆.
SEED_COUNTIES: dict[str, bool] = {
    "422823": True,  # 湖北 巴东县
    "621102": True,  # 甘肃 定西 安定区
    "621121": True,  # 甘肃 定西 通渭县
    "500236": False,  # 重庆 奉节县
    "532528": False,  # 云南 元阳县
    "621226": True,  # 甘肃 礼县
    "653130": True,  # 新疆 巴楚县
    "654326": False,  # 新疆 吉木乃县
    "150430": False,  # 内蒙古 敖汉旗
    "341524": False,  # 安徽 金寨县
    "350821": False,  # 福建 长汀县
    "222406": False,  # 吉林 和龙市
    "522634": False,  # 贵州 雷山县
    "610923": False,  # 陕西 宁陕县
    "510727": False,  # 四川 平武县
    "130824": False,  # 河北 滦平县
    "610727": False,  # 陕西 略阳县
    "520526": True,  # 贵州 威宁县
    "513431": True,  # 四川 昭觉县
    "653222": True,  # 新疆 墨玉县
}


@dataclass(frozen=True)
class Scale:
    counties: int
    townships: int
    villages: int
    households: int


SCALES = {
    "small": Scale(counties=16, townships=2, villages=3, households=12),
    "medium": Scale(counties=20, townships=5, villages=6, households=40),
    "large": Scale(counties=20, townships=10, villages=12, households=132),  # ≈ 1,004,000 people
}

DEMO_PASSWORD = "tuopin-demo"  # noqa: S105 - printed on purpose: demo logins only


@dataclass
class DemoResult:
    counties: int = 0
    villages: int = 0
    households: int = 0
    people: int = 0
    users: list[tuple[str, str, str]] = field(default_factory=list)  # username, role, area


def _jitter(rng: random.Random, value: Decimal | None, spread: float) -> Decimal | None:
    if value is None:
        return None
    return (value + Decimal(str(round(rng.uniform(-spread, spread), 6)))).quantize(
        Decimal("0.000001")
    )


def build_areas(scale: Scale, seed: int) -> list[VillageSpec]:
    """Flag the report's counties and create synthetic townships and villages below them."""
    rng = random.Random(seed)
    found = area_selectors.areas_by_codes([c.ljust(12, "0") for c in SEED_COUNTIES])
    by_code = {code[:6]: area for code, area in found.items()}
    for code, deep in SEED_COUNTIES.items():
        areas.set_poverty_flags(code=code, national_poor=True, deep_poverty=deep)
    rows: list[tuple[str, str, Decimal | None, Decimal | None]] = []
    villages: list[VillageSpec] = []
    for code in list(SEED_COUNTIES)[: scale.counties]:
        county = by_code.get(code)
        if county is None:
            continue
        for t, tname in enumerate(place_names(rng, scale.townships, TOWNSHIP_WORDS, "镇"), 1):
            tcode = f"{code}{100 + t:03d}000"
            tlon, tlat = _jitter(rng, county.longitude, 0.15), _jitter(rng, county.latitude, 0.12)
            rows.append((tcode, tname, tlon, tlat))
            for v, vname in enumerate(place_names(rng, scale.villages, VILLAGE_WORDS, "村"), 1):
                vcode = f"{tcode[:9]}{200 + v:03d}"
                rows.append((vcode, vname, _jitter(rng, tlon, 0.04), _jitter(rng, tlat, 0.03)))
                villages.append(VillageSpec(code=vcode, county_code=code))
    areas.create_areas(rows=rows)
    return villages


def write_registry_file(
    path: Path, villages: list[VillageSpec], households: int, seed: int, today: dt.date
) -> int:
    """Write the synthetic registry as a CSV in the national export's layout; returns people."""
    gen = RowGenerator(seed, today)
    n = 0
    with path.open("w", encoding="utf-8", newline="") as fh:
        writer = csv.writer(fh)
        writer.writerow(HEADER)
        for village in villages:
            for row in gen.village_rows(village, households):
                writer.writerow(row)
                n += 1
    return n


def create_users(villages: list[VillageSpec]) -> list[tuple[str, str, str]]:
    """One demo user per role, scoped to the first demo county, township and village."""
    village = villages[0].code
    township = village[:9] + "000"
    county = village[:6] + "000000"
    plan = [
        ("cadre", roles.VILLAGE_CADRE, [village]),
        ("township", roles.TOWNSHIP_OFFICER, [township]),
        ("county", roles.COUNTY_OFFICER, [county]),
        ("operator", roles.OPERATOR, []),
        ("adjuster", roles.ADJUSTER, []),
        ("observer", roles.OBSERVER, []),
        ("helper", roles.HELPER, []),
        ("donor", roles.DONOR, []),
    ]
    out = []
    for username, role, scope in plan:
        accounts.create_user(
            username=username,
            role=role,
            area_codes=scope,
            password=DEMO_PASSWORD,
            full_name=str(roles.ROLE_LABELS[role]),
        )
        out.append((username, role, scope[0] if scope else "*"))
    return out


def build_demo(
    *,
    scale: str = "small",
    seed: int = 2018,
    today: dt.date | None = None,
    progress: Callable[[int], None] | None = None,
    parallel: bool = False,
) -> DemoResult:
    """Load the whole demo. Deterministic for a seed; running it again changes nothing."""
    spec = SCALES[scale]
    today = today or dt.date(2018, 6, 30)  # the report's half-year: ages as on its date
    areas.load_national()
    villages = build_areas(spec, seed)
    result = DemoResult(counties=len({v.county_code for v in villages}), villages=len(villages))
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "registry.csv"
        result.people = write_registry_file(path, villages, spec.households, seed, today)
        report = registry.import_registry(path=path, progress=progress, parallel=parallel)
    result.households = report.households_created + report.households_updated
    if report.errors:  # the generator makes only valid rows; anything else is a bug
        first = report.errors[0]
        raise RuntimeError(f"demo rows rejected: line {first.line} {first.code} {first.message}")
    result.users = create_users(villages)
    return result
