"""Writes of the area tree: load the national codes from ``cpca`` and import finer levels."""

from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from importlib import resources
from pathlib import Path

from django.db import transaction
from django.utils.translation import gettext as _

from tuopin.core.imports import RowError, map_header
from tuopin.core.tabular import Limits, open_table

from . import codes
from .models import Area, Level

AREA_COLUMNS: dict[str, tuple[str, ...]] = {
    "code": ("代码", "区划代码", "统计用区划代码", "行政区划代码"),
    "name": ("名称", "区划名称"),
    "longitude": ("经度", "lng", "lon"),
    "latitude": ("纬度", "lat"),
    "poverty_flags": ("贫困县类型", "flags"),
}
_FLAG_WORDS = {
    "national_poor": ("国家级贫困县", "national", "national_poor"),
    "deep_poverty": ("深度贫困县", "deep", "deep_poverty"),
    "provincial_poor": ("省级贫困县", "provincial", "provincial_poor"),
}
_UPDATE_FIELDS = ["name", "level", "parent", "longitude", "latitude"]
_FLAG_FIELDS = list(_FLAG_WORDS)


@dataclass
class AreaImportReport:
    created: int = 0
    updated: int = 0
    errors: list[RowError] = field(default_factory=list)

    def as_dict(self) -> dict[str, int]:
        return {"created": self.created, "updated": self.updated, "rejected_rows": len(self.errors)}


def _parent_code(code: str, known: set[str]) -> str | None:
    for candidate in codes.parent_candidates(code):
        if candidate in known:
            return candidate
    return None


def _upsert(rows: list[Area], *, with_flags: bool) -> tuple[int, int]:
    """Insert or update areas in one statement per batch; returns (created, updated)."""
    existing = set(
        Area.objects.filter(code__in=[a.code for a in rows]).values_list("code", flat=True)
    )
    fields = _UPDATE_FIELDS + (_FLAG_FIELDS if with_flags else [])
    rows.sort(key=lambda a: a.level)
    Area.objects.bulk_create(
        rows, batch_size=1000, update_conflicts=True, unique_fields=["code"], update_fields=fields
    )
    return len(rows) - len(existing), len(existing)


def _national_rows() -> list[tuple[str, str, str, str]]:
    text = resources.files("cpca.resources").joinpath("adcodes.csv").read_text(encoding="utf-8")
    reader = csv.reader(io.StringIO(text))
    next(reader)
    return [(r[0], r[1], r[2], r[3]) for r in reader if r and r[0].isdigit()]


@transaction.atomic
def load_national() -> AreaImportReport:
    """Load provinces, prefectures and counties (codes, names, coordinates) from ``cpca``.

    Flags set earlier (poor counties) are kept: this load never touches them.
    """
    raw = _national_rows()
    known = {code for code, *_rest in raw} | set(Area.objects.values_list("code", flat=True))
    rows = [
        Area(
            code=code,
            name=name,
            level=codes.level_of(code),
            parent_id=_parent_code(code, known),
            longitude=_decimal(lon),
            latitude=_decimal(lat),
        )
        for code, name, lon, lat in raw
    ]
    created, updated = _upsert(rows, with_flags=False)
    return AreaImportReport(created=created, updated=updated)


def _decimal(text: str) -> Decimal | None:
    if not text:
        return None
    try:
        return Decimal(text).quantize(Decimal("0.000001"))
    except InvalidOperation:
        return None


def _parse_flags(text: str) -> dict[str, bool] | None:
    flags = dict.fromkeys(_FLAG_WORDS, False)
    for word in filter(None, (w.strip().lower() for w in re.split(r"[,;，；、|/ ]+", text))):
        for flag, words in _FLAG_WORDS.items():
            if word in words:
                flags[flag] = True
                break
        else:
            return None
    return flags


