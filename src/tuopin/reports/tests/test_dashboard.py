"""The dashboard: indicators against brute-force counts, periods, scoping, export."""

from __future__ import annotations

import csv
import io

import pytest
from django.utils import timezone

from tuopin.areas.errors import AreaNotFound
from tuopin.conftest import COUNTY, TOWNSHIP, VILLAGE_A, VILLAGE_B
from tuopin.core import indicators, periods
from tuopin.core.errors import PermissionDenied
from tuopin.core.indicators import ITEMS, Indicator
from tuopin.registry import services as registry
from tuopin.registry.models import Household, StatusChange
from tuopin.reports import dashboard


def _card(board: dashboard.Dashboard, code: str) -> dashboard.Card:
    return next(c for c in board.cards if c.indicator.code == code)


def test_it_counts_households_as_a_brute_force_count_does(households, operator) -> None:  # type: ignore[no-untyped-def]
    board = dashboard.dashboard(operator, area_code=None, period_text=None)
    assert board.area is None
    assert _card(board, "registry.households").value == Household.objects.count() == 4
    by_province = {r.code[:2]: r.values.get("registry.households", 0) for r in board.children}
    brute = {}
    for h in Household.objects.all():
        brute[h.village_id[:2]] = brute.get(h.village_id[:2], 0) + 1
    assert {k: v for k, v in by_province.items() if v} == brute


def test_a_cadre_sees_their_village_by_default(households, cadre_a) -> None:  # type: ignore[no-untyped-def]
    board = dashboard.dashboard(cadre_a, area_code=None, period_text=None)
    assert board.area.code == VILLAGE_A
    assert _card(board, "registry.households").value == 2
    assert board.children == []


def test_another_village_looks_like_no_area_at_all(households, cadre_a) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(AreaNotFound):
        dashboard.dashboard(cadre_a, area_code=VILLAGE_B, period_text=None)
    with pytest.raises(AreaNotFound):  # nor the whole country
        dashboard.dashboard(cadre_a, area_code="", period_text=None)


def test_a_county_officer_drills_down_to_the_townships(households, county_officer) -> None:  # type: ignore[no-untyped-def]
    board = dashboard.dashboard(county_officer, area_code=COUNTY, period_text=None)
    [row] = [r for r in board.children if r.code == TOWNSHIP]
    assert row.values["registry.households"] == 3 and row.drill


def test_lifting_counts_in_its_period_only(households, county_officer) -> None:  # type: ignore[no-untyped-def]
    registry.change_status(
        household=Household.objects.get(household_no="A001"),
        to_status="lifted",
        year=2025,
        reason="收入达标",
        by=county_officer,
    )
    now = periods.containing(timezone.localdate(), periods.MONTH)
    board = dashboard.dashboard(county_officer, area_code=COUNTY, period_text=now.code)
    card = _card(board, "registry.lifted")
    lifted = StatusChange.objects.filter(
        to_status="lifted", household__village__code__startswith="422823"
    )
    assert lifted.count() == 2  # A002 came lifted in the import, A001 now
    assert (card.value, card.previous, card.change) == (2, 0, None)
    people = sum(c.household.member_count for c in lifted)
    assert _card(board, "registry.lifted_people").value == people == 4
    before = dashboard.dashboard(county_officer, area_code=COUNTY, period_text=now.previous.code)
    assert _card(before, "registry.lifted").value == 0


