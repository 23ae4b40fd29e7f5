"""The database itself keeps the log append-only: each attack is raw SQL through Django's
connection, refused, and leaves the rows as they were. Also what `audit` finds when a
database owner goes behind the triggers' back."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from django.db import DatabaseError, connection, transaction

from tuopin.ledger import merkle, note, services
from tuopin.ledger.models import Checkpoint, Entry, LogHead, TileVersion

pytestmark = pytest.mark.django_db

postgres_only = pytest.mark.skipif(
    "connection.vendor != 'postgresql'", reason="TRUNCATE exists on PostgreSQL only"
)


@pytest.fixture
def signer(settings, tmp_path: Path) -> note.Signer:  # type: ignore[no-untyped-def]
    settings.LEDGER_KEY_FILE = tmp_path / "ledger.key"
    settings.LEDGER_ORIGIN = "tuopin.test/ledger"
    return services.generate_key(path=settings.LEDGER_KEY_FILE, name="tuopin.test/ledger")


def append(n: int) -> None:
    for i in range(n):
        services.append_entry(kind="donation", payload={"amount_fen": 100 + i})


def snapshot() -> dict[str, Any]:
    return {
        "entries": [
            (i, bytes(d), bytes(h))
            for i, d, h in Entry.objects.order_by("index").values_list("index", "data", "leaf_hash")
        ],
        "head": LogHead.objects.get(pk=1).next_index,
        "tiles": sorted(
            (lv, i, w, bytes(h))
            for lv, i, w, h in TileVersion.objects.values_list("level", "index", "width", "hashes")
        ),
        "checkpoints": list(Checkpoint.objects.values_list("size", "note")),
    }


def assert_refused(sql: str, params: list[Any] | None = None) -> None:
    before = snapshot()
    # A savepoint, so that PostgreSQL can go on after the refused statement.
    with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cur:
        cur.execute(sql, params)
    assert snapshot() == before


def forged_entry(index: int, amount: int) -> list[Any]:
    data = services.canonical_json(
        {"amount_fen": amount, "at": "2026-12-01T10:00:00+08:00", "kind": "donation", "v": 1}
    )
    return [index, "donation", "2026-12-01 02:00:00", data, merkle.leaf_hash(data)]


INSERT = 'INSERT INTO ledger_entry ("index", kind, at, data, leaf_hash) VALUES (%s,%s,%s,%s,%s)'


def test_a_replace_cannot_rewrite_an_unsigned_entry() -> None:
    append(3)
    if connection.vendor == "sqlite":
        sql = INSERT.replace("INSERT", "INSERT OR REPLACE")
    else:
        sql = (
            INSERT + ' ON CONFLICT ("index") DO UPDATE SET data = EXCLUDED.data, '
            "leaf_hash = EXCLUDED.leaf_hash"
        )
    assert_refused(sql, forged_entry(1, 9102))


@pytest.mark.skipif("connection.vendor != 'sqlite'", reason="SQLite's pragma")
def test_django_connections_fire_delete_triggers_on_replace() -> None:
    with connection.cursor() as cur:
        cur.execute("PRAGMA recursive_triggers")
        assert cur.fetchone() == (1,)


@pytest.mark.skipif("connection.vendor != 'sqlite'", reason="SQLite's pragma")
@pytest.mark.parametrize(
    ("sql", "params"),
    [
        (INSERT.replace("INSERT", "INSERT OR REPLACE"), forged_entry(1, 9102)),
        ("INSERT OR REPLACE INTO ledger_loghead (id, next_index) VALUES (1, 1)", None),
        (
            "INSERT OR REPLACE INTO ledger_checkpoint (size, root, note, created_at) "
            "VALUES (3, x'00', 'forged', '2026-12-01 02:00:00')",
            None,
        ),
        (
            'INSERT OR REPLACE INTO ledger_tileversion (level, "index", width, hashes) '
            "VALUES (0, 0, 3, x'01')",
            None,
        ),
    ],
    ids=["entry", "head", "checkpoint", "tile"],
)
def test_sqlite_refuses_a_replace_from_a_connection_without_the_pragma(
    sql: str, params: list[Any] | None, signer: note.Signer
) -> None:
    """Someone at the sqlite3 shell has recursive triggers off: the INSERT triggers hold."""
    append(3)
    services.integrate(signer=signer)
    with connection.cursor() as cur:
        cur.execute("PRAGMA recursive_triggers = OFF")
    try:
        assert_refused(sql, params)
    finally:
        with connection.cursor() as cur:
            cur.execute("PRAGMA recursive_triggers = ON")


def test_an_entry_cannot_be_inserted_beyond_the_next_index() -> None:
    append(3)
    assert_refused(INSERT, forged_entry(5, 100))


def test_an_entry_cannot_be_inserted_into_a_used_index() -> None:
    append(3)
    assert_refused(INSERT, forged_entry(0, 100))


def test_the_log_head_cannot_be_moved() -> None:
    append(3)
    assert_refused("UPDATE ledger_loghead SET next_index = 1")


def test_the_log_head_cannot_be_deleted() -> None:
    append(3)
    assert_refused("DELETE FROM ledger_loghead")


@pytest.mark.skipif("connection.vendor != 'sqlite'", reason="SQLite's INSERT OR REPLACE")
def test_the_log_head_cannot_be_replaced() -> None:
    append(3)
    assert_refused("INSERT OR REPLACE INTO ledger_loghead (id, next_index) VALUES (1, 0)")


def test_a_checkpoint_cannot_be_replaced(signer: note.Signer) -> None:
    append(3)
    services.integrate(signer=signer)
    verb = "INSERT OR REPLACE" if connection.vendor == "sqlite" else "INSERT"
    conflict = (
        "" if connection.vendor == "sqlite" else " ON CONFLICT (size) DO UPDATE SET note = 'x'"
    )
    assert_refused(
        f"{verb} INTO ledger_checkpoint (size, root, note, created_at) "
        f"VALUES (3, %s, 'forged', '2026-12-01 02:00:00'){conflict}",
        [b"\0" * 32],
    )


def test_a_tile_cannot_be_replaced(signer: note.Signer) -> None:
    append(3)
    services.integrate(signer=signer)
    sql = (
        'INSERT OR REPLACE INTO ledger_tileversion (level, "index", width, hashes) '
        "VALUES (0, 0, 3, %s)"
    )
    if connection.vendor == "postgresql":
        sql = sql.replace("OR REPLACE ", "") + (
            ' ON CONFLICT (level, "index", width) DO UPDATE SET hashes = EXCLUDED.hashes'
        )
    assert_refused(sql, [b"\1" * 96])


def test_a_tile_written_again_with_the_same_hashes_is_skipped(signer: note.Signer) -> None:
    """Integration writes tiles with ignore_conflicts: an identical row is no attack."""
    append(3)
    services.integrate(signer=signer)
    before = snapshot()
    tile = TileVersion.objects.get(level=0, index=0, width=3)
    TileVersion.objects.bulk_create(
        [TileVersion(level=0, index=0, width=3, hashes=bytes(tile.hashes))], ignore_conflicts=True
    )
    assert snapshot() == before


@postgres_only
@pytest.mark.parametrize(
    "table", ["ledger_entry", "ledger_tileversion", "ledger_checkpoint", "ledger_loghead"]
)
def test_postgres_refuses_to_truncate_the_log(table: str, signer: note.Signer) -> None:
    append(3)
    services.integrate(signer=signer)
    assert_refused(f"TRUNCATE {table} CASCADE")


def test_appends_still_work_after_refused_attacks() -> None:
    append(2)
    assert_refused(INSERT, forged_entry(7, 100))
    services.append_entries(kind="premium", payloads=[{"amount_fen": 1}, {"amount_fen": 2}])
    append(1)
    assert list(Entry.objects.values_list("index", flat=True)) == [0, 1, 2, 3, 4]
    assert LogHead.objects.get(pk=1).next_index == 5
    assert services.audit().problems == []


def _behind_the_triggers_back(*statements: tuple[str, list[Any]]) -> None:
    """Run SQL as a database owner could, with the ledger's triggers out of the way (the
    test's transaction puts them back)."""
    with connection.cursor() as cur:
        if connection.vendor == "postgresql":
            for table in ("ledger_entry", "ledger_loghead"):
                cur.execute(f"ALTER TABLE {table} DISABLE TRIGGER USER")
        else:
            cur.execute(
                "SELECT name FROM sqlite_master WHERE type = 'trigger' AND tbl_name IN "
                "('ledger_entry', 'ledger_loghead')"
            )
            for (name,) in cur.fetchall():
                cur.execute(f"DROP TRIGGER {name}")
        for sql, params in statements:
            cur.execute(sql, params)


