"""应报村: a roster village that neither filed nor said it had nothing keeps its township and
county from approving the period; completeness on the inbox and over the API."""

from __future__ import annotations

import pytest
from django.core.management import call_command

from tuopin.casework import roster, services
from tuopin.casework.errors import BadDecision, BelowNotApproved, InvalidReport, NotYourTurn
from tuopin.casework.models import ReportingVillage
from tuopin.conftest import COUNTY, TOWNSHIP, VILLAGE_A, VILLAGE_B, VILLAGE_C
from tuopin.core.errors import PermissionDenied

from .factories import JUNE, chicken


@pytest.fixture
def both(types, operator):  # type: ignore[no-untyped-def]
    roster.set_roster(
        report_type=types["black-chicken"], village_codes=[VILLAGE_A, VILLAGE_B], by=operator
    )
    return types["black-chicken"]


def test_it_refuses_a_township_while_a_roster_village_has_not_reported(
    both, households, cadre_a, township
) -> None:  # type: ignore[no-untyped-def]
    chicken({"black-chicken": both}, cadre_a)
    with pytest.raises(BelowNotApproved) as e:
        services.approve_area(report_type=both, period_start=JUNE, area_code=TOWNSHIP, by=township)
    assert "红岩村" in e.value.message and e.value.detail == {"missing": [VILLAGE_B]}


def test_a_nil_return_stands_for_a_report(both, households, cadre_a, cadre_b, township) -> None:  # type: ignore[no-untyped-def]
    a = chicken({"black-chicken": both}, cadre_a)
    roster.declare_nothing(
        report_type=both, village=VILLAGE_B, reason="本月无存栏", period=JUNE, by=cadre_b
    )
    done = services.approve_area(
        report_type=both, period_start=JUNE, area_code=TOWNSHIP, by=township
    )
    assert [s.pk for s in done] == [a.pk]


def test_a_rejected_report_leaves_its_village_unreported(
    both, households, cadre_a, township
) -> None:  # type: ignore[no-untyped-def]
    a = chicken({"black-chicken": both}, cadre_a)
    assert roster.missing(both, JUNE, COUNTY) == [VILLAGE_B]
    services.decide(submission=a, action="reject", comment="照片不符", by=township)
    assert roster.missing(both, JUNE, COUNTY) == [VILLAGE_A, VILLAGE_B]


def test_without_a_roster_nothing_is_missing(types, households, cadre_a) -> None:  # type: ignore[no-untyped-def]
    chicken(types, cadre_a)
    done = roster.completeness(types["black-chicken"], JUNE, COUNTY)
    assert (done.expected, done.missing) == (0, [])


def test_it_refuses_a_nil_return_once_the_village_has_filed(both, households, cadre_a) -> None:  # type: ignore[no-untyped-def]
    chicken({"black-chicken": both}, cadre_a)
    with pytest.raises(BadDecision):
        roster.declare_nothing(
            report_type=both, village=VILLAGE_A, reason="无", period=JUNE, by=cadre_a
        )


def test_it_refuses_a_nil_return_for_another_village_or_off_the_roster(
    types, both, cadre_a, operator
) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(NotYourTurn):
        roster.declare_nothing(
            report_type=both, village=VILLAGE_B, reason="无", period=JUNE, by=cadre_a
        )
    roster.set_roster(report_type=both, village_codes=[VILLAGE_B], by=operator)
    with pytest.raises(BadDecision):
        roster.declare_nothing(
            report_type=both, village=VILLAGE_A, reason="无", period=JUNE, by=cadre_a
        )
    with pytest.raises(BadDecision):  # a one-off case has no roster
        roster.declare_nothing(
            report_type=types["poor-student"], village=VILLAGE_A, reason="无", by=cadre_a
        )


def test_it_refuses_a_roster_with_an_unknown_village_and_keeps_the_old_one(both, operator) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(InvalidReport) as e:
        roster.set_roster(report_type=both, village_codes=[VILLAGE_C, "422823101999"], by=operator)
    assert e.value.detail == {"unknown": ["422823101999"]}
    assert set(ReportingVillage.objects.values_list("area_id", flat=True)) == {
        VILLAGE_A,
        VILLAGE_B,
    }


def test_only_an_operator_sets_a_roster(types, cadre_a, township) -> None:  # type: ignore[no-untyped-def]
    for user in (cadre_a, township):
        with pytest.raises(PermissionDenied):
            roster.set_roster(
                report_type=types["black-chicken"], village_codes=[VILLAGE_A], by=user
            )


def test_the_command_sets_every_village_under_a_township(types, operator) -> None:  # type: ignore[no-untyped-def]
    call_command("casework", "roster", "black-chicken", TOWNSHIP, user=operator.username)
    assert set(ReportingVillage.objects.values_list("area_id", flat=True)) == {
        VILLAGE_A,
        VILLAGE_B,
    }


def test_the_inbox_shows_how_many_roster_villages_reported(
    client, both, households, cadre_a, township
) -> None:  # type: ignore[no-untyped-def]
    chicken({"black-chicken": both}, cadre_a)
    client.force_login(township)
    html = client.get("/casework/inbox/").content.decode()
    assert "应报村已报 1 / 2" in html and "红岩村" in html


def test_a_cadre_says_nothing_to_report_from_the_start_page(
    client, both, households, cadre_b
) -> None:  # type: ignore[no-untyped-def]
    client.force_login(cadre_b)
    assert 'action="/casework/nothing/"' in client.get("/casework/").content.decode()
    client.post(
        "/casework/nothing/",
        {"type": "black-chicken", "village": VILLAGE_B, "reason": "本月无存栏"},
    )
    page = client.get("/casework/").content.decode()
    assert "已申报本期无上报" in page and 'action="/casework/nothing/"' not in page


def test_the_api_gives_completeness_in_scope_and_not_found_outside(
    client, both, households, cadre_a, cadre_b
) -> None:  # type: ignore[no-untyped-def]
    chicken({"black-chicken": both}, cadre_a)
    client.force_login(cadre_a)
    url = "/api/v1/casework/completeness/black-chicken"
    mine = client.get(url, {"area": VILLAGE_A, "period": "2018-06"}).json()
    assert (mine["expected"], mine["reported"], mine["missing"]) == (1, 1, [])
    other = client.get(url, {"area": VILLAGE_B, "period": "2018-06"})
    assert other.status_code == 404
