"""Checks of one row on its own (required fields, ID number, dates, code lists), and the shapes
a row takes on its way from the reader to the writer."""

from __future__ import annotations

import dataclasses
import datetime as dt
import itertools
from typing import Any, NamedTuple

from django.utils.translation import gettext as _

from tuopin.areas import codes as area_codes
from tuopin.core import idcard
from tuopin.core.imports import RowError

from ..idhash import hasher
from ..models import Household, Person
from .columns import (
    COLUMNS,
    OPTIONAL_FIELDS,
    OPTIONAL_INDEX,
    PHONE_RE,
    REQUIRED,
    choice,
    column_label,
    parse_date,
)

# Longer values would be cut or, on PostgreSQL, refused mid-import: they are row errors.
MAX_LENGTHS = {
    "household_no": Household._meta.get_field("household_no").max_length or 0,
    "name": Person._meta.get_field("name").max_length or 0,
    "address": Household._meta.get_field("address").max_length or 0,
    "phone": Person._meta.get_field("phone").max_length or 0,
}


def is_ascii_digits(text: str) -> bool:
    """``str.isdigit`` accepts superscripts and other scripts' digits; these do not."""
    return text.isascii() and text.isdigit()


class CleanRow(NamedTuple):
    """A row that passed every check that needs no other row.

    Tuples, not dataclasses: batches of them cross from the reading child to the writer, and
    tuples pickle several times faster.
    """

    line: int
    household_no: str
    village_code: str
    name: str
    id_number: str
    id_hash: str
    sex: str
    birth_date: dt.date
    relation: str
    optional: tuple[Any, ...]  # OPTIONAL_FIELDS in order; None where the file has no column

    def get(self, name: str) -> Any:
        return self.optional[OPTIONAL_INDEX[name]]


class PendingHousehold(NamedTuple):
    """The rows of one household read so far: valid rows, errors and every line number."""

    rows: list[CleanRow]
    errors: list[RowError]
    lines: list[int]


# Complete households, errors of rows without a household number, rows read so far.
Batch = tuple[list[tuple[str, "PendingHousehold"]], list[RowError], int]
# The same as it crosses from the reading child to the writer: plain tuples.
PlainBatch = tuple[
    list[tuple[str, list[tuple[Any, ...]], list[RowError], list[int]]], list[RowError], int
]


def to_plain(batch: Batch) -> PlainBatch:
    """A batch as plain tuples, to pickle. A named tuple pickles and unpickles through a
    Python-level call each (``__getnewargs__``, ``__new__``): at a million rows that cost
    ~23 s of CPU, more than validating them (bench/README.md, issue 19)."""
    households, stray, n = batch
    return (
        [(key, list(map(tuple, hh.rows)), hh.errors, hh.lines) for key, hh in households],
        stray,
        n,
    )


def from_plain(plain: PlainBatch) -> Batch:
    """The batch :func:`to_plain` flattened, its named tuples made again by C calls only."""
    households, stray, n = plain
    make = tuple.__new__
    rows = itertools.repeat(CleanRow)
    return (
        [
            (key, make(PendingHousehold, (list(map(make, rows, clean)), errors, lines)))
            for key, clean, errors, lines in households
        ],
        stray,
        n,
    )