def test_audit_finds_a_rewritten_entry_in_the_unsigned_tail(signer: note.Signer) -> None:
    append(3)
    services.integrate(signer=signer)
    append(2)
    forged = services.canonical_json({"amount_fen": 9102, "kind": "donation", "v": 1})
    _behind_the_triggers_back(
        ('UPDATE ledger_entry SET data = %s WHERE "index" = 4', [forged]),
    )
    result = services.audit()
    assert result.first_bad_index == 4


def test_audit_finds_an_entry_whose_kind_column_was_changed() -> None:
    append(2)
    _behind_the_triggers_back(('UPDATE ledger_entry SET kind = %s WHERE "index" = 1', ["note"]))
    assert services.audit().first_bad_index == 1


def test_audit_finds_a_gap_in_the_unsigned_tail(signer: note.Signer) -> None:
    append(3)
    services.integrate(signer=signer)
    append(3)
    _behind_the_triggers_back(('DELETE FROM ledger_entry WHERE "index" = 4', []))
    result = services.audit()
    assert "entry 4 is missing" in result.problems
    assert result.first_bad_index == 4


def test_audit_finds_a_dropped_last_entry_through_the_log_head() -> None:
    append(3)
    _behind_the_triggers_back(('DELETE FROM ledger_entry WHERE "index" = 2', []))
    result = services.audit()
    assert any("log head" in p for p in result.problems)
    assert result.first_bad_index == 2


@pytest.mark.usefixtures("empty_the_log_afterwards")
@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("run", [1, 2])
def test_transactional_tests_can_still_empty_the_log(run: int, signer: note.Signer) -> None:
    """The suite's flush must get past the triggers (conftest's fixture), and each run
    starts from an empty log."""
    append(3)
    services.integrate(signer=signer)
    assert list(Entry.objects.values_list("index", flat=True)) == [0, 1, 2]
