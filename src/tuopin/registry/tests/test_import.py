"""The registry import: every rejection code, encodings, XLSX, idempotency, the CLI contract."""

from __future__ import annotations

import csv
import datetime as dt
import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from openpyxl import Workbook

from tuopin.conftest import ENGLISH_HEADER, VILLAGE_A, VILLAGE_B, make_id, person_row
from tuopin.core.tabular import UnreadableFile
from tuopin.registry import services
from tuopin.registry.errors import ImportFailed
from tuopin.registry.models import Household, Person, StatusChange

pytestmark = pytest.mark.usefixtures("area_tree")

CHINESE_HEADER = [
    "户编号",
    "姓名",
    "身份证号",
    "性别",
    "出生日期",
    "与户主关系",
    "村代码",
    "贫困户属性",
    "主要致贫原因",
    "贫困状态",
    "文化程度",
    "健康状况",
    "在校生状况",
    "联系电话",
]


def codes_by_line(report) -> dict[int, set[str]]:  # type: ignore[no-untyped-def]
    out: dict[int, set[str]] = {}
    for e in report.errors:
        out.setdefault(e.line, set()).add(e.code)
    return out


def run(path: Path):  # type: ignore[no-untyped-def]
    return services.import_registry(path=path)


def test_valid_file_creates_households_people_and_first_status(
    write_csv: Callable[..., Path],
) -> None:
    report = run(
        write_csv(
            [
                person_row("H1", "唐俊", seq=12),
                person_row("H1", "朱明", seq=31, relation="配偶"),
                person_row("H2", "王强", seq=41, status="已脱贫"),
            ]
        )
    )
    assert report.as_dict() == {
        "households_created": 2,
        "households_updated": 0,
        "people_created": 3,
        "people_updated": 0,
        "households_unchanged": 0,
        "people_unchanged": 0,
        "rejected_households": 0,
        "rejected_rows": 0,
    }
    h1 = Household.objects.get(household_no="H1")
    assert (h1.head_name, h1.member_count, h1.status, h1.village_id) == (
        "唐俊",
        2,
        "poor",
        VILLAGE_A,
    )
    assert Household.objects.get(household_no="H2").status == "lifted"
    assert StatusChange.objects.filter(household=h1, from_status="", to_status="poor").count() == 1
    p = Person.objects.get(name="朱明")
    assert (p.sex, p.birth_date, p.relation, p.education) == (
        "M",
        dt.date(1970, 5, 1),
        "spouse",
        "junior",
    )


def test_a_household_with_one_bad_row_is_rejected_whole(write_csv: Callable[..., Path]) -> None:
    bad = person_row("H1", "朱明", seq=31, relation="配偶")
    bad[2] = bad[2][:-1] + ("0" if bad[2][-1] != "0" else "1")  # break the check digit
    report = run(
        write_csv([person_row("H1", "唐俊", seq=12), bad, person_row("H2", "王强", seq=41)])
    )
    assert not Household.objects.filter(household_no="H1").exists()
    assert not Person.objects.filter(name="唐俊").exists()
    assert Household.objects.filter(household_no="H2").exists()
    assert codes_by_line(report) == {2: {"household_rejected"}, 3: {"id_checksum"}}
    assert report.rejected_households == 1
    assert report.as_dict()["rejected_rows"] == 2
    err = next(e for e in report.errors if e.code == "id_checksum")
    assert err.column == "id_number" and "校验" in err.message


@pytest.mark.parametrize(
    ("mutate", "code", "column"),
    [
        (lambda r: r.__setitem__(4, "1971-05-01"), "id_birth_mismatch", "birth_date"),
        (lambda r: r.__setitem__(3, "女"), "id_sex_mismatch", "sex"),
        (lambda r: r.__setitem__(6, "422823101299"), "unknown_village", "village_code"),
        (lambda r: r.__setitem__(1, ""), "missing_field", "name"),
        (lambda r: r.__setitem__(5, ""), "missing_field", "relation"),
        (lambda r: r.__setitem__(4, "1970-13-45"), "bad_date", "birth_date"),
        (lambda r: r.__setitem__(2, "12345"), "bad_id", "id_number"),
        (lambda r: r.__setitem__(7, "富裕户"), "bad_choice", "household_type"),
    ],
)
def test_each_row_rejection_has_its_code_and_column(
    write_csv: Callable[..., Path], mutate: Callable[[list[str]], None], code: str, column: str
) -> None:
    row = person_row("H1", "唐俊", seq=11)
    mutate(row)
    report = run(write_csv([row]))
    assert [(e.line, e.column, e.code) for e in report.errors] == [(2, column, code)]
    assert Household.objects.count() == 0


