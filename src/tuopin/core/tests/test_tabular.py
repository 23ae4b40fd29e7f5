"""Reading CSV in every encoding people send, and XLSX; refusing hostile files."""

import csv
import re
import zipfile
from collections.abc import Callable
from pathlib import Path

import pytest
from openpyxl import Workbook

from tuopin.core.imports import RowError, write_errors
from tuopin.core.tabular import (
    Limits,
    TableTooLarge,
    UnreadableFile,
    detect_encoding,
    neutralise,
    neutralise_row,
    open_table,
)

ROWS = [["户编号", "姓名"], ["A001", "唐俊"], ["A002", "王强"]]


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "gb18030", "gbk"])
def test_csv_in_each_encoding_reads_the_same(tmp_path: Path, encoding: str) -> None:
    path = tmp_path / "f.csv"
    path.write_text("\n".join(",".join(r) for r in ROWS) + "\n", encoding=encoding)
    table = open_table(path)
    assert table.header == ROWS[0]
    assert [v for _line, v in table.rows] == ROWS[1:]


def test_gbk_is_read_as_gb18030_and_bom_is_recognised() -> None:
    assert detect_encoding("户编号,姓名\n唐俊".encode("gbk")) == "gb18030"
    assert detect_encoding(b"\xef\xbb\xbfa,b") == "utf-8-sig"


def test_xlsx_rows_keep_their_line_numbers(tmp_path: Path) -> None:
    wb = Workbook()
    ws = wb.active
    for row in ROWS:
        ws.append(row)
    ws.append([None, None])  # blank rows are skipped, numbering stays true
    ws.append(["A003", 12345.0])
    path = tmp_path / "f.xlsx"
    wb.save(path)
    table = open_table(path)
    assert table.header == ROWS[0]
    assert list(table.rows) == [
        (2, ["A001", "唐俊"]),
        (3, ["A002", "王强"]),
        (5, ["A003", "12345"]),
    ]


def test_missing_or_binary_files_are_unreadable(tmp_path: Path) -> None:
    with pytest.raises(UnreadableFile):
        open_table(tmp_path / "nope.csv")
    bad = tmp_path / "bad.csv"
    bad.write_bytes(b"\x00\x01\x02garbage")
    with pytest.raises(UnreadableFile):
        open_table(bad)
    empty = tmp_path / "empty.csv"
    empty.write_text("")
    with pytest.raises(UnreadableFile):
        open_table(empty)


# -- hostile files: each is refused (or read as it really is) without trusting what it says --


def _xlsx(path: Path, rows: list[list[object]]) -> Path:
    wb = Workbook()
    ws = wb.active
    for row in rows:
        ws.append(row)
    wb.save(path)
    return path


def _rewrite_sheet(path: Path, change: Callable[[str], str]) -> None:
    """Rewrite the first sheet's XML inside the zip, as a hand-made hostile file would."""
    with zipfile.ZipFile(path) as zf:
        parts = {i.filename: zf.read(i.filename) for i in zf.infolist()}
    sheet = "xl/worksheets/sheet1.xml"
    parts[sheet] = change(parts[sheet].decode()).encode()
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as zf:
        for name, data in parts.items():
            zf.writestr(name, data)


def _renumber_last_row(xml: str, to: int) -> str:
    return re.sub(r'(<row r=")3(")', rf"\g<1>{to}\2", xml).replace('3" t=', f'{to}" t=')


def test_an_xlsx_claiming_a_huge_dimension_is_read_as_it_really_is(tmp_path: Path) -> None:
    path = _xlsx(tmp_path / "f.xlsx", ROWS)

    def hostile(xml: str) -> str:
        # A 4.8 KB file that claims A1:XFD1048576 and has its last row at the bottom.
        xml = re.sub(r'<dimension ref="[^"]*"', '<dimension ref="A1:XFD1048576"', xml)
        return _renumber_last_row(xml, 1_048_576)

    _rewrite_sheet(path, hostile)
    # Even where the column limit would allow 16,384 columns, none are made up.
    table = open_table(path, Limits(max_columns=16_384))
    assert table.header == ROWS[0]
    assert next(table.rows) == (2, ["A001", "唐俊"])
    assert list(table.rows) == [(1_048_576, ["A002", "王强"])]


