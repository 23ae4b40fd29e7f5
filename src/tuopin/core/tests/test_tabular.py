"""Reading CSV in every encoding people send, and XLSX."""

from pathlib import Path

import pytest
from openpyxl import Workbook

from tuopin.core.tabular import UnreadableFile, detect_encoding, open_table

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
