"""Starting an enrollment run from the operator's programme page and the API: refused before
any run exists when the money is short, the money shown for confirmation before it is spent,
the preview by POST (no CSRF token in a URL)."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.test import Client
from django.utils import timezone

from tuopin.accounts import services as accounts
from tuopin.charity import services as charity
from tuopin.charity.models import Campaign
from tuopin.insurance import services
from tuopin.insurance.errors import BadProgramme
from tuopin.insurance.models import EnrollmentRun, Policy, Programme
from tuopin.insurance.tests.test_enroll import programme as make_programme
from tuopin.ledger.models import Entry

PERIOD = dt.date(timezone.localdate().year, 1, 1)
URL = "/insurance/programmes/dlz/"
START = {"period_start": PERIOD.isoformat(), "action": "start"}


def funded(operator, raised_fen: int) -> Programme:  # type: ignore[no-untyped-def]
    """顶梁柱 at 100 元 a head for the six people of ``households`` aged 18–60, paid from a
    campaign that raised ``raised_fen``."""
    campaign = Campaign.objects.create(
        slug="c",
        title="顶梁柱",
        programme_name="顶梁柱",
        goal_fen=10**9,
        starts_on=PERIOD,
        ends_on=PERIOD.replace(month=12, day=31),
        status="open",
    )
    charity.record_donation(
        by=operator, campaign_slug="c", amount_fen=raised_fen, channel="online", payment_ref="P1"
    )
    p = make_programme(
        starts_on=PERIOD, ends_on=PERIOD.replace(month=12, day=31), campaign=campaign
    )
    assert services.preview(programme_slug="dlz", period_start=PERIOD).eligible == 6
    return p


@pytest.fixture
def client(operator) -> Client:  # type: ignore[no-untyped-def]
    c = Client()
    c.force_login(operator)
    return c


def test_an_unaffordable_run_is_refused_on_the_page_with_the_numbers_and_nothing_written(  # type: ignore[no-untyped-def]
    households: None, operator, client: Client
) -> None:
    funded(operator, raised_fen=30_000)  # 300 元 for 6 × 100 元
    entries = Entry.objects.count()
    page = client.post(URL, START | {"confirm": "1"})  # even a confirmed POST
    body = page.content.decode()
    assert page.status_code == 200 and "善款不足，未开始参保" in body
    assert "<dd>6 人</dd>" in body and "<dd>¥600.00</dd>" in body  # what it needs
    assert "<dd>¥300.00</dd>" in body and '<dd class="short">¥300.00</dd>' in body
    assert "确认开始" not in body
    assert not EnrollmentRun.objects.exists()
    assert Entry.objects.count() == entries and not Policy.objects.exists()


def test_the_first_step_refuses_an_unaffordable_run_instead_of_asking_to_confirm(  # type: ignore[no-untyped-def]
    households: None, operator, client: Client
) -> None:
    funded(operator, raised_fen=30_000)
    body = client.post(URL, START).content.decode()
    assert "善款不足" in body and 'name="confirm"' not in body
    assert not EnrollmentRun.objects.exists()


def test_a_run_for_a_closed_period_is_refused_before_it_is_created(  # type: ignore[no-untyped-def]
    households: None, operator
) -> None:
    funded(operator, raised_fen=100_000)
    with pytest.raises(BadProgramme) as exc:
        services.start_run(
            user=operator, programme_slug="dlz", period_start=PERIOD.replace(year=PERIOD.year + 1)
        )
    assert exc.value.code == "period_closed"
    assert not EnrollmentRun.objects.exists()


def test_the_run_starts_only_after_the_money_is_confirmed(  # type: ignore[no-untyped-def]
    households: None, operator, client: Client, django_capture_on_commit_callbacks
) -> None:
    funded(operator, raised_fen=100_000)
    first = client.post(URL, START)
    body = first.content.decode()
    assert first.status_code == 200 and "确认开始" in body
    assert '<input type="hidden" name="confirm" value="1">' in body
    assert "<dd>6 人</dd>" in body and "<dd>¥600.00</dd>" in body and "<dd>¥1,000.00</dd>" in body
    assert not EnrollmentRun.objects.exists()
    with django_capture_on_commit_callbacks(execute=True):
        confirmed = client.post(URL, START | {"confirm": "1"})
    run = EnrollmentRun.objects.get()
    assert confirmed.status_code == 302 and confirmed["Location"].endswith(f"/runs/{run.pk}/")
    assert Policy.objects.count() == 6


def test_an_override_reason_lets_a_short_run_through_after_confirmation(  # type: ignore[no-untyped-def]
    households: None, operator, client: Client, django_capture_on_commit_callbacks
) -> None:
    funded(operator, raised_fen=30_000)
    reason = {"override_reason": "保险公司先行垫付"}
    body = client.post(URL, START | reason).content.decode()
    assert "确认开始" in body and "<dd>保险公司先行垫付</dd>" in body
    assert '<dd class="short">¥300.00</dd>' in body  # the shortfall the reason covers
    assert not EnrollmentRun.objects.exists()
    with django_capture_on_commit_callbacks(execute=True):
        assert client.post(URL, START | reason | {"confirm": "1"}).status_code == 302
    assert EnrollmentRun.objects.get().override_reason == "保险公司先行垫付"
    assert Policy.objects.count() == 6


def test_the_api_refuses_an_unaffordable_run_with_the_numbers_and_creates_nothing(  # type: ignore[no-untyped-def]
    households: None, operator
) -> None:
    funded(operator, raised_fen=30_000)
    entries = Entry.objects.count()
    token = accounts.issue_token(username=operator.username)
    answer = Client().post(
        "/api/v1/insurance/programmes/dlz/runs",
        {"period_start": PERIOD.isoformat()},
        content_type="application/json",
        headers={"Authorization": f"Bearer {token}"},
    )
    assert answer.status_code == 409
    error = answer.json()
    assert error["code"] == "insufficient_funds" and "¥600.00" in error["message"]
    assert error["detail"] == {"people": 6, "need_fen": 60_000, "available_fen": 30_000}
    assert not EnrollmentRun.objects.exists() and Entry.objects.count() == entries


def test_the_preview_posts_and_keeps_the_csrf_token_out_of_urls(  # type: ignore[no-untyped-def]
    households: None, operator
) -> None:
    funded(operator, raised_fen=30_000)
    client = Client(enforce_csrf_checks=True)
    client.force_login(operator)
    page = client.get(URL).content.decode()
    forms = re.findall(r"<form\b[^>]*>.*?</form>", page, re.S)
    with_token = [f for f in forms if "csrfmiddlewaretoken" in f]
    assert with_token and all('method="post"' in f.split(">")[0] for f in with_token)
    assert "formmethod" not in page
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page)
    assert token is not None
    preview = client.post(
        URL,
        {"period_start": PERIOD.isoformat(), "action": "preview"}
        | {"csrfmiddlewaretoken": token.group(1)},
    )
    body = preview.content.decode()
    assert preview.status_code == 200 and "<dd>6 人</dd>" in body and "确认开始" not in body
    assert not EnrollmentRun.objects.exists()
