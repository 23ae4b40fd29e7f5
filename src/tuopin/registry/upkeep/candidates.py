"""Candidate near-duplicate pairs found set-based in SQL (PostgreSQL and SQLite alike).

The people in scope (the access layer's query, embedded as a CTE) are expanded into block keys
(as :func:`tuopin.registry.neardup.block_keys`: the name with the birth date, the phone, or one of
three segments of the ID number); one grouping finds the keys shared by two to MAX_BLOCK people,
only those keys' rows are paired with each other, and only the pairs that
could pass :func:`tuopin.registry.neardup.compare` leave the database (same birth date, same
phone, or at most two of the 17 ID digits differ). Python then scores that handful. Blocks of
more than :data:`tuopin.registry.neardup.MAX_BLOCK` people are skipped, as in the pure search.
"""

from __future__ import annotations

from typing import Any

from django.db import connection, transaction
from django.db.models import Count, QuerySet

from .. import neardup
from ..models import Person

_DIGITS = " + ".join(
    f"CASE WHEN SUBSTR(x.idn, {i}, 1) <> SUBSTR(y.idn, {i}, 1) THEN 1 ELSE 0 END"
    for i in range(1, 18)
)


def _keys_sql(collate: str) -> str:
    # One text key per block (the name, the kind, the value), compared byte-wise: PostgreSQL
    # sorts it for the merge join about twice as fast under "C" as under the locale's order.
    parts = [f"SELECT id, hh, name || '|b' || CAST(birth AS TEXT){collate} AS k FROM p"]  # noqa: S608
    parts.append("SELECT id, hh, name || '|p' || phone FROM p WHERE phone <> ''")
    for kind, (start, length) in neardup.ID_SEGMENTS.items():
        parts.append(
            f"SELECT id, hh, name || '|{kind}' || SUBSTR(idn, {start + 1}, {length})"  # noqa: S608
            " FROM p WHERE LENGTH(idn) = 18"
        )
    return " UNION ALL ".join(parts)


def _query(scope_sql: str, collate: str = "") -> str:
    return (
        f"WITH p(id, hh, name, birth, idn, phone) AS ({scope_sql}),"  # noqa: S608 - our SQL
        f" k(id, hh, k) AS ({_keys_sql(collate)}),"
        # The blocks worth pairing (two to MAX_BLOCK people) are few: one hash aggregate
        # over the keys finds them, and only their keys are joined back, never all the keys
        # with themselves.
        " shared AS (SELECT k FROM k GROUP BY k"
        f" HAVING COUNT(*) BETWEEN 2 AND {neardup.MAX_BLOCK}),"
        " inblock AS (SELECT k.id, k.hh, k.k FROM k JOIN shared s ON s.k = k.k),"
        " pairs AS (SELECT DISTINCT a.id AS a, b.id AS b FROM inblock a JOIN inblock b"
        " ON a.k = b.k AND a.id < b.id AND a.hh <> b.hh)"
        " SELECT x.id, x.hh, x.name, x.birth, x.idn, x.phone,"
        " y.id, y.hh, y.name, y.birth, y.idn, y.phone"
        " FROM pairs JOIN p x ON x.id = pairs.a JOIN p y ON y.id = pairs.b"
        " WHERE x.birth = y.birth OR (x.phone <> '' AND x.phone = y.phone)"
        f" OR (LENGTH(x.idn) = 18 AND LENGTH(y.idn) = 18 AND ({_DIGITS}) <= 2)"
    )


def _rec(row: tuple[Any, ...]) -> neardup.Rec:
    pid, hh, name, birth, number, phone = row
    return neardup.Rec(pid, hh, name, str(birth), number, phone or "")


def candidate_pairs(people: QuerySet[Person]) -> list[tuple[neardup.Rec, neardup.Rec]]:
    """The pairs of ``people`` (an access-layer query set) that share a block and may be the
    same person: one statement, whatever the number of people."""
    scoped = people.order_by().values_list(
        "id", "household_id", "name", "birth_date", "id_number", "phone"
    )
    scope_sql, params = scoped.query.sql_with_params()
    with transaction.atomic(), connection.cursor() as cur:
        if connection.vendor == "postgresql":
            # The keys of a county's people fit in memory: hash, don't spill to disk.
            # No JIT: the pairs' filter makes the cost estimate huge, and compiling it takes
            # longer than the query.
            cur.execute("SET LOCAL work_mem = '256MB'")
            cur.execute("SET LOCAL jit = off")
        collate = ' COLLATE "C"' if connection.vendor == "postgresql" else ""
        cur.execute(_query(scope_sql, collate), params)
        return [(_rec(row[:6]), _rec(row[6:])) for row in cur.fetchall()]


def present_sizes(household_ids: set[int]) -> dict[int, int]:
    """Present members per household, for the households of the candidate pairs."""
    ids = sorted(household_ids)
    sizes: dict[int, int] = {}
    for start in range(0, len(ids), 900):
        batch = ids[start : start + 900]
        rows = (
            Person.objects.filter(household_id__in=batch, status="present")
            .order_by()
            .values_list("household_id")
            .annotate(n=Count("id"))
        )
        sizes.update(dict(rows))
    return sizes
