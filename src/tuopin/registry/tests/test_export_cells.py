"""The registry export writes what people typed as text, never as a formula (CSV and XLSX)."""

from __future__ import annotations

import csv
from collections.abc import Callable
from pathlib import Path

import pytest
from django.test import Client
from openpyxl import load_workbook

from tuopin.conftest import person_row
from tuopin.registry import services

pytestmark = pytest.mark.usefixtures("area_tree")


@pytest.fixture
def formula_name(write_csv: Callable[..., Path]) -> str:
    name = "=HYPERLINK(1)"
    report = services.import_registry(path=write_csv([person_row("H1", name, seq=11)]))
    assert report.errors == []
    return name


def test_the_csv_export_neutralises_a_formula(
    formula_name: str,
    county_officer,  # type: ignore[no-untyped-def]
    tmp_path: Path,
) -> None:
    path = tmp_path / "out.csv"
    services.export_registry(user=county_officer, path=path)
    rows = list(csv.reader(path.open(encoding="utf-8-sig")))
    assert rows[1][7] == "'" + formula_name


def test_the_xlsx_export_writes_a_formula_as_text(
    formula_name: str,
    county_officer,  # type: ignore[no-untyped-def]
    tmp_path: Path,
) -> None:
    path = tmp_path / "out.xlsx"
    services.export_registry(user=county_officer, path=path)
    cell = load_workbook(path).active.cell(row=2, column=8)
    assert (cell.data_type, cell.value) == ("s", "'" + formula_name)


def test_the_export_page_neutralises_a_formula(
    formula_name: str,
    client: Client,
    county_officer,  # type: ignore[no-untyped-def]
) -> None:
    client.force_login(county_officer)
    response = client.get("/registry/households/export/")
    body = b"".join(response.streaming_content).decode("utf-8-sig")  # type: ignore[attr-defined]
    assert "'" + formula_name in body and "," + formula_name not in body
