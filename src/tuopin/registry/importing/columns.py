"""What the registry import reads: the columns it recognises (Chinese or English headers) and
the spellings of each code list that the national export uses."""

from __future__ import annotations

import datetime as dt
import functools
import re

from tuopin.core.imports import map_header

from ..choices import (
    Education,
    Health,
    HouseholdType,
    PovertyCause,
    PovertyStatus,
    Relation,
    Sex,
    StudentStatus,
)

COLUMNS: dict[str, tuple[str, ...]] = {
    "household_no": ("户编号", "户编码"),
    "name": ("姓名",),
    "id_number": ("证件号码", "身份证号", "身份证号码"),
    "sex": ("性别",),
    "birth_date": ("出生日期",),
    "relation": ("与户主关系",),
    "village_code": ("村代码", "行政区划代码"),
    "household_type": ("贫困户属性",),
    "poverty_cause": ("致贫原因", "主要致贫原因"),
    "poverty_status": ("贫困状态",),
    "status_year": ("脱贫年度", "状态年度"),
    "education": ("文化程度",),
    "health": ("健康状况",),
    "student_status": ("在校生状况",),
    "phone": ("联系电话", "电话"),
    "address": ("住址", "地址"),
}
REQUIRED = ("household_no", "name", "id_number", "relation", "village_code")
HOUSEHOLD_FIELDS = ("household_type", "poverty_cause", "poverty_status", "status_year", "address")
PERSON_OPTIONAL = ("education", "health", "student_status", "phone")
OPTIONAL_FIELDS = (*HOUSEHOLD_FIELDS, *PERSON_OPTIONAL)
OPTIONAL_INDEX = {name: i for i, name in enumerate(OPTIONAL_FIELDS)}


def _choice_lookup(choices: type, extra: dict[str, str] | None = None) -> dict[str, str]:
    table: dict[str, str] = {}
    for value, label in choices.choices:  # type: ignore[attr-defined]
        table[str(value).lower()] = value
        table[str(label).lower()] = value
    for k, v in (extra or {}).items():
        table[k.lower()] = str(v)  # plain strings compare faster than enum members
    return table


CHOICE_TABLES: dict[str, dict[str, str]] = {
    "household_type": _choice_lookup(
        HouseholdType,
        {
            "一般户": HouseholdType.GENERAL,
            "低保户": HouseholdType.DIBAO,
            "特困户": HouseholdType.TEKUN,
            "五保户": HouseholdType.TEKUN,
            "五保贫困户": HouseholdType.TEKUN,
        },
    ),
    "poverty_cause": _choice_lookup(
        PovertyCause,
        {
            "因病致贫": PovertyCause.ILLNESS,
            "因残致贫": PovertyCause.DISABILITY,
            "因学致贫": PovertyCause.SCHOOLING,
            "因灾致贫": PovertyCause.DISASTER,
        },
    ),
    "poverty_status": _choice_lookup(
        PovertyStatus,
        {
            "贫困": PovertyStatus.POOR,
            "脱贫": PovertyStatus.LIFTED,
            "已脱贫（享受政策）": PovertyStatus.LIFTED,
        },
    ),
    "relation": _choice_lookup(
        Relation,
        {
            "本人": Relation.HEAD,
            "本人或户主": Relation.HEAD,
            "妻": Relation.SPOUSE,
            "夫": Relation.SPOUSE,
            "子": Relation.SON,
            "女": Relation.DAUGHTER,
            "儿媳": Relation.DAUGHTER_IN_LAW,
            "女婿": Relation.SON_IN_LAW,
            "孙子": Relation.GRANDSON,
            "孙女": Relation.GRANDDAUGHTER,
            "父亲": Relation.FATHER,
            "母亲": Relation.MOTHER,
            "之孙": Relation.GRANDSON,
        },
    ),
    "sex": _choice_lookup(
        Sex, {"male": Sex.MALE, "female": Sex.FEMALE, "男性": Sex.MALE, "女性": Sex.FEMALE}
    ),
    "education": _choice_lookup(
        Education,
        {
            "文盲": Education.ILLITERATE,
            "半文盲": Education.ILLITERATE,
            "大专": Education.COLLEGE,
            "本科及以上": Education.COLLEGE,
        },
    ),
    "health": _choice_lookup(Health, {"大病": Health.SERIOUS, "慢性病": Health.CHRONIC}),
    "student_status": _choice_lookup(StudentStatus, {"在校生": StudentStatus.PRIMARY}),
}
# Exports often add grades: "小学三年级", "初中二年级", "高中一年级".
STUDENT_PREFIXES = (
    ("学前", "preschool"),
    ("小学", "primary"),
    ("初中", "junior"),
    ("七年级", "junior"),
    ("八年级", "junior"),
    ("九年级", "junior"),
    ("高中", "senior"),
    ("中职", "vocational"),
    ("技校", "vocational"),
    ("大专", "college"),
    ("本科", "college"),
    ("大学", "college"),
    ("研究生", "college"),
)
DATE_RE = re.compile(r"^(\d{4})\D?(\d{1,2})\D?(\d{1,2})\D?$", re.ASCII)
PHONE_RE = re.compile(r"^[0-9+\-() ]{5,20}$")


def parse_date(text: str) -> dt.date | None:
    m = DATE_RE.match(text.strip())
    if not m:
        return None
    try:
        return dt.date(int(m[1]), int(m[2]), int(m[3]))
    except ValueError:
        return None


@functools.lru_cache(maxsize=4096)  # a file repeats a handful of spellings a million times
def choice(column: str, text: str) -> str | None:
    value = CHOICE_TABLES[column].get(text.strip().lower())
    if value is None and column == "student_status":
        for prefix, code in STUDENT_PREFIXES:
            if text.startswith(prefix):
                return code
    if value is None and column == "relation" and text.startswith("之"):
        return CHOICE_TABLES[column].get(text[1:].lower())
    return value


def column_label(column: str) -> str:
    """The usual Chinese title of a column (its first name in :data:`COLUMNS`)."""
    names = COLUMNS.get(column)
    return names[0] if names else column


def header_labels(header: list[str], columns: dict[str, int]) -> dict[str, str]:
    """Each recognised column's title as ``header`` wrote it."""
    return {c: header[i].strip().lstrip("\ufeff") for c, i in columns.items()}


def map_columns(header: list[str]) -> dict[str, int]:
    """Positions of the recognised columns in ``header`` (first of each name wins)."""
    return map_header(header, COLUMNS)
