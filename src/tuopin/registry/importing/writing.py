"""Writing accepted households: new rows by COPY (PostgreSQL) or one executemany (SQLite),
changed rows by bulk UPDATE, the status history alongside; one statement per table and batch.
The caller holds the transaction."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

from django.db import connection
from django.db.models import OuterRef, Subquery
from django.utils.translation import gettext as _

from tuopin.core.bulk import db_datetime, insert_rows, reserve_ids, select_in

from ..choices import HouseholdType, PovertyStatus, Relation
from ..models import Household, Person, StatusChange
from . import history
from .checks import CheckedBatch
from .columns import HOUSEHOLD_FIELDS, OPTIONAL_INDEX, PERSON_OPTIONAL
from .report import ImportReport

if TYPE_CHECKING:
    from tuopin.accounts.models import User

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
# Where PERSON_COLUMNS' optional fields sit in a row's ``optional`` tuple.
PERSON_OPTIONAL_INDEX = tuple(OPTIONAL_INDEX[f] for f in PERSON_COLUMNS if f in PERSON_OPTIONAL)
STATUS_COLUMNS = ("household_id", "from_status", "to_status", "year", "reason", "by_id", "at")


def write_households(
    batch: CheckedBatch,
    *,
    present: set[str],
    by: User | None,
    now: dt.datetime,
    report: ImportReport,
    source: str = "",
) -> None:
    """Write a checked batch's accepted households and add what was written to ``report``,
    and their history (``importing.history``, ``source`` naming the file)."""
    accepted, existing_hh, by_id = batch.accepted, batch.existing, batch.people
    now_db = db_datetime(now)
    to_db_date = connection.ops.adapt_datefield_value
    by_id_pk = by.pk if by is not None else None
    new_keys: list[str] = []
    registered: list[tuple[str, str, int]] = []  # village, head, members of each new household
    new_household_rows: list[tuple[object, ...]] = []
    new_status: dict[str, tuple[str, int | None]] = {}
    changed_households: list[Household] = []
    moved: list[int] = []  # households whose village changed
    status_changes: list[StatusChange] = []
    touched: set[str] = set()
    events: list[tuple[str, str, int | None, str, str, dict[str, list[object]]]] = []
    for key, hh in accepted:
        head = next((r for r in hh.rows if r.relation == Relation.HEAD), hh.rows[0])
        attrs = {f: head.get(f) for f in HOUSEHOLD_FIELDS if f in present}
        status = str(attrs.pop("poverty_status", "") or "")
        current = existing_hh.get(key)
        if current is None:
            status = status or PovertyStatus.POOR
            year = attrs.get("status_year")
            new_keys.append(key)
            registered.append((head.village_code, head.name, len(hh.rows)))
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
                    now_db,
                    now_db,
                )
            )
            continue
        changed = current.village_id != head.village_code
        diff: dict[str, list[object]] = {}
        if changed:
            moved.append(current.pk)
            diff["village"] = [current.village_id, head.village_code]
        current.village_id = head.village_code
        for f, v in attrs.items():
            if getattr(current, f) != v:
                diff[f] = [getattr(current, f), v]
                setattr(current, f, v)
                changed = True
        if diff:
            what = "move_household" if "village" in diff else "change_household"
            events.append((key, head.village_code, None, head.name, what, diff))
        if status and status != current.status:
            status_changes.append(
                StatusChange(
                    household=current,
                    from_status=current.status,
                    to_status=status,
                    year=current.status_year,
                    reason=_("导入更新"),
                    by=by,
                )
            )
            current.status = status
            changed = True
        if changed:
            current.updated_at = now
            changed_households.append(current)
            touched.add(key)
    # PostgreSQL: the new households' keys come from the sequence and are written with them;
    # elsewhere they are read back by household number.
    new_ids = reserve_ids(Household, len(new_household_rows))
    if new_ids is None:
        insert_rows(Household._meta.db_table, HOUSEHOLD_COLUMNS, new_household_rows)
        found = dict(
            select_in(Household._meta.db_table, ("household_no", "id"), "household_no", new_keys)
        )
        new_ids = [found[k] for k in new_keys]
    else:
        insert_rows(
            Household._meta.db_table,
            ("id", *HOUSEHOLD_COLUMNS),
            [(pk, *row) for pk, row in zip(new_ids, new_household_rows, strict=True)],
        )
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
    pk_of |= dict(zip(new_keys, new_ids, strict=True))
    reason = _("建档立卡导入")
    status_rows = [
        (pk_of[k], "", status, year, reason, by_id_pk, now_db)
        for k, (status, year) in new_status.items()
    ]

    new_people: list[tuple[object, ...]] = []
    added_to_existing: list[str] = []  # id hashes of members added to known households
    demoted: list[Person] = []
    changed_people: list[Person] = []
    person_fields = ["name", "sex", "birth_date", "relation", "village_code", *PERSON_OPTIONAL]
    unchanged_people = 0
    for key, hh in accepted:
        household_pk = pk_of[key]
        village = hh.rows[0].village_code
        for row in hh.rows:
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
                        *[row.optional[i] or "" for i in PERSON_OPTIONAL_INDEX],
                        now_db,
                        now_db,
                    )
                )
                if key not in new_status:
                    added_to_existing.append(row.id_hash)
                touched.add(key)
                continue
            attrs = {
                "name": row.name,
                "sex": row.sex,
                "birth_date": row.birth_date,
                "relation": row.relation,
                "village_code": village,
            }
            attrs |= {f: row.get(f) for f in PERSON_OPTIONAL if f in present}
            diff = {f: v for f, v in attrs.items() if getattr(person, f) != v}
            if not diff:
                unchanged_people += 1
                continue
            was_head = person.relation == Relation.HEAD
            events.append(
                (
                    key,
                    village,
                    person.pk,
                    row.name,
                    "correct_person",
                    {f: [getattr(person, f), v] for f, v in diff.items()},
                )
            )
            for f, v in diff.items():
                setattr(person, f, v)
            person.updated_at = now
            (demoted if was_head and "relation" in diff else changed_people).append(person)
            touched.add(key)
    # A head who steps down is written first, so the one-head constraint never trips.
    for people in (demoted, changed_people):
        if people:
            Person.objects.bulk_update(people, [*person_fields, "updated_at"], batch_size=1000)
    insert_rows(Person._meta.db_table, PERSON_COLUMNS, new_people)
    if moved:
        # A household that moved takes all its members along, those the file did not list
        # too: one scope sees the whole household, never half of it.
        Person.objects.filter(household_id__in=moved).update(
            village_code=Subquery(
                Household.objects.filter(pk=OuterRef("household_id")).values("village_id")[:1]
            )
        )
    insert_rows(StatusChange._meta.db_table, STATUS_COLUMNS, status_rows)
    StatusChange.objects.bulk_create(status_changes, batch_size=1000)
    refresh_household_summaries([pk_of[k] for k in touched if k not in new_status])
    why = _("建档立卡导入 %(file)s") % {"file": source} if source else _("建档立卡导入")
    history.registered(
        [(pk_of[k], k, *hh) for k, hh in zip(new_keys, registered, strict=True)],
        reason=why,
        by_id=by_id_pk,
        at=now_db,
    )
    history.members_added(added_to_existing, reason=why, by_id=by_id_pk, at=now_db)
    history.changed(events, reason=why, by_id=by_id_pk, at=now_db)

    report.households_created += len(new_keys)
    report.households_updated += len(touched - set(new_keys))
    report.people_created += len(new_people)
    report.people_updated += len(demoted) + len(changed_people)
    # A re-import says what it found already as the file has it, not only what it changed.
    report.households_unchanged += len(accepted) - len(touched | set(new_keys))
    report.people_unchanged += unchanged_people


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