class RowValidator:
    """Checks one row on its own: required fields, ID number, dates, code lists."""

    def __init__(
        self, columns: dict[str, int], today: dt.date, labels: dict[str, str] | None = None
    ) -> None:
        self.today = today
        # The file's own titles: errors name a column as the file named it.
        self.labels = labels or {}
        self.width = max(columns.values(), default=-1) + 1
        # Absent columns point one past the last recognised one (see validate).
        self.ix = {name: columns.get(name, self.width) for name in COLUMNS}
        self.optional = [(i, c) for i, c in enumerate(OPTIONAL_FIELDS) if c in columns]
        self.id_hash = hasher()

    def household_no(self, values: list[str]) -> str:
        i = self.ix["household_no"]
        return values[i] if i < len(values) else ""

    def label(self, column: str) -> str:
        return self.labels.get(column) or column_label(column)

    def validate(self, line: int, values: list[str]) -> CleanRow | list[RowError]:
        """Validate one row (cells arrive stripped from :mod:`tuopin.core.tabular`)."""
        result = self._validate(line, values)
        if isinstance(result, CleanRow):
            return result
        # Whose row it is, by household number and name (cut to what the database would
        # hold, so that a too-long value does not flood the report).
        household_no = (
            values[self.ix["household_no"]] if self.ix["household_no"] < len(values) else ""
        )
        name = values[self.ix["name"]] if self.ix["name"] < len(values) else ""
        return [
            dataclasses.replace(
                e,
                header=self.label(e.column) if e.column else "",
                household_no=household_no[: MAX_LENGTHS["household_no"]],
                name=name[: MAX_LENGTHS["name"]],
            )
            for e in result
        ]

    def _validate(self, line: int, values: list[str]) -> CleanRow | list[RowError]:
        # Cut the row at the last recognised column and add one empty cell, where every
        # absent column points: an unrecognised column after the last recognised one must
        # never be read as an absent one.
        values = values[: self.width] + [""] * (self.width + 1 - min(len(values), self.width))
        ix = self.ix
        errors: list[RowError] = []
        for col, limit in MAX_LENGTHS.items():
            text = values[ix[col]]
            if len(text) > limit:
                errors.append(
                    RowError(
                        line,
                        col,
                        "too_long",
                        _("%(col)s超过 %(n)s 个字符：%(v)s")
                        % {"col": self.label(col), "n": limit, "v": text[:40] + "…"},
                    )
                )
        if "\x00" in "".join(values):  # PostgreSQL refuses NUL in any text
            errors.append(RowError(line, "", "bad_character", _("含有无效字符（NUL）")))
        for col in REQUIRED:
            if not values[ix[col]]:
                errors.append(
                    RowError(
                        line,
                        col,
                        "missing_field",
                        _("必填项为空：%(col)s") % {"col": self.label(col)},
                    )
                )
        raw_id = values[ix["id_number"]]
        parsed: idcard.IdNumber | None = None
        if raw_id:
            try:
                parsed = idcard.parse(raw_id, today=self.today)
            except idcard.IdNumberError as exc:
                code = "id_checksum" if exc.code == "id_checksum" else "bad_id"
                errors.append(RowError(line, "id_number", code, exc.message))
        sex = parsed.sex if parsed else ""
        raw_sex = values[ix["sex"]]
        if raw_sex:
            given = choice("sex", raw_sex)
            if given is None:
                errors.append(
                    RowError(line, "sex", "bad_choice", _("性别无效：%(v)s") % {"v": raw_sex})
                )
            elif parsed and given != parsed.sex:
                errors.append(RowError(line, "sex", "id_sex_mismatch", _("性别与证件号码不符")))
        birth = parsed.birth_date if parsed else None
        raw_birth = values[ix["birth_date"]]
        if raw_birth:
            given_birth = parse_date(raw_birth)
            if given_birth is None:
                errors.append(
                    RowError(
                        line, "birth_date", "bad_date", _("日期格式无效：%(v)s") % {"v": raw_birth}
                    )
                )
            elif parsed and given_birth != parsed.birth_date:
                errors.append(
                    RowError(line, "birth_date", "id_birth_mismatch", _("出生日期与证件号码不符"))
                )
        raw_relation = values[ix["relation"]]
        relation = choice("relation", raw_relation) if raw_relation else None
        if raw_relation and relation is None:
            errors.append(
                RowError(
                    line, "relation", "bad_choice", _("与户主关系无效：%(v)s") % {"v": raw_relation}
                )
            )
        raw_village = values[ix["village_code"]]
        village = ""
        if len(raw_village) == 12 and is_ascii_digits(raw_village) and raw_village[:2] != "00":
            village = raw_village
        elif raw_village:
            try:
                village = area_codes.normalise(raw_village)
            except area_codes.AreaCodeError:
                errors.append(
                    RowError(
                        line,
                        "village_code",
                        "unknown_village",
                        _("村代码不存在：%(v)s") % {"v": raw_village},
                    )
                )
        extra: list[object] = [None] * len(OPTIONAL_FIELDS)
        for i, col in self.optional:
            text = values[ix[col]]
            if col == "status_year":
                # "²⁰²⁰".isdigit() is true and int() refuses it: ASCII digits only.
                year = int(text) if is_ascii_digits(text) and len(text) == 4 else None
                if text and not (year and 1980 <= year <= self.today.year + 1):
                    errors.append(
                        RowError(line, col, "bad_year", _("年度无效：%(v)s") % {"v": text})
                    )
                extra[i] = year
            elif col == "address":
                extra[i] = text
            elif col == "phone":
                if text and not PHONE_RE.match(text):
                    errors.append(
                        RowError(line, col, "bad_phone", _("联系电话无效：%(v)s") % {"v": text})
                    )
                extra[i] = text
            elif text:
                value = choice(col, text)
                if value is None:
                    errors.append(
                        RowError(
                            line,
                            col,
                            "bad_choice",
                            _("%(col)s取值无效：%(v)s") % {"col": self.label(col), "v": text},
                        )
                    )
                extra[i] = value or ""
            else:
                extra[i] = ""
        if errors or parsed is None or relation is None:
            return errors
        return CleanRow(
            line=line,
            household_no=self.household_no(values),
            village_code=village,
            name=values[ix["name"]],
            id_number=parsed.value,
            id_hash=self.id_hash(parsed.value),
            sex=sex,
            birth_date=parsed.birth_date if birth is None else birth,
            relation=relation,
            optional=tuple(extra),
        )