def test_an_xlsx_row_numbered_past_excel_is_refused(tmp_path: Path) -> None:
    path = _xlsx(tmp_path / "f.xlsx", ROWS)
    _rewrite_sheet(path, lambda xml: _renumber_last_row(xml, 2_000_000))
    table = open_table(path)
    assert next(table.rows) == (2, ["A001", "唐俊"])
    with pytest.raises(TableTooLarge) as exc:
        next(table.rows)
    assert exc.value.code == "too_many_rows"


def test_a_csv_line_longer_than_the_limit_is_refused_after_reading_the_limit(
    tmp_path: Path,
) -> None:
    path = tmp_path / "long.csv"
    path.write_text("户编号," + "x" * 3_000_000, encoding="utf-8")  # one line, no break
    with pytest.raises(TableTooLarge) as exc:
        open_table(path, Limits(max_line_chars=1_000_000))
    assert (exc.value.code, exc.value.detail["line"]) == ("line_too_long", 1)


def test_a_csv_field_over_128k_is_a_refusal_naming_its_line(tmp_path: Path) -> None:
    path = tmp_path / "field.csv"
    # A quoted field spread over many short lines passes the line limit, not the field limit.
    field = "\n".join(["y" * 1000] * 200)
    path.write_text(f'户编号,姓名\nA001,"{field}"\n', encoding="utf-8")
    table = open_table(path, Limits(max_cell_chars=131_072))
    with pytest.raises(TableTooLarge) as exc:
        list(table.rows)
    assert exc.value.code == "cell_too_long"


def test_a_cell_longer_than_the_limit_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "cell.csv"
    path.write_text("户编号,姓名\nA001,唐俊\nA002," + "z" * 5000 + "\n", encoding="utf-8")
    table = open_table(path, Limits(max_cell_chars=4096))
    assert next(table.rows) == (2, ["A001", "唐俊"])
    with pytest.raises(TableTooLarge) as exc:
        next(table.rows)
    assert (exc.value.code, exc.value.detail["line"]) == ("cell_too_long", 3)


def test_too_many_columns_are_refused_in_csv_and_xlsx(tmp_path: Path) -> None:
    wide = [f"c{i}" for i in range(300)]
    path = tmp_path / "wide.csv"
    path.write_text(",".join(wide) + "\n", encoding="utf-8")
    with pytest.raises(TableTooLarge) as exc:
        open_table(path, Limits(max_columns=256))
    assert exc.value.code == "too_many_columns"
    xlsx = _xlsx(tmp_path / "wide.xlsx", [["a", "b"], ["1", *wide]])
    table = open_table(xlsx, Limits(max_columns=256))
    with pytest.raises(TableTooLarge) as exc:
        list(table.rows)
    assert exc.value.code == "too_many_columns"


def test_empty_cells_far_to_the_right_do_not_count_as_columns(tmp_path: Path) -> None:
    path = tmp_path / "f.csv"
    path.write_text("户编号,姓名" + "," * 400 + "\nA001,唐俊\n", encoding="utf-8")
    table = open_table(path, Limits(max_columns=256))
    assert table.header == ["户编号", "姓名"]


def test_more_rows_than_the_limit_are_refused(tmp_path: Path) -> None:
    path = tmp_path / "rows.csv"
    path.write_text("户编号\n" + "".join(f"A{i}\n" for i in range(5)), encoding="utf-8")
    table = open_table(path, Limits(max_rows=3))
    with pytest.raises(TableTooLarge) as exc:
        list(table.rows)
    assert exc.value.code == "too_many_rows"


def test_a_file_over_the_byte_limit_is_refused_before_reading(tmp_path: Path) -> None:
    path = tmp_path / "big.csv"
    path.write_text("户编号\n" + "A001\n" * 1000, encoding="utf-8")
    with pytest.raises(TableTooLarge) as exc:
        open_table(path, Limits(max_bytes=1000))
    assert exc.value.code == "file_too_large"