def test_no_head_and_many_heads(write_csv: Callable[..., Path]) -> None:
    report = run(
        write_csv(
            [
                person_row("H1", "甲", seq=11, relation="配偶"),
                person_row("H2", "乙", seq=21),
                person_row("H2", "丙", seq=31),
            ]
        )
    )
    assert codes_by_line(report) == {2: {"no_head"}, 3: {"many_heads"}, 4: {"many_heads"}}
    assert Household.objects.count() == 0


def test_same_id_in_two_households_of_the_file_is_a_duplicate(
    write_csv: Callable[..., Path],
) -> None:
    first = person_row("H1", "甲", seq=11)
    second = person_row("H2", "乙", seq=21)
    twin = list(first)
    twin[0], twin[5] = "H2", "配偶"
    report = run(write_csv([first, second, twin]))
    assert codes_by_line(report) == {3: {"household_rejected"}, 4: {"duplicate_id"}}
    assert list(Household.objects.values_list("household_no", flat=True)) == ["H1"]


def test_same_id_as_a_person_in_the_database_is_a_duplicate(write_csv: Callable[..., Path]) -> None:
    run(write_csv([person_row("H1", "甲", seq=11)]))
    report = run(write_csv([person_row("H9", "甲", seq=11)], name="second.csv"))
    assert codes_by_line(report) == {2: {"duplicate_id"}}


def test_reimporting_the_same_file_changes_nothing(write_csv: Callable[..., Path]) -> None:
    path = write_csv(
        [person_row("H1", "唐俊", seq=12), person_row("H1", "朱明", seq=31, relation="配偶")]
    )
    run(path)
    before = list(Person.objects.values_list("id", "updated_at").order_by("id"))
    report = run(path)
    assert report.as_dict() == {
        "households_created": 0,
        "households_updated": 0,
        "people_created": 0,
        "people_updated": 0,
        "households_unchanged": 1,
        "people_unchanged": 2,
        "rejected_households": 0,
        "rejected_rows": 0,
    }
    assert list(Person.objects.values_list("id", "updated_at").order_by("id")) == before
    assert StatusChange.objects.count() == 1


def test_reimport_updates_changed_people_and_records_status_changes(
    write_csv: Callable[..., Path],
) -> None:
    run(write_csv([person_row("H1", "唐俊", seq=12)]))
    changed = person_row("H1", "唐俊", seq=12, status="已脱贫")
    changed[11] = "患有大病"
    report = run(
        write_csv([changed, person_row("H1", "朱明", seq=31, relation="配偶")], name="b.csv")
    )
    assert report.as_dict()["households_updated"] == 1
    assert report.as_dict()["people_updated"] == 1
    assert report.as_dict()["people_created"] == 1
    h = Household.objects.get(household_no="H1")
    assert h.status == "lifted" and h.member_count == 2
    assert list(h.status_changes.values_list("from_status", "to_status")) == [
        ("", "poor"),
        ("poor", "lifted"),
    ]


def test_a_partial_file_keeps_the_head_already_registered(write_csv: Callable[..., Path]) -> None:
    run(write_csv([person_row("H1", "唐俊", seq=12)]))
    report = run(write_csv([person_row("H1", "朱明", seq=31, relation="配偶")], name="b.csv"))
    assert report.errors == []
    assert Household.objects.get(household_no="H1").member_count == 2
    report = run(write_csv([person_row("H1", "朱二", seq=41, relation="户主")], name="c.csv"))
    assert codes_by_line(report) == {2: {"many_heads"}}


