"""Set-based bulk inserts that skip the ORM's per-object work.

COPY on PostgreSQL, one ``executemany`` in the open transaction elsewhere. Values must
already be in database form (``connection.ops`` adapters, :func:`db_datetime`).
"""

from __future__ import annotations

import datetime as dt
import gc
import re
from collections.abc import Callable, Collection, Iterable, Iterator, Sequence
from contextlib import contextmanager
from typing import Any, TypeVar

from django.db import connection
from django.db.models import Model

M = TypeVar("M", bound=Model)


def db_datetime(value: dt.datetime | None) -> object:
    return connection.ops.adapt_datetimefield_value(value)


# Objects allocated between two runs of Python's youngest cycle collection, during bulk work
# (Python's default is 700). A batch of tens of thousands of rows, all alive, would otherwise
# be scanned again and again: 15-25 % of the registry import's time (bench/README.md, issue 19).
BULK_GC_THRESHOLD = 100_000


@contextmanager
def bulk_collection() -> Iterator[None]:
    """Python's cycle collector set for a long bulk run in a process of its own (a command,
    and any child it forks): what exists now (modules, settings, caches) is set aside and
    never scanned again, and the youngest generation is collected less often. Cycles are still
    collected. Never in a web server's process: the setting is the whole process's."""
    threshold = gc.get_threshold()
    gc.freeze()
    gc.set_threshold(BULK_GC_THRESHOLD, threshold[1], threshold[2])
    try:
        yield
    finally:
        gc.set_threshold(*threshold)
        gc.unfreeze()


@contextmanager
def one_checkpoint() -> Iterator[None]:
    """SQLite: no automatic WAL checkpoint between the transactions inside, one after them.

    By default a commit that leaves the WAL past 1,000 pages copies it into the database and
    syncs; a run of many large batches (an enrollment's counties) would copy the pages its
    batches share (the indexes' upper levels, the ledger's) once per batch and sync each
    time. The WAL grows meanwhile by what the run writes. Inside an outer transaction the
    final checkpoint is left to a later commit. Nothing on other databases."""
    if connection.vendor != "sqlite":
        yield
        return
    with connection.cursor() as cur:
        cur.execute("PRAGMA wal_autocheckpoint")
        (pages,) = cur.fetchone()
        cur.execute("PRAGMA wal_autocheckpoint=0")
    try:
        yield
    finally:
        with connection.cursor() as cur:
            cur.execute(f"PRAGMA wal_autocheckpoint={int(pages)}")
            if not connection.in_atomic_block:
                cur.execute("PRAGMA wal_checkpoint(PASSIVE)")


COPY_ROWS = 4000  # rows per block sent to COPY: ~0.5 MB, big enough to amortise a send
_COPY_ESCAPES = str.maketrans({"\\": "\\\\", "\t": "\\t", "\n": "\\n", "\r": "\\r"})
_COPY_SPECIAL = re.compile(r"[\\\t\n\r]")


def _escaped(text: str) -> str:
    return text.translate(_COPY_ESCAPES) if _COPY_SPECIAL.search(text) else text


def _value_text(value: object, stamps: dict[dt.datetime, str]) -> str:
    """A value in PostgreSQL's COPY text format, escaped; ``stamps`` caches formatted
    timestamps (a batch stamps every row with the same one)."""
    if isinstance(value, str):  # choices' enum members are str too
        return _escaped(str(value))
    if value is None:
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
        return "\\\\x" + bytes(value).hex()  # bytea hex format, backslash escaped
    return str(value)


def _copy_block(rows: Sequence[Sequence[object]]) -> str:
    """Rows as one block of COPY text, built column by column: a column of plain text (most
    are) is searched once, joined, for characters COPY would read as syntax, and escaped value
    by value only if it has any; a column of one value (a batch's time), of integers or of
    dates is formatted in one pass; other columns value by value."""
    stamps: dict[dt.datetime, str] = {}
    columns: list[Sequence[str]] = []
    for column in zip(*rows, strict=True):
        first = column[0]
        kind = first.__class__
        if kind is str and all(v.__class__ is str for v in column):
            plain: Sequence[str] = column  # type: ignore[assignment]
            special = _COPY_SPECIAL.search("".join(plain))
            columns.append([_escaped(v) for v in plain] if special else plain)
        elif all(v is first for v in column):  # one value for every row (a batch's time)
            columns.append([_value_text(first, stamps)] * len(column))
        elif kind is int and all(v.__class__ is int for v in column):
            columns.append(list(map(str, column)))
        elif kind is dt.date and all(v.__class__ is dt.date for v in column):
            columns.append([v.isoformat() for v in column])
        else:
            columns.append([_value_text(v, stamps) for v in column])
    return "\n".join(map("\t".join, zip(*columns, strict=True))) + "\n"


