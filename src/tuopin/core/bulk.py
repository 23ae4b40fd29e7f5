"""Set-based bulk inserts that skip the ORM's per-object work.

COPY on PostgreSQL, one ``executemany`` in the open transaction elsewhere. Values must
already be in database form (see :func:`db_date` and :func:`db_datetime`).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from typing import Any

from django.db import connection


def db_date(value: dt.date | None) -> object:
    return connection.ops.adapt_datefield_value(value)


def db_datetime(value: dt.datetime | None) -> object:
    return connection.ops.adapt_datetimefield_value(value)


def insert_rows(table: str, columns: Sequence[str], rows: Iterable[Sequence[object]]) -> int:
    """Insert ``rows`` into ``table``; returns the number of rows written."""
    quote = connection.ops.quote_name
    cols = ", ".join(quote(c) for c in columns)
    n = 0
    with connection.cursor() as cur:
        if connection.vendor == "postgresql":
            with cur.cursor.copy(f"COPY {quote(table)} ({cols}) FROM STDIN") as copy:
                for row in rows:
                    copy.write_row(row)
                    n += 1
            return n
        batch: list[Any] = list(rows)
        marks = ", ".join(["%s"] * len(columns))
        cur.executemany(
            f"INSERT INTO {quote(table)} ({cols}) VALUES ({marks})",  # noqa: S608 - names are ours
            batch,
        )
        return len(batch)


def select_in(
    table: str, columns: Sequence[str], key: str, keys: Sequence[object], *, batch: int = 900
) -> list[tuple[Any, ...]]:
    """``SELECT columns FROM table WHERE key IN keys`` as plain tuples.

    For the bulk paths: no model instances and no per-value ORM preparation. PostgreSQL gets
    one ``= ANY(array)`` query; elsewhere the keys go in batches that no SQLite build refuses.
    """
    quote = connection.ops.quote_name
    cols = ", ".join(quote(c) for c in columns)
    head = f"SELECT {cols} FROM {quote(table)} WHERE {quote(key)}"  # noqa: S608 - names are ours
    out: list[tuple[Any, ...]] = []
    with connection.cursor() as cur:
        if connection.vendor == "postgresql":
            cur.execute(f"{head} = ANY(%s)", [list(keys)])
            return list(cur.fetchall())
        for start in range(0, len(keys), batch):
            part = keys[start : start + batch]
            cur.execute(f"{head} IN ({', '.join(['%s'] * len(part))})", list(part))
            out.extend(cur.fetchall())
    return out
