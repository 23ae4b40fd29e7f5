"""Checks across the rows of a batch of complete households: villages that exist and are in
the officer's scope, one village per household, ID numbers unique in the file and in the
database, one head, households outside the officer's scope, households closed (销户). A
household with any error is rejected whole."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from django.utils.translation import gettext as _

from tuopin.accounts import scoping
from tuopin.areas import selectors as area_selectors
from tuopin.core.bulk import models_in, select_in
from tuopin.core.imports import RowError

from ..choices import PovertyStatus, Relation, transition_allowed
from ..models import Household, Person
from .rows import PendingHousehold

if TYPE_CHECKING:
    from tuopin.accounts.models import User

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


def _household_conflict(line: int) -> RowError:
    return RowError(line, "household_no", "household_conflict", _("户编号冲突，无法导入该户"))


@dataclass
class CheckedBatch:
    """A batch after the checks: the households to write, what the database already holds for
    them (households by number, people by ID number), and the rejected rows."""

    accepted: list[tuple[str, PendingHousehold]] = field(default_factory=list)
    existing: dict[str, Household] = field(default_factory=dict)
    people: dict[str, Person] = field(default_factory=dict)
    errors: list[RowError] = field(default_factory=list)
    rejected_households: int = 0


class BatchChecker:
    """Holds what the checks remember from batch to batch: ID numbers seen in the file, and
    which village codes exist and are in the officer's scope."""

    def __init__(self, by: User | None) -> None:
        self.by = by
        # ID number → household number (first seen), for every row of the file: a million
        # entries, so keyed by the number the first 17 digits make (a valid ID number's
        # check character follows from them): half the memory of the text.
        self.seen_ids: dict[int, str] = {}
        self.villages: dict[str, bool] = {}  # village code → exists and in scope
        # The registry held no one when the import began: every household and person in the
        # database is then one this import wrote, and ``seen_ids`` knows them all, so the
        # batches skip their look-ups. Anyone written meanwhile by someone else trips a
        # unique key; the batch is then checked again with look-ups (``apply_chunk``).
        self.fresh = False

    def _load_villages(self, wanted: Iterable[str]) -> None:
        missing = {c for c in wanted if c and c not in self.villages}
        if not missing:
            return
        found = area_selectors.existing_village_codes(missing)
        for code in missing:
            self.villages[code] = code in found and (
                self.by is None or scoping.covers(self.by, code)
            )

    @staticmethod
    def _reject(out: CheckedBatch, hh: PendingHousehold, errors: list[RowError]) -> None:
        errors = hh.errors + errors
        bad_lines = {e.line for e in errors}
        for line in hh.lines:
            if line not in bad_lines:
                errors.append(
                    RowError(line, "", "household_rejected", _("同户其他行有错误，整户未导入"))
                )
        out.errors.extend(errors)
        out.rejected_households += 1

    @staticmethod
    def _transition_errors(current: Household, hh: PendingHousehold) -> list[RowError]:
        """A status change asked by the file must be one ``change_status`` would allow."""
        head = next((r for r in hh.rows if r.relation == Relation.HEAD), hh.rows[0])
        wanted = head.get("poverty_status")
        if not wanted or wanted == current.status:
            return []
        if transition_allowed(current.status, wanted):
            return []
        message = _("不能从“%(a)s”变为“%(b)s”") % {
            "a": PovertyStatus(current.status).label,
            "b": PovertyStatus(wanted).label,
        }
        return [RowError(head.line, "poverty_status", "bad_transition", message)]

    def check(self, chunk: list[tuple[str, PendingHousehold]]) -> CheckedBatch:
        # Only households whose every row is valid are looked up: a value that failed its
        # row check (too long, a NUL) never reaches a query.
        clean = [(k, hh) for k, hh in chunk if not hh.errors]
        self._load_villages(r.village_code for _k, hh in clean for r in hh.rows)
        numbers = [] if self.fresh else [k for k, _hh in clean]
        hashes = [] if self.fresh else [r.id_hash for _k, hh in clean for r in hh.rows]
        # Locked (the caller holds the batch's transaction): a status change made meanwhile
        # through change_status waits, instead of being overwritten by what was checked.
        existing_hh = {
            h.household_no: h
            for h in models_in(Household, "household_no", numbers, for_update=True)
        }
        # An officer's import may not touch a household outside the officer's scope.
        out_of_scope = {
            k
            for k, h in existing_hh.items()
            if self.by is not None and not scoping.covers(self.by, h.village_id)
        }
        hh_ids = [h.pk for h in existing_hh.values()]
        # Raw, batched look-ups: this runs for every batch of a million-row import.
        by_id: dict[str, Person] = {}
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

        out = CheckedBatch(existing=existing_hh, people=by_id)
        for key, hh in chunk:
            if hh.errors or key in out_of_scope:
                for row in hh.rows:  # later rows with these ID numbers are still duplicates
                    self.seen_ids.setdefault(int(row.id_number[:17]), key)
                # A household outside the officer's scope gets one error whatever its rows
                # say, so that nothing (who its members are, where it is) can be learnt.
                self._reject(out, hh, [] if hh.errors else [_household_conflict(hh.lines[0])])
                continue
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
                first = self.seen_ids.setdefault(int(row.id_number[:17]), key)
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
            if current is not None and current.closed_on is not None:
                errors.append(
                    RowError(
                        hh.lines[0],
                        "household_no",
                        "household_closed",
                        _("户 %(no)s 已销户（%(on)s），不能再导入")
                        % {"no": key, "on": current.closed_on.isoformat()},
                    )
                )
            elif current is not None:
                errors.extend(self._transition_errors(current, hh))
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
                self._reject(out, hh, errors)
            else:
                out.accepted.append((key, hh))
        return out
