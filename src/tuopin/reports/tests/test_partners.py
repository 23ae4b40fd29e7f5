"""Partner figures: every bad line reported, the rest kept; the same file twice refused; a
recorded figure never overwritten silently; each import on the ledger; shown on dashboards."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tuopin.conftest import COUNTY
from tuopin.core.errors import PermissionDenied
from tuopin.ledger.models import Entry
from tuopin.reports import dashboard, partners
from tuopin.reports.models import PartnerFigure, PartnerIndicator

HEADER = "指标,区划,报告期,数值,来源\n"


@pytest.fixture
def loans(db: None) -> PartnerIndicator:
    return PartnerIndicator.objects.create(code="bank-loans", name="贫困县贷款", unit="fen")


@pytest.fixture
def visits(db: None) -> PartnerIndicator:
    return PartnerIndicator.objects.create(code="staff-visits", name="员工走访人次", unit="person")


def _file(tmp_path: Path, body: str, name: str = "p.csv") -> Path:
    path = tmp_path / name
    path.write_text(HEADER + body, encoding="utf-8")
    return path


def test_it_keeps_good_lines_and_reports_each_bad_one(
    tmp_path, area_tree, operator, loans, visits
) -> None:  # type: ignore[no-untyped-def]
    body = (
        f'bank-loans,{COUNTY},2018H1,"1,200.50",网商银行\n'
        "staff-visits,全国,2018H1,1000,钉钉\n"
        "unknown,全国,2018H1,1,x\n"
        "registry.households,全国,2018H1,1,x\n"
        "staff-visits,422823199000,2018H1,1,x\n"
        "staff-visits,全国,2018H3,1,x\n"
        "staff-visits,全国,2018Q1,-5,x\n"
        "staff-visits,全国,2018H1,1000,钉钉\n"
    )
    result = partners.import_partner_figures(path=_file(tmp_path, body), by=operator)
    codes = [(e.line, e.code) for e in result.errors]
    assert codes == [
        (4, "unknown_indicator"),
        (5, "computed_indicator"),
        (6, "unknown_area"),
        (7, "bad_period"),
        (8, "negative_value"),
        (9, "duplicate_line"),
    ]
    assert PartnerFigure.objects.get(indicator=loans).value == 120_050  # fen
    assert result.imported.accepted == 2 and result.imported.rejected == 6


def test_the_same_file_twice_is_refused(tmp_path, area_tree, operator, visits) -> None:  # type: ignore[no-untyped-def]
    path = _file(tmp_path, "staff-visits,全国,2018H1,10,钉钉\n")
    partners.import_partner_figures(path=path, by=operator)
    with pytest.raises(partners.AlreadyImported):
        partners.import_partner_figures(path=path, by=operator)
    assert PartnerFigure.objects.count() == 1


def test_a_recorded_figure_is_replaced_only_when_asked(
    tmp_path, area_tree, operator, visits
) -> None:  # type: ignore[no-untyped-def]
    partners.import_partner_figures(
        path=_file(tmp_path, "staff-visits,全国,2018H1,10,钉钉\n", "a.csv"), by=operator
    )
    second = _file(tmp_path, "staff-visits,全国,2018H1,12,钉钉更正\n", "b.csv")
    refused = partners.import_partner_figures(path=second, by=operator)
    assert [e.code for e in refused.errors] == ["already_recorded"]
    assert PartnerFigure.objects.get().value == 10
    third = _file(tmp_path, "staff-visits,全国,2018H1,12,钉钉更正\n\n", "c.csv")
    replaced = partners.import_partner_figures(path=third, by=operator, replace=True)
    assert [(r.old, r.new) for r in replaced.replaced] == [(10, 12)]
    assert PartnerFigure.objects.get().value == 12


def test_each_import_is_a_ledger_entry_without_the_figures_owners(
    tmp_path, area_tree, operator, visits
) -> None:  # type: ignore[no-untyped-def]
    result = partners.import_partner_figures(
        path=_file(tmp_path, "staff-visits,全国,2018H1,10,钉钉\n"), by=operator
    )
    body = json.loads(bytes(Entry.objects.get(index=result.imported.ledger_index).data))
    assert body["subject"] == "reports.partner_import" and body["accepted"] == 1
    assert body["indicators"] == ["staff-visits"]


def test_only_an_operator_imports(tmp_path, area_tree, county_officer, visits) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(PermissionDenied):
        partners.import_partner_figures(
            path=_file(tmp_path, "staff-visits,全国,2018H1,10,钉钉\n"), by=county_officer
        )


def test_the_dashboard_shows_a_partner_figure_in_its_period(
    tmp_path, households, operator, loans
) -> None:  # type: ignore[no-untyped-def]
    partners.import_partner_figures(
        path=_file(tmp_path, f"bank-loans,{COUNTY},2018H1,500,网商银行\n"), by=operator
    )
    half = dashboard.dashboard(operator, area_code=None, period_text="2018H1")
    [card] = [c for c in half.cards if c.indicator.code == "partner.bank-loans"]
    assert card.value == 50_000
    month = dashboard.dashboard(operator, area_code=None, period_text="2018-03")
    [card] = [c for c in month.cards if c.indicator.code == "partner.bank-loans"]
    assert card.value == 0  # a half-year figure is not split into months