def test_a_head_can_hand_over_to_another_member(write_csv: Callable[..., Path]) -> None:
    run(
        write_csv(
            [person_row("H1", "唐俊", seq=12), person_row("H1", "朱明", seq=31, relation="配偶")]
        )
    )
    report = run(
        write_csv(
            [
                person_row("H1", "唐俊", seq=12, relation="配偶"),
                person_row("H1", "朱明", seq=31, relation="户主"),
            ],
            name="b.csv",
        )
    )
    assert report.errors == []
    assert Household.objects.get(household_no="H1").head_name == "朱明"


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "gb18030", "gbk"])
def test_chinese_headers_in_every_encoding(write_csv: Callable[..., Path], encoding: str) -> None:
    path = write_csv(
        [person_row("H1", "唐俊", seq=12), person_row("H2", "王强", seq=41)],
        header=CHINESE_HEADER,
        encoding=encoding,
    )
    report = run(path)
    assert report.errors == []
    assert set(Person.objects.values_list("name", flat=True)) == {"唐俊", "王强"}


def test_xlsx_with_numeric_cells(tmp_path: Path) -> None:
    wb = Workbook()
    ws = wb.active
    ws.append(CHINESE_HEADER)
    row: list[object] = person_row("H1", "唐俊", seq=12)
    row[6] = int(VILLAGE_A)  # Excel stores codes as numbers
    row[4] = dt.datetime(1970, 5, 1)  # noqa: DTZ001 - Excel date cells are naive
    ws.append(row)
    path = tmp_path / "r.xlsx"
    wb.save(path)
    report = run(path)
    assert report.errors == []
    assert Household.objects.get().village_id == VILLAGE_A


def test_full_width_and_lower_case_x_ids_are_stored_normalised(
    write_csv: Callable[..., Path],
) -> None:
    birth = dt.date(1949, 12, 31)
    value = make_id("422823", birth, 2)
    row = person_row("H1", "甲", seq=2, birth=birth)
    row[2] = value.translate(str.maketrans("0123456789X", "０１２３４５６７８９ｘ"))
    report = run(write_csv([row]))
    assert report.errors == []
    assert Person.objects.get().id_number == value


def test_missing_required_column_fails_the_file(write_csv: Callable[..., Path]) -> None:
    path = write_csv([["H1", "甲"]], header=["household_no", "name"])
    with pytest.raises(CommandError) as exc:
        call_command("registry", "import", str(path))
    assert exc.value.returncode == 2
    assert "id_number" in str(exc.value)


def test_unreadable_file_exits_2(tmp_path: Path) -> None:
    path = tmp_path / "x.csv"
    path.write_bytes(b"\x00\x00binary")
    with pytest.raises(CommandError) as exc:
        call_command("registry", "import", str(path))
    assert exc.value.returncode == 2


def test_cli_json_and_errors_file(write_csv: Callable[..., Path], tmp_path: Path, capsys) -> None:  # type: ignore[no-untyped-def]
    bad = person_row("H2", "乙", seq=21)
    bad[4] = "1999-01-01"
    path = write_csv([person_row("H1", "甲", seq=11), bad])
    errors = tmp_path / "errors.csv"
    call_command(
        "registry", "import", str(path), "--json", "--errors", str(errors), "--no-progress"
    )
    out = json.loads(capsys.readouterr().out)
    assert out == {
        "households_created": 1,
        "households_updated": 0,
        "people_created": 1,
        "people_updated": 0,
        "households_unchanged": 0,
        "people_unchanged": 0,
        "rejected_households": 1,
        "rejected_rows": 1,
    }
    with errors.open(encoding="utf-8-sig") as fh:
        rows = list(csv.reader(fh))
    assert rows[1][:6] == ["3", "H2", "乙", "birth_date", "birth_date", "id_birth_mismatch"]


def test_english_and_chinese_values_both_accepted(write_csv: Callable[..., Path]) -> None:
    row = person_row("H1", "甲", seq=11)
    row[3], row[5], row[7], row[8], row[9] = "M", "head", "dibao", "illness", "poor"
    report = run(write_csv([row], header=ENGLISH_HEADER))
    assert report.errors == []
    assert Household.objects.get().household_type == "dibao"


