"""The history an import leaves (``HistoryEvent`` rows with the import as the source), written
set-based with the batch: one statement for the households it registered, one ``INSERT …
SELECT`` for the members it added to households already there, and one bulk insert for the
rows it changed (their before → after is known only here). Status changes stay
``StatusChange`` rows, which the timeline shows already."""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import Any

from django.db import connection

from tuopin.core.bulk import insert_rows

from ..models import Household, Person
from ..upkeep.models import HistoryEvent, Source

EVENT_COLUMNS = (
    "household_no",
    "village_code",
    "person_id",
    "person_name",
    "what",
    "changes",
    "reason",
    "source",
    "by_id",
    "at",
)


def _in(column: str, keys: Sequence[object]) -> tuple[str, list[object]]:
    if connection.vendor == "postgresql":
        return f"{column} = ANY(%s)", [list(keys)]
    return f"{column} IN ({','.join(['%s'] * len(keys))})", list(keys)


def _chunks(keys: Sequence[object], size: int = 900) -> list[Sequence[object]]:
    if connection.vendor == "postgresql":
        return [keys] if keys else []
    return [keys[i : i + size] for i in range(0, len(keys), size)]


def registered(
    households: Sequence[tuple[int, str, str, str, int]],
    *,
    reason: str,
    by_id: int | None,
    at: object,
) -> None:
    """One ``import`` event per household the import created, with its member count:
    ``(id, household_no, village_code, head_name, member_count)`` as just written.

    PostgreSQL gets the rows by COPY (an array of 16,000 ids costs psycopg more than that);
    SQLite reads them back by id in one ``INSERT … SELECT`` a chunk, which runs in C in this
    process where binding ten values a row from Python does not (bench/README, issue 19)."""
    if connection.vendor == "postgresql":
        insert_rows(
            HistoryEvent._meta.db_table,
            EVENT_COLUMNS,
            (
                (no, village, None, head, "import", f'{{"member_count": {int(count)}}}')
                + (reason, Source.IMPORT, by_id, at)
                for _pk, no, village, head, count in households
            ),
        )
        return
    table, hh = HistoryEvent._meta.db_table, Household._meta.db_table
    with connection.cursor() as cur:
        for keys in _chunks([pk for pk, *_rest in households]):
            where, params = _in("id", keys)
            cur.execute(
                f"INSERT INTO {table} ({', '.join(EVENT_COLUMNS)})"  # noqa: S608 - our names
                " SELECT household_no, village_code, NULL, head_name, 'import',"
                " json_object('member_count', member_count), %s, %s, %s, %s"
                f" FROM {hh} WHERE {where}",
                list[Any]([reason, Source.IMPORT, by_id, at, *params]),
            )


def members_added(id_hashes: Sequence[str], *, reason: str, by_id: int | None, at: object) -> None:
    """One ``add_member`` event per person the import added to a household already there."""
    table, hh, p = HistoryEvent._meta.db_table, Household._meta.db_table, Person._meta.db_table
    with connection.cursor() as cur:
        for keys in _chunks(id_hashes):
            where, params = _in("p.id_hash", keys)
            cur.execute(
                f"INSERT INTO {table} ({', '.join(EVENT_COLUMNS)})"  # noqa: S608 - our names
                " SELECT h.household_no, p.village_code, p.id, p.name, 'add_member', %s,"
                f" %s, %s, %s, %s FROM {p} p JOIN {hh} h ON h.id = p.household_id WHERE {where}",
                list[Any](["{}", reason, Source.IMPORT, by_id, at, *params]),
            )


def changed(
    rows: list[tuple[str, str, int | None, str, str, dict[str, list[object]]]],
    *,
    reason: str,
    by_id: int | None,
    at: object,
) -> None:
    """Events for changed households and people: ``(household_no, village, person_id,
    person_name, what, {field: [before, after]})``, one statement for the batch."""
    insert_rows(
        HistoryEvent._meta.db_table,
        EVENT_COLUMNS,
        (
            (no, village, pid, name, what, json.dumps(diff, default=str, ensure_ascii=False))
            + (reason, Source.IMPORT, by_id, at)
            for no, village, pid, name, what, diff in rows
        ),
    )