def test_an_xlsx_whose_shared_strings_inflate_past_the_limit_is_refused(tmp_path: Path) -> None:
    path = _xlsx(tmp_path / "s.xlsx", ROWS)
    strings = "<sst>" + "<si><t>x</t></si>" * 5000 + "</sst>"  # compresses to a few hundred bytes
    with zipfile.ZipFile(path, "a", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("xl/sharedStrings.xml", strings)
    with pytest.raises(TableTooLarge) as exc:
        open_table(path, Limits(max_shared_strings_bytes=10_000))
    assert exc.value.code == "shared_strings_too_large"


def test_a_zip_bomb_is_refused_by_its_uncompressed_size(tmp_path: Path) -> None:
    path = _xlsx(tmp_path / "b.xlsx", ROWS)
    with zipfile.ZipFile(path, "a", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("xl/media/padding.bin", b"\0" * 5_000_000)  # a few KB compressed
    assert path.stat().st_size < 100_000
    with pytest.raises(TableTooLarge) as exc:
        open_table(path, Limits(max_unzipped_bytes=1_000_000))
    assert exc.value.code == "xlsx_too_large"


def test_the_command_line_limits_drop_only_the_size_limits() -> None:
    cli = Limits(max_bytes=10, max_rows=10).for_command_line()
    assert (cli.max_bytes, cli.max_rows, cli.max_unzipped_bytes) == (None, None, None)
    assert (cli.max_columns, cli.max_cell_chars) == (Limits().max_columns, Limits().max_cell_chars)


# -- writing: no exported cell is run as a formula -------------------------------------------


@pytest.mark.parametrize("text", ["=1+1", "+1", "-1", "@SUM(A1)", "\t=1", "\r=1"])
def test_a_cell_a_spreadsheet_would_run_is_written_as_text(text: str) -> None:
    assert neutralise(text) == "'" + text


def test_ordinary_cells_and_numbers_are_written_unchanged() -> None:
    assert neutralise_row(["唐俊", "a=b", 12, -5, None]) == ["唐俊", "a=b", 12, -5, None]


def test_a_report_of_rejected_rows_neutralises_what_the_file_said(tmp_path: Path) -> None:
    path = tmp_path / "errors.csv"
    write_errors(path, [RowError(2, "sex", "bad_choice", '=HYPERLINK("http://x")')])
    rows = list(csv.reader(path.open(encoding="utf-8-sig")))
    assert rows[1] == ["2", "", "", "sex", "sex", "bad_choice", '\'=HYPERLINK("http://x")']


def test_a_refusal_reads_in_english_on_english_pages(tmp_path: Path) -> None:
    from django.utils import translation

    path = tmp_path / "big.csv"
    path.write_text("户编号\n" + "A001\n" * 1000, encoding="utf-8")
    with translation.override("en"), pytest.raises(TableTooLarge) as exc:
        open_table(path, Limits(max_bytes=1000))
    assert exc.value.message.startswith("The file is too large")


def test_a_member_that_inflates_like_a_bomb_is_refused_whatever_the_total(
    tmp_path: Path,
) -> None:
    path = _xlsx(tmp_path / "b.xlsx", ROWS)
    with zipfile.ZipFile(path, "a", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("xl/media/one-cell.xml", b"A" * 40_000_000)  # ~40 KB deflated: 1000x
    with pytest.raises(TableTooLarge) as exc:
        open_table(path, Limits(max_unzipped_bytes=None))
    assert exc.value.detail == {"member": "xl/media/one-cell.xml"}


def test_purging_with_no_uploads_yet_deletes_nothing(settings, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    from tuopin.core.uploads import purge_uploads

    settings.MEDIA_ROOT = tmp_path / "never-created"
    assert purge_uploads() == 0


def test_purging_leaves_files_outside_the_transient_folders(settings, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    import os

    from tuopin.core.uploads import purge_uploads

    settings.MEDIA_ROOT = tmp_path
    old = 0  # 1970: far past any retention period
    for folder in ("uploads", "claims"):
        (tmp_path / folder).mkdir()
        (tmp_path / folder / "f.bin").write_bytes(b"x")
        os.utime(tmp_path / folder / "f.bin", (old, old))
    assert purge_uploads() == 1
    assert not (tmp_path / "uploads" / "f.bin").exists()
    assert (tmp_path / "claims" / "f.bin").exists()  # evidence is kept for good