def marks(n: int) -> str:
    """``n`` placeholders, comma-separated."""
    return ", ".join(["%s"] * n)


def row_marks(n: int, width: int) -> str:
    """``n`` parenthesised rows of ``width`` placeholders: a ``VALUES`` list."""
    one = f"({marks(width)})"
    return ", ".join([one] * n)


def casts(model: type[Model], columns: Sequence[str]) -> list[str]:
    """The database types of ``model``'s ``columns`` (field names or attnames, e.g.
    ``project_id``): the casts of :func:`any_of` and :func:`rows_of`'s arrays."""
    return [model._meta.get_field(c).db_type(connection) or "text" for c in columns]


def any_of(column: str, values: Collection[object], cast: str) -> tuple[str, list[Any]]:
    """``column IN values`` as SQL and its parameters. PostgreSQL gets one array of
    ``cast`` values: the statement's text is then the same whatever the count, which
    psycopg parses once (a list of placeholders it parses again for every batch)."""
    if connection.vendor == "postgresql":
        return f"{column} = ANY(%s::{cast}[])", [list(values)]
    return f"{column} IN ({marks(len(values))})", list(values)


def rows_of(rows: Sequence[Sequence[object]], types: Sequence[str]) -> tuple[str, list[Any]]:
    """A row source for ``INSERT INTO t (…) <source>`` or a ``WITH``: on PostgreSQL
    ``SELECT * FROM unnest(…)`` over one array a column (typed by ``types``, see
    :func:`casts`), elsewhere a ``VALUES`` list of placeholders (SQLite parses it in C)."""
    if connection.vendor == "postgresql":
        arrays = ", ".join(f"%s::{t}[]" for t in types)
        columns = [list(c) for c in zip(*rows, strict=True)] or [[] for _t in types]
        return f"SELECT * FROM unnest({arrays})", columns  # noqa: S608 - types are ours
    return f"VALUES {row_marks(len(rows), len(types))}", [v for r in rows for v in r]


def update_column(
    cur: Any, model: type[Model], key: str, column: str, values: dict[Any, Any]
) -> None:
    """``UPDATE model's table SET column = values[key]`` for every key of ``values``, in
    one statement joined to the rows of :func:`rows_of` (SQLite 3.33+ and PostgreSQL both
    take ``UPDATE … FROM``). Names are the caller's own, never user input."""
    if not values:
        return
    table = model._meta.db_table
    source, params = rows_of(list(values.items()), casts(model, [key, column]))
    cur.execute(
        f"WITH v(k, x) AS ({source}) "  # noqa: S608 - params
        f"UPDATE {table} SET {column} = v.x FROM v WHERE {table}.{key} = v.k",
        params,
    )


def insert_rows(table: str, columns: Sequence[str], rows: Iterable[Sequence[object]]) -> int:
    """Insert ``rows`` into ``table``; returns the number of rows written."""
    quote = connection.ops.quote_name
    cols = ", ".join(quote(c) for c in columns)
    with connection.cursor() as cur:
        if connection.vendor == "postgresql":
            # Text blocks, not psycopg's per-row write_row (which costs more than the server);
            # a block at a time, so that the server stores one while this makes the next.
            rows = rows if isinstance(rows, list) else list(rows)
            with copy_stream(table, columns) as write:
                for start in range(0, len(rows), COPY_ROWS):
                    write(_copy_block(rows[start : start + COPY_ROWS]))
            return len(rows)
        batch: list[Any] = list(rows)
        marks = ", ".join(["%s"] * len(columns))
        cur.executemany(
            f"INSERT INTO {quote(table)} ({cols}) VALUES ({marks})",  # noqa: S608 - names are ours
            batch,
        )
        return len(batch)


def reserve_ids(model: type[Model], n: int) -> list[int] | None:
    """PostgreSQL: ``n`` new primary keys for ``model`` taken from its sequence, for rows
    written with their keys (no read back to learn them); ``None`` elsewhere."""
    if connection.vendor != "postgresql":
        return None
    if n <= 0:
        return []
    with connection.cursor() as cur:
        # One text value, not n rows: psycopg makes each row a tuple (8 µs a row here). The
        # sequence is found once (a sub-select), not for every key: ten times faster.
        cur.execute(
            "SELECT string_agg(nextval((SELECT pg_get_serial_sequence(%s, %s)::regclass))"
            "::text, ',') FROM generate_series(1, %s)",
            [model._meta.db_table, model._meta.pk.column, n],
        )
        (keys,) = cur.fetchone()
        return list(map(int, keys.split(",")))


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