def test_an_officers_import_cannot_write_outside_scope(
    write_csv: Callable[..., Path],
    cadre_a,  # type: ignore[no-untyped-def]
) -> None:
    report = services.import_registry(
        path=write_csv([person_row("H1", "甲", seq=11, village=VILLAGE_B)]), by=cadre_a
    )
    assert codes_by_line(report) == {2: {"unknown_village"}}


@pytest.mark.django_db(transaction=True)
def test_big_files_are_read_in_a_child_process_with_the_same_result(
    write_csv: Callable[..., Path],
) -> None:
    from tuopin.registry.importing import RegistryImport

    rows = [person_row(f"T{i:03d}", "甲", seq=11 + 2 * i) for i in range(30)]
    bad = person_row("T999", "乙", seq=901)
    bad[4] = "1999-09-09"
    run_ = RegistryImport(write_csv([*rows, bad]), parallel=True)
    run_.process_threshold = 1  # force the reading child on a small file
    report = run_.run()
    assert report.households_created == 30 and report.rejected_households == 1
    assert Person.objects.count() == 30


def test_a_batch_crosses_to_the_writer_as_the_same_rows() -> None:
    import datetime as dt
    import pickle

    from tuopin.registry.importing.rows import CleanRow, PendingHousehold, from_plain, to_plain

    row = CleanRow(2, "H1", VILLAGE_A, "甲", "x", "h", "M", dt.date(1980, 1, 1), "self", ("",))
    batch = ([("H1", PendingHousehold([row], [], [2]))], [], 2)

    crossed = from_plain(pickle.loads(pickle.dumps(to_plain(batch))))  # noqa: S301 our own bytes

    ((_key, household),) = crossed[0]
    assert crossed == batch
    assert type(household) is PendingHousehold and type(household.rows[0]) is CleanRow


def _collector_threshold_while_importing(path: Path, *, parallel: bool) -> int:
    """The cycle collector's youngest-generation threshold as the import's batches are written
    (the progress callback runs between them)."""
    import gc

    from tuopin.registry.importing import RegistryImport

    seen: list[int] = []
    run_ = RegistryImport(
        path, parallel=parallel, progress=lambda n: seen.append(gc.get_threshold()[0])
    )
    run_.process_threshold = 1  # a command line's run forks its reading child at once
    run_.run()
    return seen[0]


@pytest.mark.django_db(transaction=True)
def test_the_command_lines_big_import_runs_with_the_collector_set_for_bulk_work(
    write_csv: Callable[..., Path],
) -> None:
    import gc

    from tuopin.core.bulk import BULK_GC_THRESHOLD

    path = write_csv([person_row("T1", "甲", seq=11)])

    assert _collector_threshold_while_importing(path, parallel=True) == BULK_GC_THRESHOLD
    assert gc.get_threshold()[0] != BULK_GC_THRESHOLD


@pytest.mark.django_db(transaction=True)
def test_an_import_in_a_shared_process_leaves_the_collector_alone(
    write_csv: Callable[..., Path],
) -> None:
    import gc

    path = write_csv([person_row("T1", "甲", seq=11)])

    assert _collector_threshold_while_importing(path, parallel=False) == gc.get_threshold()[0]


def _command_line_batch_size(path: Path) -> int:
    from tuopin.registry.importing import RegistryImport

    run_ = RegistryImport(path, parallel=True)
    run_.process_threshold = 1
    run_.run()
    return run_.chunk


@pytest.mark.django_db(transaction=True)
def test_the_command_lines_first_load_writes_full_size_batches(
    write_csv: Callable[..., Path],
) -> None:
    from tuopin.registry.importing.run import BULK_CHUNK_HOUSEHOLDS

    path = write_csv([person_row("T1", "甲", seq=11)])

    assert _command_line_batch_size(path) == BULK_CHUNK_HOUSEHOLDS


