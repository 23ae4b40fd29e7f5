"""Import of the national system's household export (建档立卡): CSV or XLSX, Chinese or English
headers, streamed, validated, applied household by household.

A household is applied whole or not at all. Rows are grouped by household number in a first
pass that only counts rows per household; the second pass validates and buffers rows until a
household is complete, then writes complete households in set-based batches (one statement
per table and batch). Memory stays flat for files that list a household's members together,
as the national export does.
"""

from __future__ import annotations

import datetime as dt
import functools
import multiprocessing
import multiprocessing.queues
import re
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, NamedTuple

from django.db import connection, connections, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from tuopin.accounts import scoping
from tuopin.areas import codes as area_codes
from tuopin.areas import selectors as area_selectors
from tuopin.core import idcard
from tuopin.core.bulk import db_datetime, insert_rows, select_in
from tuopin.core.imports import RowError, map_header
from tuopin.core.tabular import open_table

from .choices import (
    Education,
    Health,
    HouseholdType,
    PovertyCause,
    PovertyStatus,
    Relation,
    Sex,
    StudentStatus,
)
from .errors import BadRegistryFile
from .idhash import id_hash
from .models import Household, Person, StatusChange

if TYPE_CHECKING:
    from tuopin.accounts.models import User

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
CHUNK_HOUSEHOLDS = 4000
PROCESS_THRESHOLD = 20_000  # rows; smaller files are read in the importing process
HOUSEHOLD_COLUMNS = (
    "household_no",
    "village_code",
    "address",
    "household_type",
    "poverty_cause",
    "status",
    "status_year",
    "head_name",
    "member_count",
    "created_at",
    "updated_at",
)
PERSON_COLUMNS = (
    "household_id",
    "village_code",
    "name",
    "id_number",
    "id_hash",
    "sex",
    "birth_date",
    "relation",
    "education",
    "health",
    "student_status",
    "phone",
    "created_at",
    "updated_at",
)
PERSON_LOOKUP = (
    "id",
    "household_id",
    "id_number",
    "relation",
    "name",
    "sex",
    "birth_date",
    "education",
    "health",
    "student_status",
    "phone",
    "village_code",
)
STATUS_COLUMNS = ("household_id", "from_status", "to_status", "year", "reason", "by_id", "at")


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
_STUDENT_PREFIXES = (
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
_DATE_RE = re.compile(r"^(\d{4})\D?(\d{1,2})\D?(\d{1,2})\D?$")
_PHONE_RE = re.compile(r"^[0-9+\-() ]{5,20}$")


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


@dataclass
class ImportReport:
    households_created: int = 0
    households_updated: int = 0
    people_created: int = 0
    people_updated: int = 0
    rejected_households: int = 0
    errors: list[RowError] = field(default_factory=list)

    @property
    def rejected_rows(self) -> int:
        return len({e.line for e in self.errors})

    def as_dict(self) -> dict[str, int]:
        return {
            "households_created": self.households_created,
            "households_updated": self.households_updated,
            "people_created": self.people_created,
            "people_updated": self.people_updated,
            "rejected_households": self.rejected_households,
            "rejected_rows": self.rejected_rows,
        }


def parse_date(text: str) -> dt.date | None:
    m = _DATE_RE.match(text.strip())
    if not m:
        return None
    try:
        return dt.date(int(m[1]), int(m[2]), int(m[3]))
    except ValueError:
        return None


@functools.lru_cache(maxsize=4096)  # a file repeats a handful of spellings a million times
def _choice(column: str, text: str) -> str | None:
    value = CHOICE_TABLES[column].get(text.strip().lower())
    if value is None and column == "student_status":
        for prefix, code in _STUDENT_PREFIXES:
            if text.startswith(prefix):
                return code
    if value is None and column == "relation" and text.startswith("之"):
        return CHOICE_TABLES[column].get(text[1:].lower())
    return value


class RowValidator:
    """Checks one row on its own: required fields, ID number, dates, code lists."""

    def __init__(self, columns: dict[str, int], today: dt.date) -> None:
        self.today = today
        self.width = max(columns.values(), default=-1) + 1
        # Absent columns point one past the row, where padding puts an empty string.
        self.ix = {name: columns.get(name, self.width) for name in COLUMNS}
        self.optional = [(i, c) for i, c in enumerate(OPTIONAL_FIELDS) if c in columns]

    def household_no(self, values: list[str]) -> str:
        i = self.ix["household_no"]
        return values[i] if i < len(values) else ""

    def validate(self, line: int, values: list[str]) -> CleanRow | list[RowError]:
        """Validate one row (cells arrive stripped from :mod:`tuopin.core.tabular`)."""
        if len(values) <= self.width:
            values = values + [""] * (self.width + 1 - len(values))
        ix = self.ix
        errors: list[RowError] = []
        for col in REQUIRED:
            if not values[ix[col]]:
                errors.append(
                    RowError(line, col, "missing_field", _("必填项为空：%(col)s") % {"col": col})
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
            given = _choice("sex", raw_sex)
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
        relation = _choice("relation", raw_relation) if raw_relation else None
        if raw_relation and relation is None:
            errors.append(
                RowError(
                    line, "relation", "bad_choice", _("与户主关系无效：%(v)s") % {"v": raw_relation}
                )
            )
        raw_village = values[ix["village_code"]]
        village = ""
        if len(raw_village) == 12 and raw_village.isdigit() and raw_village[:2] != "00":
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
                if text and not (text.isdigit() and 1980 <= int(text) <= self.today.year + 1):
                    errors.append(
                        RowError(line, col, "bad_year", _("年度无效：%(v)s") % {"v": text})
                    )
                extra[i] = int(text) if text.isdigit() else None
            elif col == "address":
                extra[i] = text[:200]
            elif col == "phone":
                if text and not _PHONE_RE.match(text):
                    errors.append(
                        RowError(line, col, "bad_phone", _("联系电话无效：%(v)s") % {"v": text})
                    )
                extra[i] = text
            elif text:
                value = _choice(col, text)
                if value is None:
                    errors.append(
                        RowError(line, col, "bad_choice", _("取值无效：%(v)s") % {"v": text})
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
            name=values[ix["name"]][:50],
            id_number=parsed.value,
            id_hash=id_hash(parsed.value),
            sex=sex,
            birth_date=parsed.birth_date if birth is None else birth,
            relation=relation,
            optional=tuple(extra),
        )


def _produce(run: RegistryImport, channel: multiprocessing.queues.Queue[tuple[str, Any]]) -> None:
    """Body of the reading child: relay every batch, then ``done`` (or ``failed``)."""
    try:
        for batch in run._batches():
            channel.put(("batch", batch))
        channel.put(("done", None))
    except BaseException as exc:  # handed to the parent, which raises it
        channel.put(("failed", exc))


class RegistryImport:
    """One run of an import. Use :func:`tuopin.registry.services.import_registry`."""

    def __init__(
        self,
        path: str | Path,
        *,
        by: User | None = None,
        progress: Callable[[int], None] | None = None,
        parallel: bool = False,
    ) -> None:
        self.path = Path(path)
        # Fork a reading child for big files. Only where the process is ours alone (the
        # command line): never inside a multi-threaded web server.
        self.parallel = parallel
        self.by = by
        self.progress = progress or (lambda n: None)
        self.report = ImportReport()
        self.seen_ids: dict[str, str] = {}  # id number → household number (first seen)
        self.villages: dict[str, bool] = {}  # village code → exists and in scope
        self.now = timezone.now()
        self.process_threshold = PROCESS_THRESHOLD
        self.counts: dict[str, int] | None = None  # rows per household number (first pass)
        self.present: set[str] = set()  # the columns the file has
        self.total = 0

    # -- passes --------------------------------------------------------------------------
    def count_households(self) -> tuple[dict[str, int], int]:
        table = open_table(self.path)
        cols = map_header(table.header, COLUMNS)
        missing = [c for c in REQUIRED if c not in cols]
        if missing:
            raise BadRegistryFile(_("缺少必需的列：%(cols)s") % {"cols": ", ".join(missing)})
        i = cols["household_no"]
        counts: dict[str, int] = {}
        total = 0
        for _line, values in table.rows:
            key = values[i] if i < len(values) else ""
            counts[key] = counts.get(key, 0) + 1
            total += 1
        self.counts, self.total = counts, total
        self.present = set(cols)
        return counts, total

    def run(self) -> ImportReport:
        if self.counts is None:
            self.count_households()
        assert self.counts is not None
        total = self.total
        # Reading and validating is Python work, and so is most of writing: on a big file
        # outside a transaction, a forked child reads and validates while this process writes,
        # so that both cores work. Small files and imports inside a transaction stay in-process.
        use_child = (
            self.parallel and total >= self.process_threshold and not connection.in_atomic_block
        )
        batches = self._batches_from_child() if use_child else self._batches()
        for households, stray_errors, rows_read in batches:
            self.report.errors.extend(stray_errors)
            if households:
                self.apply_chunk(households)
            self.progress(rows_read)
        self.progress(total)
        self.report.errors.sort(key=lambda e: (e.line, e.column))
        return self.report

    def _batches(self) -> Iterator[Batch]:
        """Read and validate the file; yield complete households in batches, with the errors
        of rows that have no household number and the number of rows read so far."""
        counts = dict(self.counts or {})
        table = open_table(self.path)
        validator = RowValidator(map_header(table.header, COLUMNS), timezone.localdate())
        pending: dict[str, PendingHousehold] = {}
        ready: list[tuple[str, PendingHousehold]] = []
        stray: list[RowError] = []
        n = 0
        for n, (line, values) in enumerate(table.rows, start=1):
            key = validator.household_no(values)
            result = validator.validate(line, values)
            if not key:
                stray.extend(result if isinstance(result, list) else [])
                continue
            hh = pending.setdefault(key, PendingHousehold([], [], []))
            hh.lines.append(line)
            if isinstance(result, list):
                hh.errors.extend(result)
            else:
                hh.rows.append(result)
            if len(hh.lines) == counts.get(key, 0):
                del counts[key]  # memory stays flat: finished households are forgotten
                ready.append((key, pending.pop(key)))
                if len(ready) >= CHUNK_HOUSEHOLDS:
                    yield ready, stray, n
                    ready, stray = [], []
        ready.extend(pending.items())  # only if the file changed between the passes
        yield ready, stray, n

    def _batches_from_child(self) -> Iterator[Batch]:
        """Run :meth:`_batches` in a forked child and relay what it yields.

        The child never touches the database; the parent's connections are closed before the
        fork so that no socket is shared. At most two batches wait in the queue, so memory
        stays bounded when the database is the slower side.
        """
        ctx = multiprocessing.get_context("fork")
        channel: multiprocessing.queues.Queue[tuple[str, Any]] = ctx.Queue(maxsize=2)
        connections.close_all()
        child = ctx.Process(target=_produce, args=(self, channel), daemon=True)
        child.start()
        try:
            while True:
                kind, payload = channel.get()
                if kind == "done":
                    break
                if kind == "failed":
                    raise payload
                yield payload
        finally:
            if child.is_alive():
                child.terminate()
            child.join()

    # -- checks across rows ------------------------------------------------------------
    def _load_villages(self, wanted: Iterable[str]) -> None:
        missing = {c for c in wanted if c and c not in self.villages}
        if not missing:
            return
        found = area_selectors.existing_village_codes(missing)
        for code in missing:
            self.villages[code] = code in found and (
                self.by is None or scoping.covers(self.by, code)
            )

    def _reject(self, hh: PendingHousehold, errors: list[RowError]) -> None:
        errors = hh.errors + errors
        bad_lines = {e.line for e in errors}
        for line in hh.lines:
            if line not in bad_lines:
                errors.append(
                    RowError(line, "", "household_rejected", _("同户其他行有错误，整户未导入"))
                )
        self.report.errors.extend(errors)
        self.report.rejected_households += 1

    def apply_chunk(self, chunk: list[tuple[str, PendingHousehold]]) -> None:
        self._load_villages(r.village_code for _k, hh in chunk for r in hh.rows)
        numbers = [k for k, _hh in chunk]
        hashes = [r.id_hash for _k, hh in chunk for r in hh.rows]
        existing_hh = {
            h.household_no: h for h in Household.objects.filter(household_no__in=numbers)
        }
        # An officer's import may not touch a household outside the officer's scope.
        out_of_scope = {
            k
            for k, h in existing_hh.items()
            if self.by is not None and not scoping.covers(self.by, h.village_id)
        }
        hh_ids = [h.pk for h in existing_hh.values()]
        # Raw, batched look-ups: this runs for every batch of a million-row import.
        by_id = {}
        for values in select_in(Person._meta.db_table, PERSON_LOOKUP, "id_hash", hashes):
            person = Person(**dict(zip(PERSON_LOOKUP, values, strict=True)))
            if isinstance(person.birth_date, str):  # SQLite hands dates back as text
                person.birth_date = dt.date.fromisoformat(person.birth_date)
            by_id[person.id_number] = person
        heads_of: dict[int, list[str]] = {}
        for household_id, id_number in Person.objects.filter(
            household_id__in=hh_ids, relation=Relation.HEAD
        ).values_list("household_id", "id_number"):
            heads_of.setdefault(household_id, []).append(id_number)

        accepted: list[tuple[str, PendingHousehold]] = []
        for key, hh in chunk:
            errors: list[RowError] = []
            current = existing_hh.get(key)
            village = ""
            local_ids: set[str] = set()
            for row in hh.rows:
                if not self.villages.get(row.village_code, False):
                    errors.append(
                        RowError(
                            row.line,
                            "village_code",
                            "unknown_village",
                            _("村代码不存在：%(v)s") % {"v": row.village_code},
                        )
                    )
                elif village and row.village_code != village:
                    errors.append(
                        RowError(
                            row.line,
                            "village_code",
                            "village_mismatch",
                            _("同户成员的村代码不一致"),
                        )
                    )
                village = village or row.village_code
                first = self.seen_ids.setdefault(row.id_number, key)
                owner = by_id.get(row.id_number)
                if first != key or row.id_number in local_ids:
                    errors.append(
                        RowError(
                            row.line,
                            "id_number",
                            "duplicate_id",
                            _("证件号码重复（户编号 %(h)s）") % {"h": first},
                        )
                    )
                elif owner is not None and (current is None or owner.household_id != current.pk):
                    errors.append(
                        RowError(row.line, "id_number", "duplicate_id", _("证件号码已登记在其他户"))
                    )
                local_ids.add(row.id_number)
            if key in out_of_scope:
                errors.append(
                    RowError(
                        hh.lines[0],
                        "household_no",
                        "household_conflict",
                        _("户编号冲突：%(h)s") % {"h": key},
                    )
                )
            file_ids = {r.id_number for r in hh.rows}
            heads = [r for r in hh.rows if r.relation == Relation.HEAD]
            kept_heads = [
                i for i in heads_of.get(current.pk if current else -1, []) if i not in file_ids
            ]
            n_heads = len(heads) + len(kept_heads)
            if not hh.errors and not errors:
                if n_heads == 0:
                    errors.extend(
                        RowError(line, "relation", "no_head", _("该户没有户主"))
                        for line in hh.lines
                    )
                elif n_heads > 1:
                    errors.extend(
                        RowError(r.line, "relation", "many_heads", _("该户有多个户主"))
                        for r in heads
                    )
            if hh.errors or errors:
                self._reject(hh, errors)
            else:
                accepted.append((key, hh))
        if accepted:
            with transaction.atomic():
                self._write(accepted, existing_hh, by_id)

    # -- writes ----------------------------------------------------------------------------
    def _write(
        self,
        accepted: list[tuple[str, PendingHousehold]],
        existing_hh: dict[str, Household],
        by_id: dict[str, Person],
    ) -> None:
        """Write accepted households: new rows by COPY/executemany, changes by bulk UPDATE."""
        now = db_datetime(self.now)
        to_db_date = connection.ops.adapt_datefield_value
        by_id_pk = self.by.pk if self.by is not None else None
        new_keys: list[str] = []
        new_household_rows: list[tuple[object, ...]] = []
        new_status: dict[str, tuple[str, int | None]] = {}
        changed_households: list[Household] = []
        status_changes: list[StatusChange] = []
        touched: set[str] = set()
        for key, hh in accepted:
            head = next((r for r in hh.rows if r.relation == Relation.HEAD), hh.rows[0])
            attrs = {f: head.get(f) for f in HOUSEHOLD_FIELDS if f in self.present}
            status = str(attrs.pop("poverty_status", "") or "")
            current = existing_hh.get(key)
            if current is None:
                status = status or PovertyStatus.POOR
                year = attrs.get("status_year")
                new_keys.append(key)
                new_status[key] = (str(status), year if isinstance(year, int) else None)
                new_household_rows.append(
                    (
                        key,
                        head.village_code,
                        attrs.get("address", ""),
                        attrs.get("household_type") or HouseholdType.GENERAL,
                        attrs.get("poverty_cause", ""),
                        status,
                        year,
                        head.name,
                        len(hh.rows),
                        now,
                        now,
                    )
                )
                continue
            changed = current.village_id != head.village_code
            current.village_id = head.village_code
            for f, v in attrs.items():
                if getattr(current, f) != v:
                    setattr(current, f, v)
                    changed = True
            if status and status != current.status:
                status_changes.append(
                    StatusChange(
                        household=current,
                        from_status=current.status,
                        to_status=status,
                        year=current.status_year,
                        reason=_("导入更新"),
                        by=self.by,
                    )
                )
                current.status = status
                changed = True
            if changed:
                current.updated_at = self.now
                changed_households.append(current)
                touched.add(key)
        insert_rows(Household._meta.db_table, HOUSEHOLD_COLUMNS, new_household_rows)
        if changed_households:
            Household.objects.bulk_update(
                changed_households,
                [
                    "village",
                    "status",
                    "updated_at",
                    *[f for f in HOUSEHOLD_FIELDS if f != "poverty_status"],
                ],
                batch_size=1000,
            )
        pk_of = {h.household_no: h.pk for h in existing_hh.values()}
        pk_of |= dict(
            select_in(Household._meta.db_table, ("household_no", "id"), "household_no", new_keys)
        )
        reason = _("建档立卡导入")
        status_rows = [
            (pk_of[k], "", status, year, reason, by_id_pk, now)
            for k, (status, year) in new_status.items()
        ]

        new_people: list[tuple[object, ...]] = []
        demoted: list[Person] = []
        changed_people: list[Person] = []
        person_fields = ["name", "sex", "birth_date", "relation", "village_code", *PERSON_OPTIONAL]
        for key, hh in accepted:
            household_pk = pk_of[key]
            village = hh.rows[0].village_code
            for row in hh.rows:
                optional = {f: row.get(f) or "" for f in PERSON_OPTIONAL}
                person = by_id.get(row.id_number)
                if person is None:
                    new_people.append(
                        (
                            household_pk,
                            village,
                            row.name,
                            row.id_number,
                            row.id_hash,
                            row.sex,
                            to_db_date(row.birth_date),
                            row.relation,
                            optional["education"],
                            optional["health"],
                            optional["student_status"],
                            optional["phone"],
                            now,
                            now,
                        )
                    )
                    touched.add(key)
                    continue
                attrs = {
                    "name": row.name,
                    "sex": row.sex,
                    "birth_date": row.birth_date,
                    "relation": row.relation,
                    "village_code": village,
                }
                attrs |= {f: row.get(f) for f in PERSON_OPTIONAL if f in self.present}
                diff = {f: v for f, v in attrs.items() if getattr(person, f) != v}
                if not diff:
                    continue
                was_head = person.relation == Relation.HEAD
                for f, v in diff.items():
                    setattr(person, f, v)
                person.updated_at = self.now
                (demoted if was_head and "relation" in diff else changed_people).append(person)
                touched.add(key)
        # A head who steps down is written first, so the one-head constraint never trips.
        for batch in (demoted, changed_people):
            if batch:
                Person.objects.bulk_update(batch, [*person_fields, "updated_at"], batch_size=1000)
        insert_rows(Person._meta.db_table, PERSON_COLUMNS, new_people)
        insert_rows(StatusChange._meta.db_table, STATUS_COLUMNS, status_rows)
        StatusChange.objects.bulk_create(status_changes, batch_size=1000)
        refresh_household_summaries([pk_of[k] for k in touched if k not in new_status])

        self.report.households_created += len(new_keys)
        self.report.households_updated += len(touched - set(new_keys))
        self.report.people_created += len(new_people)
        self.report.people_updated += len(demoted) + len(changed_people)


def refresh_household_summaries(household_ids: list[int]) -> None:
    """Recompute head name and member count for the given households in one statement each."""
    if not household_ids:
        return
    hh, p = Household._meta.db_table, Person._meta.db_table
    with connection.cursor() as cur:
        for start in range(0, len(household_ids), 5000):
            batch = household_ids[start : start + 5000]
            marks = ",".join(["%s"] * len(batch))
            cur.execute(
                f"UPDATE {hh} SET "  # noqa: S608 - table names are ours, values are bound
                f"member_count = (SELECT COUNT(*) FROM {p} WHERE {p}.household_id = {hh}.id), "
                f"head_name = COALESCE((SELECT {p}.name FROM {p} WHERE {p}.household_id = {hh}.id"
                f" AND {p}.relation = 'head'), '') "
                f"WHERE id IN ({marks})",
                batch,
            )
