"""Set-based bulk inserts that skip the ORM's per-object work.

COPY on PostgreSQL, one ``executemany`` in the open transaction elsewhere. Values must
already be in database form (``connection.ops`` adapters, :func:`db_datetime`).
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from typing import Any, TypeVar

from django.db import connection
from django.db.models import Model

M = TypeVar("M", bound=Model)


def db_datetime(value: dt.datetime | None) -> object:
    return connection.ops.adapt_datetimefield_value(value)


_COPY_ESCAPES = str.maketrans({"\\": "\\\\", "\t": "\\t", "\n": "\\n", "\r": "\\r"})
_COPY_SPECIAL = re.compile(r"[\\\t\n\r]")


def _copy_line(row: Sequence[object], stamps: dict[dt.datetime, str]) -> str:
    """A row in PostgreSQL's COPY text format; ``stamps`` caches formatted timestamps
    (a batch stamps every row with the same one)."""
    out = []
    for value in row:
        if isinstance(value, str):  # choices' enum members are str too
            text = str(value)
            out.append(text.translate(_COPY_ESCAPES) if _COPY_SPECIAL.search(text) else text)
        elif value is None:
            out.append("\\N")
        elif isinstance(value, dt.datetime):
            if value not in stamps:
                stamps[value] = value.isoformat()
            out.append(stamps[value])
        elif isinstance(value, dt.date):
            out.append(value.isoformat())
        elif isinstance(value, bool):
            out.append("t" if value else "f")
        elif isinstance(value, bytes | bytearray | memoryview):
            out.append("\\\\x" + bytes(value).hex())  # bytea hex format, backslash escaped
        else:
            out.append(str(value))
    return "\t".join(out)


def _copy_block(rows: Iterable[Sequence[object]], width: int) -> tuple[str, int]:
    """Rows as one block of COPY text and their number.

    Most values need no escaping, so the block is built unescaped and checked once as a
    whole: exactly ``width - 1`` tabs and one newline per row, no carriage return, and no
    backslash but those that NULLs (``\\N``) and bytea values put there. Only a block that
    fails the check is built again value by value, with escaping.
    """
    rows = rows if isinstance(rows, list) else list(rows)
    if not rows:
        return "", 0
    stamps: dict[dt.datetime, str] = {}
    backslashes = 0

    def text(value: object) -> str:
        nonlocal backslashes
        if value.__class__ is int:
            return str(value)
        if value is None:
            backslashes += 1
            return "\\N"
        if isinstance(value, dt.datetime):
            if value not in stamps:
                stamps[value] = value.isoformat()
            return stamps[value]
        if isinstance(value, dt.date):
            return value.isoformat()
        if isinstance(value, bool):
            return "t" if value else "f"
        if isinstance(value, bytes | bytearray | memoryview):
            backslashes += 2
            return "\\\\x" + bytes(value).hex()
        return str(value)

    # Column by column: a column is usually all of one type (text needs nothing done).
    columns = [
        column if all(v.__class__ is str for v in column) else [text(v) for v in column]
        for column in zip(*rows, strict=True)
    ]
    block = "\n".join(map("\t".join, zip(*columns, strict=True))) + "\n"
    if (
        block.count("\t") == len(rows) * (width - 1)
        and block.count("\n") == len(rows)
        and "\r" not in block
        and block.count("\\") == backslashes
    ):
        return block, len(rows)
    return "\n".join([_copy_line(row, stamps) for row in rows]) + "\n", len(rows)


def insert_rows(table: str, columns: Sequence[str], rows: Iterable[Sequence[object]]) -> int:
    """Insert ``rows`` into ``table``; returns the number of rows written."""
    quote = connection.ops.quote_name
    cols = ", ".join(quote(c) for c in columns)
    with connection.cursor() as cur:
        if connection.vendor == "postgresql":
            # One text block per call: psycopg's per-row write_row costs more than the server.
            block, count = _copy_block(rows, len(columns))
            with copy_stream(table, columns) as write:
                if count:
                    write(block)
            return count
        batch: list[Any] = list(rows)
        marks = ", ".join(["%s"] * len(columns))
        cur.executemany(
            f"INSERT INTO {quote(table)} ({cols}) VALUES ({marks})",  # noqa: S608 - names are ours
            batch,
        )
        return len(batch)


@contextmanager
def copy_stream(table: str, columns: Sequence[str]) -> Iterator[Callable[[str], None]]:
    """PostgreSQL: a ``COPY table (columns) FROM STDIN`` open for the block; yields a function
    that sends text already in COPY's format (tab-separated, escaped, each line ending in a
    newline). A caller that sends its rows a chunk at a time keeps the server busy while it
    makes the next chunk."""
    quote = connection.ops.quote_name
    cols = ", ".join(quote(c) for c in columns)
    with (
        connection.wrap_database_errors,  # a broken key is Django's IntegrityError, as elsewhere
        connection.cursor() as cur,
        cur.cursor.copy(f"COPY {quote(table)} ({cols}) FROM STDIN") as copy,
    ):
        yield copy.write


def select_in(
    table: str,
    columns: Sequence[str],
    key: str,
    keys: Sequence[object],
    *,
    batch: int = 900,
    for_update: bool = False,
) -> list[tuple[Any, ...]]:
    """``SELECT columns FROM table WHERE key IN keys`` as plain tuples.

    For the bulk paths: no model instances and no per-value ORM preparation. PostgreSQL gets
    one ``= ANY(array)`` query; elsewhere the keys go in batches that no SQLite build refuses.
    ``for_update`` locks the rows where the database locks rows (the caller holds the
    transaction); SQLite's writer already holds the whole database.
    """
    quote = connection.ops.quote_name
    cols = ", ".join(quote(c) for c in columns)
    head = f"SELECT {cols} FROM {quote(table)} WHERE {quote(key)}"  # noqa: S608 - names are ours
    lock = " FOR UPDATE" if for_update and connection.features.has_select_for_update else ""
    out: list[tuple[Any, ...]] = []
    if not keys:
        return out
    with connection.cursor() as cur:
        if connection.vendor == "postgresql":
            cur.execute(f"{head} = ANY(%s){lock}", [list(keys)])
            return list(cur.fetchall())
        for start in range(0, len(keys), batch):
            part: list[Any] = list(keys[start : start + batch])
            cur.execute(f"{head} IN ({', '.join(['%s'] * len(part))}){lock}", part)
            out.extend(cur.fetchall())
    return out


def models_in(
    model: type[M], key: str, keys: Sequence[object], *, batch: int = 900, for_update: bool = False
) -> list[M]:
    """:func:`select_in` as model instances, through ``Manager.raw`` (which converts values as
    the ORM does) instead of an ``__in`` filter that prepares every key on its own."""
    quote = connection.ops.quote_name
    head = f"SELECT * FROM {quote(model._meta.db_table)} WHERE {quote(key)}"  # noqa: S608
    lock = " FOR UPDATE" if for_update and connection.features.has_select_for_update else ""
    if not keys:
        return []
    if connection.vendor == "postgresql":
        return list(model._default_manager.raw(f"{head} = ANY(%s){lock}", [list(keys)]))
    out: list[M] = []
    for start in range(0, len(keys), batch):
        part = list(keys[start : start + batch])
        marks = ", ".join(["%s"] * len(part))
        out.extend(model._default_manager.raw(f"{head} IN ({marks}){lock}", part))
    return out
