from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from openpyxl import Workbook

from tuopin.commerce import salesimport
from tuopin.commerce.errors import DuplicateStatement
from tuopin.commerce.models import SalesLine, SalesStatement
from tuopin.core.errors import PermissionDenied

HEADER_ZH = "日期,渠道,商品编码,县代码,数量,金额\n"
HEADER_EN = "date,outlet_code,sku,county_code,qty,amount_yuan\n"


@pytest.fixture
def catalogue(product, tmall):  # type: ignore[no-untyped-def]
    return product


def write(tmp_path: Path, text: str, encoding: str = "utf-8", name: str = "s.csv") -> Path:
    path = tmp_path / name
    path.write_bytes(text.encode(encoding))
    return path


def test_it_imports_a_gbk_statement_with_chinese_headers(catalogue, operator, tmp_path):
    body = (
        HEADER_ZH
        + "2025-01-03,TMALL,BD-ORANGE,422823,5,149.50\n2025/1/4,天猫超市,巴东脐橙,,2,59.8\n"
    )
    report = salesimport.import_sales(path=write(tmp_path, body, "gbk"), by=operator)
    assert (report.total, report.accepted, report.errors) == (2, 2, [])
    assert sorted(SalesLine.objects.values_list("quantity", "amount_fen", "county_code")) == [
        (2, 5980, "422823000000"),
        (5, 14950, "422823000000"),
    ]


def test_it_imports_an_xlsx_statement_with_english_headers(catalogue, operator, tmp_path):
    wb = Workbook()
    ws = wb.active
    ws.append(HEADER_EN.strip().split(","))
    cell = dt.datetime(2025, 2, 1)  # noqa: DTZ001 - a spreadsheet cell is naive
    ws.append([cell, "TMALL", "BD-ORANGE", "422823000000", 3, 89.7])
    path = tmp_path / "s.xlsx"
    wb.save(path)
    report = salesimport.import_sales(path=path, by=operator)
    assert report.accepted == 1
    assert SalesLine.objects.get().amount_fen == 8970


def test_the_same_statement_twice_is_refused_and_counted_once(catalogue, operator, tmp_path):
    path = write(tmp_path, HEADER_ZH + "2025-01-03,TMALL,BD-ORANGE,,5,149.50\n")
    salesimport.import_sales(path=path, by=operator)
    with pytest.raises(DuplicateStatement):
        salesimport.import_sales(path=path, by=operator)
    assert SalesLine.objects.count() == 1
    assert SalesStatement.objects.count() == 1


@pytest.mark.parametrize(
    ("row", "code"),
    [
        ("2025-13-03,TMALL,BD-ORANGE,,5,1", "bad_date"),
        ("2025-01-03,JD,BD-ORANGE,,5,1", "unknown_outlet"),
        ("2025-01-03,TMALL,NOPE,,5,1", "unknown_product"),
        ("2025-01-03,TMALL,BD-ORANGE,999999,5,1", "unknown_county"),
        ("2025-01-03,TMALL,BD-ORANGE,621102,5,1", "county_mismatch"),
        ("2025-01-03,TMALL,BD-ORANGE,,五,1", "bad_quantity"),
        ("2025-01-03,TMALL,BD-ORANGE,,5,1.234", "bad_amount"),
        ("2025-01-03,,BD-ORANGE,,5,1", "missing_value"),
    ],
)
def test_every_rejected_line_is_reported_and_the_rest_kept(
    catalogue, operator, tmp_path, row, code
):
    body = HEADER_ZH + "2025-01-03,TMALL,BD-ORANGE,,1,10\n" + row + "\n"
    report = salesimport.import_sales(path=write(tmp_path, body), by=operator)
    assert report.accepted == 1
    assert [(e.line, e.code) for e in report.errors] == [(3, code)]
    assert SalesStatement.objects.get().rejected == 1


def test_a_file_without_the_columns_is_refused_whole(catalogue, operator, tmp_path):
    from tuopin.core.tabular import UnreadableFile

    with pytest.raises(UnreadableFile):
        salesimport.import_sales(path=write(tmp_path, "日期,数量\n2025-01-01,1\n"), by=operator)
    assert not SalesStatement.objects.exists()


def test_a_supplier_account_cannot_import_statements(catalogue, supplier_user, tmp_path):
    with pytest.raises(PermissionDenied):
        salesimport.import_sales(path=write(tmp_path, HEADER_ZH), by=supplier_user)


def test_the_command_imports_and_writes_the_rejections(catalogue, operator, tmp_path, capsys):
    path = write(tmp_path, HEADER_ZH + "2025-01-03,TMALL,BD-ORANGE,,5,1\n2025-01-03,X,Y,,1,1\n")
    out = tmp_path / "errors.csv"
    call_command(
        "commerce",
        "import-sales",
        str(path),
        "--user",
        "operator",
        "--errors",
        str(out),
        "--no-progress",
    )
    assert "导入 1 行，拒绝 1 行" in capsys.readouterr().out
    assert "unknown_outlet" in out.read_text(encoding="utf-8-sig")
    with pytest.raises(CommandError):
        call_command("commerce", "import-sales", str(path), "--user", "operator", "--no-progress")