def test_an_observer_sees_the_public_indicators_only(households, observer, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    private = Indicator(
        "test.private", "内部", ITEMS, flow=True, public=False,
        group=lambda p, w, s, e: {"": 1}, direction="test", areal=False,
    )  # fmt: skip
    monkeypatch.setitem(indicators._registry, private.code, private)
    board = dashboard.dashboard(observer, area_code=None, period_text=None)
    codes = {c.indicator.code for c in board.cards}
    assert "registry.households" in codes and "test.private" not in codes
    assert board.public_only


def test_a_donor_may_not_open_the_dashboard(donor) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(PermissionDenied):
        dashboard.dashboard(donor, area_code=None, period_text=None)


def test_a_bad_period_is_refused_with_the_forms_it_takes(client, households, operator) -> None:  # type: ignore[no-untyped-def]
    client.force_login(operator)
    page = client.get("/dashboard/", {"period": "2018-13"})
    assert page.status_code == 400 and "2018H1" in page.content.decode()


def test_the_page_shows_cards_and_the_children(client, households, county_officer) -> None:  # type: ignore[no-untyped-def]
    client.force_login(county_officer)
    html = client.get("/dashboard/").content.decode()
    assert "建档立卡户" in html and "环比" in html and f"area={TOWNSHIP}" in html


def test_the_csv_export_has_a_row_per_child_and_a_total(client, households, county_officer) -> None:  # type: ignore[no-untyped-def]
    client.force_login(county_officer)
    body = client.get("/dashboard/export.csv", {"area": COUNTY}).content.decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(body)))
    header = rows[0]
    col = header.index("建档立卡户（户）")
    total = rows[-1]
    assert total[0] == COUNTY and total[col] == "3"
    assert sum(int(r[col]) for r in rows[1:-1]) == 3


def test_the_api_gives_the_same_cards(client, households, county_officer) -> None:  # type: ignore[no-untyped-def]
    client.force_login(county_officer)
    body = client.get("/api/v1/reports/dashboard", {"area": COUNTY}).json()
    cards = {c["code"]: c["value"] for c in body["cards"]}
    assert body["area"] == COUNTY and cards["registry.households"] == 3
    assert {r["code"] for r in body["children"]} >= {TOWNSHIP}


def test_the_review_puts_overdue_field_reports_first(client, households, cadre_a) -> None:  # type: ignore[no-untyped-def]
    import datetime as dt

    from tuopin.casework.models import Submission
    from tuopin.casework.seed import seed_report_types
    from tuopin.casework.tests.factories import chicken, township_officer

    types = {t.slug: t for t in seed_report_types()}
    chicken(types, cadre_a)
    chicken(types, cadre_a, seed=2, household="A002")
    Submission.objects.filter(pk=Submission.objects.order_by("pk").first().pk).update(  # type: ignore[union-attr]
        due_at=timezone.now() - dt.timedelta(days=3)
    )
    client.force_login(township_officer())
    html = client.get("/review/").content.decode()
    overdue, waiting = html.index("逾期未审批的村情上报"), html.index("待我处理的村情上报")
    assert overdue < waiting


def test_the_summary_holds_what_the_live_queries_give(households, operator) -> None:  # type: ignore[no-untyped-def]
    from tuopin.reports import summaries

    live = dashboard.dashboard(operator, area_code=None, period_text=None)
    summaries.refresh(months=3)
    summed = dashboard.dashboard(operator, area_code=None, period_text=None)
    assert [(c.indicator.code, c.value, c.previous) for c in summed.cards] == [
        (c.indicator.code, c.value, c.previous) for c in live.cards
    ]
    assert [r.values for r in summed.children] == [r.values for r in live.children]


def test_the_national_view_reads_the_summary_and_a_county_reads_live(
    households, operator, county_officer
) -> None:  # type: ignore[no-untyped-def]
    from tuopin.reports import summaries

    summaries.refresh(months=1)
    registry.change_status(
        household=Household.objects.get(household_no="A001"),
        to_status="lifted",
        year=2025,
        reason="收入达标",
        by=county_officer,
    )
    national = dashboard.dashboard(operator, area_code=None, period_text=None)
    county = dashboard.dashboard(operator, area_code=COUNTY, period_text=None)
    assert _card(national, "registry.lifted").value == 1  # as summarised: A002 only
    assert _card(county, "registry.lifted").value == 2


@pytest.mark.parametrize("width", [2, 4, 6, 9, 12])
def test_every_indicator_adds_up_over_its_children(households, county_officer, width) -> None:  # type: ignore[no-untyped-def]
    registry.change_status(
        household=Household.objects.get(household_no="A001"),
        to_status="lifted",
        year=2025,
        reason="收入达标",
        by=county_officer,
    )
    month = periods.containing(timezone.localdate(), periods.MONTH)
    for ind in indicators.all_indicators():
        whole = sum(ind.group("", 2, month.start, month.end).values())
        parts = ind.group("", width, month.start, month.end)
        assert sum(parts.values()) == whole, ind.code
        if ind.areal and width == 12:
            assert all(len(k) == 12 for k in parts), ind.code
