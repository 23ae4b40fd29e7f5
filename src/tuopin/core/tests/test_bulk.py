"""The bulk insert writes what it was given, whatever characters the values hold (COPY's text
format on PostgreSQL, where a tab, a newline or a backslash in a value must be escaped)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.db import connection

from tuopin.areas.models import Area
from tuopin.core import bulk
from tuopin.core.bulk import any_of, casts, db_datetime, insert_rows, rows_of, update_column

COLUMNS = ("code", "name", "level", "longitude", "national_poor", "deep_poverty", "provincial_poor")

pytestmark = pytest.mark.django_db


def _names(codes: list[str]) -> list[str]:
    by_code = dict(Area.objects.filter(code__in=codes).values_list("code", "name"))
    return [by_code[c] for c in codes]


def test_it_writes_plain_rows_as_given() -> None:
    rows = [(f"9900000000{i:02d}", f"村{i}", 5, None, True, False, False) for i in range(3)]

    assert insert_rows(Area._meta.db_table, COLUMNS, rows) == 3

    area = Area.objects.get(code="990000000001")
    assert (area.name, area.longitude, area.national_poor) == ("村1", None, True)


@pytest.mark.parametrize(
    "name",
    ["制表\t符", "换\n行", "回车\r", "反斜杠\\", "\\N", "\\\\x00", "末尾\\"],
)
def test_it_keeps_characters_that_copy_would_read_as_syntax(name: str) -> None:
    rows = [
        ("990000000001", "平常", 5, Decimal("104.123456"), False, False, False),
        ("990000000002", name, 5, None, False, False, False),
    ]

    insert_rows(Area._meta.db_table, COLUMNS, rows)

    assert _names(["990000000001", "990000000002"]) == ["平常", name]


def test_it_writes_nothing_for_no_rows() -> None:
    assert insert_rows(Area._meta.db_table, COLUMNS, []) == 0


def test_it_escapes_a_str_subclass_as_it_escapes_text() -> None:
    class Label(str):
        pass

    insert_rows(
        Area._meta.db_table,
        COLUMNS,
        [("990000000003", Label("分\t隔"), 5, None, False, False, False)],
    )

    assert _names(["990000000003"]) == ["分\t隔"]


def _areas(*codes: str) -> None:
    insert_rows(
        Area._meta.db_table,
        COLUMNS,
        [(c, f"旧{c[-2:]}", 5, None, False, False, False) for c in codes],
    )


def test_it_updates_each_keyed_row_to_its_own_value_and_no_other() -> None:
    _areas("990000000001", "990000000002", "990000000003")

    with connection.cursor() as cur:
        update_column(cur, Area, "code", "name", {"990000000001": "甲", "990000000003": "丙"})

    assert _names(["990000000001", "990000000002", "990000000003"]) == ["甲", "旧02", "丙"]


def test_it_inserts_the_rows_of_a_row_source_with_their_types() -> None:
    columns = ["code", "name", "level", "longitude", "national_poor", "deep_poverty"]
    rows = [
        ("990000000004", "带\t符", 5, Decimal("104.123456"), True, False),
        ("990000000005", "空", 5, None, False, True),
    ]
    source, params = rows_of(rows, casts(Area, columns))

    with connection.cursor() as cur:
        cur.execute(
            f"INSERT INTO {Area._meta.db_table} ({', '.join(columns)}, provincial_poor) "  # noqa: S608
            f"SELECT *, %s FROM ({source}) AS r",
            [False, *params],
        )

    got = Area.objects.filter(code__in=["990000000004", "990000000005"]).order_by("code")
    assert [(a.name, a.longitude, a.national_poor, a.deep_poverty) for a in got] == [
        ("带\t符", Decimal("104.123456"), True, False),
        ("空", None, False, True),
    ]


def test_it_selects_exactly_the_rows_any_of_names() -> None:
    _areas("990000000006", "990000000007", "990000000008")
    where, params = any_of("code", ["990000000006", "990000000008"], *casts(Area, ["code"]))

    with connection.cursor() as cur:
        cur.execute(f"SELECT code FROM {Area._meta.db_table} WHERE {where}", params)  # noqa: S608
        found = sorted(code for (code,) in cur.fetchall())

    assert found == ["990000000006", "990000000008"]


@pytest.fixture
def probe_table() -> str:
    """A scratch table with a column of each kind the import writes (rolled back with the
    test's transaction)."""
    stamp = "timestamp with time zone" if connection.vendor == "postgresql" else "datetime"
    with connection.cursor() as cur:
        cur.execute(f"CREATE TABLE bulk_probe (n integer NULL, d date NULL, t {stamp} NULL)")
    return "bulk_probe"


def _probe_rows() -> list[tuple[object, ...]]:
    with connection.cursor() as cur:
        cur.execute("SELECT n, d, t FROM bulk_probe ORDER BY n")
        return [(n, str(d), t) for n, d, t in cur.fetchall()]


def test_it_writes_columns_of_integers_dates_and_one_time_as_given(probe_table: str) -> None:
    at = db_datetime(dt.datetime(2026, 3, 1, 8, 30, tzinfo=dt.UTC))
    days = [dt.date(2020, 1, 2), dt.date(1999, 12, 31), dt.date(2026, 2, 28)]

    insert_rows(probe_table, ("n", "d", "t"), [(i, day, at) for i, day in enumerate(days)])

    assert [(n, d) for n, d, _ in _probe_rows()] == [(i, str(day)) for i, day in enumerate(days)]
    assert {str(t)[:16] for _, _, t in _probe_rows()} == {"2026-03-01 08:30"}  # UTC


def test_it_writes_a_column_mixing_integers_and_nulls(probe_table: str) -> None:
    insert_rows(probe_table, ("n", "d"), [(1, None), (None, dt.date(2020, 1, 1)), (3, None)])

    assert sorted(_probe_rows(), key=lambda r: (r[0] is None, r[0] or 0)) == [
        (1, "None", None),
        (3, "None", None),
        (None, "2020-01-01", None),
    ]


def test_it_sends_every_row_when_they_go_in_several_blocks(
    probe_table: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(bulk, "COPY_ROWS", 2)

    assert insert_rows(probe_table, ("n",), [(i,) for i in range(5)]) == 5

    assert [n for n, _, _ in _probe_rows()] == [0, 1, 2, 3, 4]


@pytest.mark.skipif(connection.vendor != "postgresql", reason="sequences are PostgreSQL's")
def test_it_reserves_keys_that_the_next_insert_does_not_take() -> None:
    from tuopin.registry.models import Household

    reserved = bulk.reserve_ids(Household, 3)

    assert reserved is not None and len(set(reserved)) == 3
    with connection.cursor() as cur:
        cur.execute(f"SELECT nextval(pg_get_serial_sequence('{Household._meta.db_table}', 'id'))")
        (following,) = cur.fetchone()
    assert following > max(reserved)


@pytest.mark.skipif(connection.vendor == "postgresql", reason="elsewhere: nothing to reserve")
def test_it_reserves_nothing_where_there_is_no_sequence() -> None:
    from tuopin.registry.models import Household

    assert bulk.reserve_ids(Household, 3) is None


def test_it_sets_the_cycle_collector_aside_for_bulk_work() -> None:
    import gc

    with bulk.bulk_collection():
        inside = gc.get_threshold()[0], gc.get_freeze_count()

    assert inside[0] == bulk.BULK_GC_THRESHOLD and inside[1] > 0


def test_it_gives_the_cycle_collector_back_as_it_was_even_after_a_failure() -> None:
    import gc

    before = gc.get_threshold()
    with pytest.raises(ValueError), bulk.bulk_collection():
        raise ValueError("the bulk work failed")

    assert gc.get_threshold() == before and gc.get_freeze_count() == 0


def _autocheckpoint() -> int:
    with connection.cursor() as cur:
        cur.execute("PRAGMA wal_autocheckpoint")
        (pages,) = cur.fetchone()
    return int(pages)


@pytest.mark.skipif(connection.vendor != "sqlite", reason="the WAL checkpoint is SQLite's")
def test_it_turns_sqlites_automatic_checkpoints_off_for_the_run() -> None:
    before = _autocheckpoint()

    with bulk.one_checkpoint():
        inside = _autocheckpoint()

    assert (before, inside, _autocheckpoint()) == (before, 0, before) and before > 0


@pytest.mark.skipif(connection.vendor != "sqlite", reason="the WAL checkpoint is SQLite's")
def test_it_gives_the_checkpoint_setting_back_even_after_a_failure() -> None:
    before = _autocheckpoint()

    with pytest.raises(ValueError), bulk.one_checkpoint():
        raise ValueError("a batch failed")

    assert _autocheckpoint() == before and before > 0
