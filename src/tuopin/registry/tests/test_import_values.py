"""Unexpected values in an import file are row errors, never a crash; a run that stops
part-way says what it wrote; columns the importer does not know are never read."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from tuopin.conftest import ENGLISH_HEADER, person_row
from tuopin.registry import services
from tuopin.registry.errors import ImportFailed
from tuopin.registry.models import Household, Person

pytestmark = pytest.mark.usefixtures("area_tree")


def codes(report) -> set[tuple[int, str, str]]:  # type: ignore[no-untyped-def]
    return {(e.line, e.column, e.code) for e in report.errors}


def test_a_superscript_year_is_a_row_error(write_csv: Callable[..., Path]) -> None:
    row = [*person_row("H1", "甲", seq=11), "²⁰²⁰"]
    report = services.import_registry(
        path=write_csv([row], header=[*ENGLISH_HEADER, "status_year"])
    )
    assert codes(report) == {(2, "status_year", "bad_year")}
    assert Household.objects.count() == 0


def test_a_household_number_longer_than_its_column_is_a_row_error(
    write_csv: Callable[..., Path],
) -> None:
    long_no = "4" * 40
    report = services.import_registry(
        path=write_csv([person_row(long_no, "甲", seq=11), person_row("H2", "乙", seq=21)])
    )
    assert codes(report) == {(2, "household_no", "too_long")}
    assert list(Household.objects.values_list("household_no", flat=True)) == ["H2"]


def test_a_name_longer_than_its_column_is_a_row_error_not_cut(
    write_csv: Callable[..., Path],
) -> None:
    report = services.import_registry(path=write_csv([person_row("H1", "甲" * 51, seq=11)]))
    assert codes(report) == {(2, "name", "too_long")}
    assert Person.objects.count() == 0


def test_a_nul_character_past_the_sniffed_start_is_a_row_error(
    write_csv: Callable[..., Path],
) -> None:
    rows = [person_row(f"G{i}", "甲", seq=11 + 2 * i) for i in range(80)]  # past 4 KB
    report = services.import_registry(path=write_csv([*rows, person_row("H\x001", "乙", seq=901)]))
    assert (82, "", "bad_character") in codes(report)
    assert Household.objects.count() == 80


def test_full_width_digits_in_a_village_code_are_not_taken_as_a_code(
    write_csv: Callable[..., Path],
) -> None:
    row = person_row("H1", "甲", seq=11)
    row[6] = "４２２８２３１０１２０１"  # isdigit() is true for these
    report = services.import_registry(path=write_csv([row]))
    assert Household.objects.count() in (0, 1)  # normalised or refused, never a crash
    assert all(e.code == "unknown_village" for e in report.errors)


def test_an_unrecognised_column_after_the_last_known_one_is_not_read_as_sex_or_birth(
    write_csv: Callable[..., Path],
) -> None:
    header = ["household_no", "name", "id_number", "relation", "village_code", "备注"]
    male = person_row("H1", "甲", seq=11)  # born 1970-05-01
    row = [male[0], male[1], male[2], male[5], male[6], "女"]
    report = services.import_registry(path=write_csv([row], header=header))
    assert report.errors == []
    assert Person.objects.get().sex == "M"


def test_a_failure_after_some_batches_reports_what_was_written(
    write_csv: Callable[..., Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    from tuopin.core.bulk import insert_rows
    from tuopin.registry.importing import run, writing

    calls: list[str] = []

    def fails_on_the_second_batch(table: str, *args: object, **kwargs: object) -> None:
        if table == Household._meta.db_table:
            calls.append(table)
            if len(calls) == 2:
                raise RuntimeError("connection lost")  # the database is the outside boundary
        insert_rows(table, *args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(run, "CHUNK_HOUSEHOLDS", 1)
    monkeypatch.setattr(writing, "insert_rows", fails_on_the_second_batch)
    rows = [person_row("H1", "甲", seq=11), person_row("H2", "乙", seq=21)]
    with pytest.raises(ImportFailed) as failed:
        services.import_registry(path=write_csv(rows))
    assert failed.value.report.households_created == 1
    assert "1 户新增" in failed.value.message
    assert list(Household.objects.values_list("household_no", flat=True)) == ["H1"]


def test_an_import_may_not_move_a_household_along_a_disallowed_transition(
    write_csv: Callable[..., Path],
) -> None:
    services.import_registry(path=write_csv([person_row("H1", "甲", seq=11, status="已脱贫")]))
    back = person_row("H1", "甲", seq=11, status="未脱贫")  # lifted → poor is not allowed
    report = services.import_registry(path=write_csv([back], name="b.csv"))
    assert codes(report) == {(2, "poverty_status", "bad_transition")}
    assert Household.objects.get().status == "lifted"


def test_an_import_may_move_a_household_along_an_allowed_transition(
    write_csv: Callable[..., Path],
) -> None:
    services.import_registry(path=write_csv([person_row("H1", "甲", seq=11, status="已脱贫")]))
    report = services.import_registry(
        path=write_csv([person_row("H1", "甲", seq=11, status="返贫")], name="b.csv")
    )
    assert report.errors == []
    assert Household.objects.get().status == "returned"


def test_the_command_line_reports_what_was_written_when_a_run_stops(
    write_csv: Callable[..., Path],
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    from django.core.management import call_command
    from django.core.management.base import CommandError

    from tuopin.registry.importing import writing

    def broken(*args: object, **kwargs: object) -> None:
        raise RuntimeError("disk full")  # the database is the outside boundary

    monkeypatch.setattr(writing, "insert_rows", broken)
    path = write_csv([person_row("H1", "甲", seq=11)])
    with pytest.raises(CommandError) as exc:
        call_command("registry", "import", str(path), "--json", "--no-progress")
    assert exc.value.returncode == 1
    assert '"failed"' in capsys.readouterr().out
