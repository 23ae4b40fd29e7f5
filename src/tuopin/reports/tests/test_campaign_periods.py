"""The public campaign page says which insurance period its counts belong to, lets a visitor
pick another, and shows premiums paid beyond the money raised with the operator's reason."""

from __future__ import annotations

import datetime as dt

from django.test import Client

from tuopin.charity.models import Campaign
from tuopin.insurance import services as insurance
from tuopin.insurance.models import Programme
from tuopin.reports import selectors

from .test_campaign import PERIOD, funded  # noqa: F401 - the shared fixture

NEXT = PERIOD.replace(year=PERIOD.year + 1)
REASON = "基金会理事会批准：先垫付下一年度保费"


def enroll_next_year_on_override() -> None:
    """Next year's premiums cost far more than the campaign has left: an override pays."""
    Programme.objects.filter(slug="dlz").update(
        ends_on=NEXT.replace(month=12, day=31), premium_fen=500_000
    )
    insurance.enroll(programme_slug="dlz", period_start=NEXT, override_reason=REASON)


def period(start: dt.date, people: int = 1) -> selectors.Period:
    return selectors.Period(start, start.replace(month=12, day=31), people, 0)


def test_it_defaults_to_the_period_running_today() -> None:
    periods = [period(NEXT), period(PERIOD)]
    chosen = selectors.choose_period(periods, None, today=PERIOD.replace(month=6))
    assert chosen is not None and chosen.start == PERIOD


def test_it_shows_the_period_asked_for() -> None:
    periods = [period(NEXT), period(PERIOD)]
    chosen = selectors.choose_period(periods, NEXT, today=PERIOD.replace(month=6))
    assert chosen is not None and chosen.start == NEXT


def test_it_ignores_a_period_the_campaign_never_paid_for() -> None:
    periods = [period(PERIOD)]
    chosen = selectors.choose_period(periods, dt.date(2001, 1, 1), today=PERIOD)
    assert chosen is not None and chosen.start == PERIOD


def test_before_any_period_starts_it_shows_the_first_to_come() -> None:
    periods = [period(NEXT), period(PERIOD)]
    chosen = selectors.choose_period(periods, None, today=PERIOD - dt.timedelta(days=30))
    assert chosen is not None and chosen.start == PERIOD


def test_enrolling_next_year_does_not_move_todays_count(funded: Campaign) -> None:  # noqa: F811
    before = selectors.campaign_overview(funded).insured
    enroll_next_year_on_override()
    o = selectors.campaign_overview(funded)
    assert o.period is not None and o.period.start == PERIOD
    assert o.insured == before == 6
    assert [p.start for p in o.periods] == [NEXT, PERIOD]


def test_a_visitor_can_pick_next_years_period(funded: Campaign) -> None:  # noqa: F811
    enroll_next_year_on_override()
    body = Client().get("/campaigns/dlz/", {"period": NEXT.isoformat()}).content.decode()
    assert f'<option value="{NEXT:%Y-%m-%d}" selected>' in body
    assert f"{NEXT:%Y-%m-%d} 至 {NEXT:%Y}-12-31" in body


def test_a_bad_period_in_the_address_shows_the_default_one(funded: Campaign) -> None:  # noqa: F811
    page = Client().get("/campaigns/dlz/", {"period": "not-a-date"})
    assert page.status_code == 200
    assert f"{PERIOD:%Y-%m-%d} 至 {PERIOD:%Y}-12-31" in page.content.decode()


def test_override_payments_are_shown_with_their_reason(funded: Campaign) -> None:  # noqa: F811
    enroll_next_year_on_override()
    o = selectors.campaign_overview(funded)
    assert [r.reason for r in o.overrides] == [REASON]
    assert o.shortfall_fen == o.funds["premiums_fen"] - o.funds["net_fen"] > 0
    body = Client().get("/campaigns/dlz/").content.decode()
    assert REASON in body and "超额支付" in body


def test_a_campaign_without_overrides_says_nothing_about_them(funded: Campaign) -> None:  # noqa: F811
    o = selectors.campaign_overview(funded)
    assert o.overrides == [] and o.shortfall_fen == 0
    assert "超额支付的保费" not in Client().get("/campaigns/dlz/").content.decode()


def test_the_public_api_carries_the_period_and_the_overrides(funded: Campaign) -> None:  # noqa: F811
    enroll_next_year_on_override()
    data = Client().get("/api/v1/public/campaigns/dlz", {"period": NEXT.isoformat()}).json()
    assert data["period"]["start"] == NEXT.isoformat()
    assert data["insured"] == data["period"]["people"] == 6
    assert data["overrides"][0]["reason"] == REASON and data["shortfall_fen"] > 0