@transaction.atomic
def import_areas(path: str | Path) -> AreaImportReport:
    """Import areas from CSV/XLSX (代码/code, 名称/name, optional 经度, 纬度, 贫困县类型).

    The parent follows from the code (nearest existing ancestor, in the database or the file).
    Idempotent. Bad rows are reported with their line and reason; the others are applied.
    Only the command line imports areas (a national file has ~700,000 villages): the file is
    held to the shape limits, not the upload size limits.
    """
    table = open_table(path, Limits.from_settings().for_command_line())
    cols = map_header(table.header, AREA_COLUMNS)
    report = AreaImportReport()
    missing = [c for c in ("code", "name") if c not in cols]
    if missing:
        from .errors import BadAreaFile

        raise BadAreaFile(_("缺少必需的列：%(cols)s") % {"cols": ", ".join(missing)})

    def get(values: list[str], name: str) -> str:
        i = cols.get(name)
        return values[i].strip() if i is not None and i < len(values) else ""

    parsed: list[tuple[int, Area, dict[str, bool] | None]] = []
    for line, values in table.rows:
        raw_code = get(values, "code")
        try:
            code = codes.normalise(raw_code)
        except codes.AreaCodeError:
            report.errors.append(
                RowError(line, "code", "bad_code", _("区划代码无效：%(c)s") % {"c": raw_code})
            )
            continue
        name = get(values, "name")
        if not name:
            report.errors.append(RowError(line, "name", "missing_field", _("名称不能为空")))
            continue
        lon, lat = get(values, "longitude"), get(values, "latitude")
        lon_d, lat_d = _decimal(lon), _decimal(lat)
        if (lon and (lon_d is None or not -180 <= lon_d <= 180)) or (
            lat and (lat_d is None or not -90 <= lat_d <= 90)
        ):
            report.errors.append(
                RowError(
                    line,
                    "longitude",
                    "bad_coordinate",
                    _("经纬度无效：%(a)s, %(b)s") % {"a": lon, "b": lat},
                )
            )
            continue
        flags_text = get(values, "poverty_flags")
        flags = _parse_flags(flags_text) if flags_text else None
        level = codes.level_of(code)
        if flags_text and (flags is None or level != Level.COUNTY):
            report.errors.append(
                RowError(
                    line,
                    "poverty_flags",
                    "bad_flags",
                    _("贫困县类型无效或不是县级区划：%(f)s") % {"f": flags_text},
                )
            )
            continue
        parsed.append(
            (line, Area(code=code, name=name, level=level, longitude=lon_d, latitude=lat_d), flags)
        )

    known = set(Area.objects.values_list("code", flat=True))
    file_codes = {a.code for _line, a, _f in parsed}
    good: list[Area] = []
    flagged: list[Area] = []
    for line, area, flags in sorted(parsed, key=lambda t: t[1].level):
        if area.level != Level.PROVINCE:
            parent = _parent_code(area.code, known | file_codes)
            if parent is None:
                report.errors.append(
                    RowError(
                        line,
                        "code",
                        "unknown_parent",
                        _("找不到上级区划：%(c)s") % {"c": area.code},
                    )
                )
                file_codes.discard(area.code)
                continue
            area.parent_id = parent
        if flags is not None:
            for k, v in flags.items():
                setattr(area, k, v)
            flagged.append(area)
        else:
            good.append(area)
    for batch, with_flags in ((good, False), (flagged, True)):
        if batch:
            c, u = _upsert(batch, with_flags=with_flags)
            report.created += c
            report.updated += u
    report.errors.sort(key=lambda e: e.line)
    return report


@transaction.atomic
def set_poverty_flags(
    *, code: str, national_poor: bool, deep_poverty: bool = False, provincial_poor: bool = False
) -> int:
    """Set a county's poverty flags. Returns the number of areas changed."""
    return Area.objects.filter(code=codes.normalise(code), level=Level.COUNTY).update(
        national_poor=national_poor, deep_poverty=deep_poverty, provincial_poor=provincial_poor
    )


@transaction.atomic
def create_areas(*, rows: list[tuple[str, str, Decimal | None, Decimal | None]]) -> int:
    """Upsert areas given as ``(code, name, longitude, latitude)``; parents follow from codes.

    Rows are applied in level order, so a village may come before its township.
    """
    known = set(Area.objects.values_list("code", flat=True)) | {r[0] for r in rows}
    areas = [
        Area(
            code=code,
            name=name,
            level=codes.level_of(code),
            longitude=lon,
            latitude=lat,
            parent_id=_parent_code(code, known),
        )
        for code, name, lon, lat in rows
    ]
    created, _updated = _upsert(areas, with_flags=False)
    return created
