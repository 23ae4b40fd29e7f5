"""Import errors in the file's own words: the column as the file titled it, whose row it is,
the report's columns, and what a re-import found unchanged."""

from __future__ import annotations

import csv
from collections.abc import Callable
from pathlib import Path

import pytest

from tuopin.conftest import VILLAGE_C, person_row
from tuopin.core.imports import read_errors, write_errors
from tuopin.registry import services

pytestmark = pytest.mark.usefixtures("area_tree")

CHINESE_HEADER = [
    "户编号",
    "姓名",
    "证件号码",
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


def run(path: Path):  # type: ignore[no-untyped-def]
    return services.import_registry(path=path)


def one_error(report):  # type: ignore[no-untyped-def]
    assert len(report.errors) == 1, report.errors
    return report.errors[0]


def test_a_missing_value_is_named_as_the_file_titled_its_column(
    write_csv: Callable[..., Path],
) -> None:
    row = person_row("H1", "唐俊", seq=11)
    row[6] = ""
    error = one_error(run(write_csv([row], header=CHINESE_HEADER)))
    assert error.message == "必填项为空：村代码"


def test_an_error_carries_the_files_header_and_the_stable_column_key(
    write_csv: Callable[..., Path],
) -> None:
    header = [*CHINESE_HEADER]
    header[6] = "行政区划代码"  # another accepted title of village_code
    row = person_row("H1", "唐俊", seq=11)
    row[6] = ""
    error = one_error(run(write_csv([row], header=header)))
    assert (error.column, error.header) == ("village_code", "行政区划代码")


def test_a_row_error_names_the_household_and_the_person(write_csv: Callable[..., Path]) -> None:
    row = person_row("H7", "唐俊", seq=11, relation="不知道")
    error = one_error(run(write_csv([row], header=CHINESE_HEADER)))
    assert (error.household_no, error.name) == ("H7", "唐俊")


def test_an_error_never_carries_the_id_number(write_csv: Callable[..., Path]) -> None:
    row = person_row("H7", "唐俊", seq=11, relation="不知道")
    error = one_error(run(write_csv([row], header=CHINESE_HEADER)))
    assert row[2] not in (error.household_no, error.name, error.header, error.message)


def test_a_household_check_error_names_the_household_and_the_person(
    write_csv: Callable[..., Path],
) -> None:
    # The village exists nowhere in the area tree: found by the batch checks, not the row's.
    row = person_row("H8", "王强", seq=11, village=VILLAGE_C[:6] + "999999")
    error = one_error(run(write_csv([row], header=CHINESE_HEADER)))
    assert (error.code, error.household_no, error.name, error.header) == (
        "unknown_village",
        "H8",
        "王强",
        "村代码",
    )


def test_a_sibling_rejected_with_its_household_is_named(write_csv: Callable[..., Path]) -> None:
    bad = person_row("H9", "朱明", seq=31, relation="不知道")
    report = run(write_csv([person_row("H9", "唐俊", seq=12), bad], header=CHINESE_HEADER))
    sibling = next(e for e in report.errors if e.code == "household_rejected")
    assert (sibling.household_no, sibling.name) == ("H9", "唐俊")


def test_a_code_list_error_names_its_column(write_csv: Callable[..., Path]) -> None:
    row = person_row("H1", "唐俊", seq=11)
    row[10] = "博士后"  # 文化程度
    error = one_error(run(write_csv([row], header=CHINESE_HEADER)))
    assert error.message == "文化程度取值无效：博士后"


def test_the_errors_report_lists_household_name_header_and_column_key(
    write_csv: Callable[..., Path], tmp_path: Path
) -> None:
    row = person_row("H7", "唐俊", seq=11, relation="不知道")
    report = run(write_csv([row], header=CHINESE_HEADER))
    target = tmp_path / "errors.csv"
    write_errors(target, report.errors)
    with target.open(encoding="utf-8-sig") as fh:
        rows = list(csv.reader(fh))
    assert rows[1][:6] == ["2", "H7", "唐俊", "与户主关系", "relation", "bad_choice"]


def test_an_errors_report_of_the_old_layout_still_reads(tmp_path: Path) -> None:
    target = tmp_path / "old.csv"
    target.write_text(
        "行号 line,列 column,代码 code,说明 message\n3,sex,bad_choice,性别无效：X\n",
        encoding="utf-8-sig",
    )
    (error,) = read_errors(target, limit=10)
    assert (error.line, error.column, error.code) == (3, "sex", "bad_choice")


def test_a_missing_required_column_is_named_in_chinese(write_csv: Callable[..., Path]) -> None:
    from tuopin.registry.errors import BadRegistryFile

    with pytest.raises(BadRegistryFile) as exc:
        run(write_csv([["H1", "甲"]], header=["户编号", "姓名"]))
    assert "证件号码" in exc.value.message


def test_a_reimport_counts_unchanged_households_and_people(
    write_csv: Callable[..., Path],
) -> None:
    run(
        write_csv(
            [
                person_row("H1", "唐俊", seq=12),
                person_row("H1", "朱明", seq=31, relation="配偶"),
                person_row("H2", "王强", seq=41),
            ]
        )
    )
    report = run(
        write_csv(
            [
                person_row("H1", "唐俊", seq=12),
                person_row("H1", "朱明", seq=31, relation="配偶"),
                person_row("H2", "王刚", seq=41),  # renamed: H2 and its head are updated
            ],
            name="again.csv",
        )
    )
    d = report.as_dict()
    assert (d["households_unchanged"], d["people_unchanged"]) == (1, 2)


def test_a_reimport_does_not_count_an_updated_household_as_unchanged(
    write_csv: Callable[..., Path],
) -> None:
    run(write_csv([person_row("H2", "王强", seq=41)]))
    report = run(write_csv([person_row("H2", "王刚", seq=41)], name="again.csv"))
    d = report.as_dict()
    assert (d["households_updated"], d["households_unchanged"], d["people_unchanged"]) == (1, 0, 0)


def test_a_row_without_a_household_number_still_names_the_person(
    write_csv: Callable[..., Path],
) -> None:
    row = person_row("", "唐俊", seq=11)
    error = one_error(run(write_csv([row], header=CHINESE_HEADER)))
    assert (error.household_no, error.name, error.header) == ("", "唐俊", "户编号")