@pytest.mark.django_db(transaction=True)
def test_the_command_lines_import_into_a_filled_registry_writes_half_size_batches(
    write_csv: Callable[..., Path],
) -> None:
    from tuopin.registry.importing.run import BULK_CHUNK_HOUSEHOLDS

    services.import_registry(path=write_csv([person_row("T0", "乙", seq=13)], name="first.csv"))
    path = write_csv([person_row("T1", "甲", seq=11)])

    assert _command_line_batch_size(path) == BULK_CHUNK_HOUSEHOLDS // 2


@pytest.mark.django_db(transaction=True)
def test_an_error_while_writing_stops_the_reading_child(
    write_csv: Callable[..., Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    from tuopin.registry.importing import RegistryImport, writing

    def broken(*args: object, **kwargs: object) -> None:
        raise RuntimeError("disk full")

    monkeypatch.setattr(writing, "insert_rows", broken)  # the database is the outside boundary
    run_ = RegistryImport(write_csv([person_row("T1", "甲", seq=11)]), parallel=True)
    run_.process_threshold = 1
    with pytest.raises(ImportFailed) as failed:
        run_.run()
    assert isinstance(failed.value.__cause__, RuntimeError)
    assert Household.objects.count() == 0  # the batch's transaction rolled back


def _import_with_child(
    write_csv: Callable[..., Path], monkeypatch: pytest.MonkeyPatch, child: Callable[..., None]
) -> ImportFailed:
    """Import a one-household file through a reading child whose body is ``child``; the
    failure the import ended with."""
    from tuopin.registry.importing import RegistryImport
    from tuopin.registry.importing import run as importing_run

    monkeypatch.setattr(importing_run, "_produce", child)
    run_ = RegistryImport(write_csv([person_row("T1", "甲", seq=11)]), parallel=True)
    run_.process_threshold = 1
    with pytest.raises(ImportFailed) as failed:
        run_.run()
    return failed.value


@pytest.mark.django_db(transaction=True)
def test_a_reading_child_killed_without_a_word_fails_the_import_instead_of_hanging(
    write_csv: Callable[..., Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    import os

    def killed(*args: object) -> None:  # what the kernel's OOM killer leaves behind
        os._exit(9)

    failed = _import_with_child(write_csv, monkeypatch, killed)

    assert isinstance(failed.__cause__, RuntimeError)
    assert Household.objects.count() == 0


def _explode_on_load() -> None:
    raise ValueError("a torn message")


class _Torn:
    """Pickles, but does not unpickle: what a batch torn on its way would be."""

    def __reduce__(self) -> tuple[object, tuple[()]]:
        return (_explode_on_load, ())


@pytest.mark.django_db(transaction=True)
def test_a_batch_that_cannot_be_unpickled_fails_the_import_instead_of_hanging(
    write_csv: Callable[..., Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    def torn(run_: object, channel: Any) -> None:
        channel.put(("batch", _Torn()))

    failed = _import_with_child(write_csv, monkeypatch, torn)

    assert isinstance(failed.__cause__, ValueError)


@pytest.mark.django_db(transaction=True)
def test_an_unreadable_row_in_the_child_reaches_the_caller(tmp_path: Path) -> None:
    from tuopin.registry.importing import RegistryImport

    path = tmp_path / "mixed.csv"
    good = ",".join(person_row("T1", "甲", seq=11)).encode("utf-8")
    header = ",".join(ENGLISH_HEADER).encode()
    # Valid UTF-8 up front, then bytes that are not: detected only while streaming.
    path.write_bytes(header + b"\n" + (good + b"\n") * 20000 + b"\xff\xfe\xfa,x\n")
    run_ = RegistryImport(path, parallel=True)
    run_.process_threshold = 1
    with pytest.raises(UnreadableFile) as exc:
        run_.run()
    assert exc.value.code == "bad_encoding"


def test_awkward_characters_survive_the_bulk_write(write_csv: Callable[..., Path]) -> None:
    row = person_row("H1", "王\t小\\明\\N", seq=11)
    row[13] = ""  # an empty phone stays empty, not NULL
    report = run(write_csv([row]))
    assert report.errors == []
    person = Person.objects.get()
    assert person.name == "王\t小\\明\\N" and person.phone == ""
