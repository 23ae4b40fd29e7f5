"""Programme progress for operators and observers: the list page's figures in a fixed number
of queries, checked at two sizes, and the figures right for each programme."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from tuopin.insurance import progress, services
from tuopin.insurance.models import CoverageItem, Policy, Programme

PERIOD = dt.date(timezone.localdate().year, 1, 1)


def add_programme(by, slug: str, *, min_age: int = 18, max_age: int = 60) -> Programme:  # type: ignore[no-untyped-def]
    """A programme set up and enrolled through the services, with one payout."""
    p = services.save_programme(
        by=by,
        programme=Programme(
            slug=slug,
            name=f"项目{slug}",
            sponsor="中国扶贫基金会",
            insurer="某保险",
            premium_fen=100,
            min_age=min_age,
            max_age=max_age,
            starts_on=PERIOD,
            ends_on=PERIOD.replace(month=12, day=31),
        ),
        counties=[],
        coverage=[
            CoverageItem(benefit="accident", per_claim_limit_fen=50_000, yearly_limit_fen=90_000)
        ],
    )
    services.enroll(programme_slug=slug, period_start=PERIOD)
    policy = Policy.objects.filter(programme=p).order_by("id").first()
    assert policy is not None
    services.record_payout(policy=policy, benefit="accident", loss_fen=1_000)
    return p


def count(fn) -> int:  # type: ignore[no-untyped-def]
    with CaptureQueriesContext(connection) as ctx:
        fn()
    return len(ctx.captured_queries)


@pytest.fixture
def warm_operator(households: None, operator):  # type: ignore[no-untyped-def]
    operator.has_perm("insurance.view_progress")  # load the permission cache once
    return operator


def test_programme_summaries_take_the_same_queries_for_one_and_for_four_programmes(
    warm_operator,  # type: ignore[no-untyped-def]
) -> None:
    add_programme(warm_operator, "p1")
    one = count(lambda: progress.programme_summaries(warm_operator))
    for slug in ("p2", "p3", "p4"):
        add_programme(warm_operator, slug)
    assert count(lambda: progress.programme_summaries(warm_operator)) == one


def test_the_programme_list_page_takes_the_same_queries_for_one_and_for_four(
    client: Client,
    warm_operator,  # type: ignore[no-untyped-def]
) -> None:
    client.force_login(warm_operator)
    add_programme(warm_operator, "p1")
    client.get("/insurance/programmes/")  # warm the session
    one = count(lambda: client.get("/insurance/programmes/"))
    for slug in ("p2", "p3", "p4"):
        add_programme(warm_operator, slug)
    assert count(lambda: client.get("/insurance/programmes/")) == one


def test_each_summary_counts_its_own_programme(warm_operator) -> None:  # type: ignore[no-untyped-def]
    add_programme(warm_operator, "young", min_age=18, max_age=40)  # 朱婷婷 only (born 1995)
    add_programme(warm_operator, "all", min_age=0, max_age=100)  # the six of 巴东 (poor county)
    rows = {s.programme.slug: s for s in progress.programme_summaries(warm_operator)}
    assert (rows["young"].insured, rows["young"].premiums_fen) == (1, 100)
    assert (rows["all"].insured, rows["all"].premiums_fen) == (6, 600)
    assert rows["young"].payouts_fen == rows["all"].payouts_fen == 1_000


def test_an_observer_sees_progress_and_a_cadre_does_not(
    warm_operator,
    observer,
    cadre_a,  # type: ignore[no-untyped-def]
) -> None:
    from tuopin.core.errors import PermissionDenied

    add_programme(warm_operator, "p1")
    assert [s.programme.slug for s in progress.programme_summaries(observer)] == ["p1"]
    with pytest.raises(PermissionDenied):
        progress.programme_summaries(cadre_a)


def test_the_programme_list_shows_the_whole_period(client: Client, warm_operator) -> None:  # type: ignore[no-untyped-def]
    import re

    add_programme(warm_operator, "p1")
    client.force_login(warm_operator)
    html = client.get("/insurance/programmes/").content.decode()
    text = re.sub(r"<[^>]+>", "", html)
    assert f"{PERIOD:%Y-%m-%d} – {PERIOD.year}-12-31" in text


def test_a_period_ends_the_day_before_its_anniversary() -> None:
    def last_day(start: dt.date) -> dt.date | None:
        return progress.ProgrammeSummary(Programme(), start, 0, 0, 0).period_last_day

    assert last_day(dt.date(2024, 3, 1)) == dt.date(2025, 2, 28)
    assert last_day(dt.date(2023, 3, 1)) == dt.date(2024, 2, 29)
    assert last_day(dt.date(2026, 1, 1)) == dt.date(2026, 12, 31)
    assert progress.ProgrammeSummary(Programme(), None, 0, 0, 0).period_last_day is None
