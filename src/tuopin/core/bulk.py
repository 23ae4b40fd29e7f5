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


_COPY_ESCAPES = str.maketrans({"\\": "\\\\", "\t": "\\t", "\n": "\\n", "\r": "\\r"})


def _copy_field(value: object) -> str:
    """A value in PostgreSQL's COPY text format."""
    if value is None:
        return "\\N"
    if isinstance(value, str):
        return value.translate(_COPY_ESCAPES)
    if isinstance(value, bool):
        return "t" if value else "f"
    if isinstance(value, dt.date):  # dates and aware datetimes
        return value.isoformat()
    return str(value)


def insert_rows(table: str, columns: Sequence[str], rows: Iterable[Sequence[object]]) -> int:
    """Insert ``rows`` into ``table``; returns the number of rows written."""
    quote = connection.ops.quote_name
    cols = ", ".join(quote(c) for c in columns)
    with connection.cursor() as cur:
        if connection.vendor == "postgresql":
            # One text block per call: psycopg's per-row write_row costs more than the server.
            lines = ["\t".join(map(_copy_field, row)) for row in rows]
            with cur.cursor.copy(f"COPY {quote(table)} ({cols}) FROM STDIN") as copy:
                if lines:
                    copy.write("\n".join(lines) + "\n")
            return len(lines)
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
