"""The public campaign page: its figures add up to the ledger's, and it shows no person."""

from __future__ import annotations

import datetime as dt
import json

import pytest
from django.test import Client
from django.utils import timezone

from tuopin.charity import services as charity
from tuopin.charity.models import Campaign
from tuopin.insurance import services as insurance
from tuopin.insurance.models import CoverageItem, Policy, Programme
from tuopin.ledger.models import Entry
from tuopin.reports import selectors

PERIOD = dt.date(timezone.localdate().year, 1, 1)


@pytest.fixture
def funded(households: None, operator) -> Campaign:  # type: ignore[no-untyped-def]
    campaign = Campaign.objects.create(
        slug="dlz",
        title="顶梁柱健康扶贫公益保险",
        programme_name="顶梁柱",
        goal_fen=10_000_000,
        starts_on=PERIOD,
        ends_on=PERIOD.replace(month=12, day=31),
        status="open",
    )
    for i, (fen, channel) in enumerate(
        [(500_000, "online"), (300_000, "enterprise"), (40_000, "online")]
    ):
        charity.record_donation(
            by=operator,
            campaign_slug="dlz",
            amount_fen=fen,
            channel=channel,
            payment_ref=f"PAYREF-{i}",
        )
    first = campaign.donations.get(payment_ref="PAYREF-2")
    charity.refund_donation(
        by=operator, donation=first, amount_fen=10_000, refund_ref="R1", reason="误捐"
    )
    p = Programme.objects.create(
        slug="dlz",
        name="顶梁柱",
        sponsor="中国扶贫基金会",
        insurer="某保险",
        premium_fen=10_000,
        min_age=18,
        max_age=60,
        campaign=campaign,
        starts_on=PERIOD,
        ends_on=PERIOD.replace(month=12, day=31),
    )
    CoverageItem.objects.create(
        programme=p,
        benefit="hospitalisation",
        per_claim_limit_fen=2_000_000,
        yearly_limit_fen=5_000_000,
    )
    insurance.enroll(programme_slug="dlz", period_start=PERIOD)
    policy = Policy.objects.select_related("programme").get(person__name="唐俊")
    insurance.record_payout(policy=policy, benefit="hospitalisation", loss_fen=123_400)
    return campaign


def ledger_sum(kind: str) -> int:
    total = 0
    for e in Entry.objects.filter(kind=kind):
        data = json.loads(bytes(e.data))
        if data.get("campaign") == "dlz":
            total += data["amount_fen"]
    return total


def test_the_public_figures_add_up_to_the_ledger(funded: Campaign) -> None:
    o = selectors.campaign_overview(funded)
    assert o.funds["raised_fen"] == ledger_sum("donation") == 840_000
    assert o.funds["refunded_fen"] == ledger_sum("refund") == 10_000
    assert o.funds["premiums_fen"] == ledger_sum("premium") == 60_000
    assert o.funds["payouts_fen"] == ledger_sum("payout") == 123_400
    assert o.insured == 6 and o.by_county[0].name == "巴东县"
    assert o.claims_percent == round(100 * 123_400 / 830_000, 1)
    assert {label for label, _s, _n in o.by_channel} == {"互联网公益平台", "企业"}


def test_the_public_page_needs_no_login_and_shows_no_person(funded: Campaign) -> None:
    client = Client()
    page = client.get("/campaigns/dlz/")
    body = page.content.decode()
    assert page.status_code == 200
    assert "8,400.00" in body and "1,234.00" in body and "巴东县" in body
    assert "唐俊" not in body and "DLZ-" not in body and "PAYREF" not in body
    assert "/ledger/verify?index=" in body
    assert "顶梁柱" in client.get("/campaigns/").content.decode()
    Campaign.objects.filter(slug="dlz").update(status="draft")
    assert client.get("/campaigns/dlz/").status_code == 404


def test_each_public_entry_links_to_a_receipt_anyone_can_check(
    funded: Campaign, tmp_path, settings
) -> None:  # type: ignore[no-untyped-def]
    from tuopin.ledger import services as ledger

    settings.LEDGER_KEY_FILE = tmp_path / "ledger.key"
    ledger.generate_key(path=settings.LEDGER_KEY_FILE, name=settings.LEDGER_ORIGIN)
    client = Client()
    pending = client.get("/ledger/verify?index=0").content.decode()
    assert "尚未写入已签名的检查点" in pending
    ledger.integrate()
    page = client.get("/ledger/verify?index=0").content.decode()
    assert "c2sp.org/tlog-proof@v1" in page


def test_the_public_api_gives_the_page_figures_without_login(funded: Campaign) -> None:
    data = Client().get("/api/v1/public/campaigns/dlz").json()
    o = selectors.campaign_overview(funded)
    assert data["raised_fen"] == o.funds["raised_fen"] == 840_000
    assert data["payouts_fen"] == 123_400 and data["insured"] == 6
    assert {e["kind"] for e in data["recent_entries"]} >= {"donation", "payout"}
    assert "唐俊" not in json.dumps(data, ensure_ascii=False)
    missing = Client().get("/api/v1/public/campaigns/nope")
    assert missing.status_code == 404 and missing.json()["code"] == "campaign_not_found"


def test_payment_platforms_report_refunds_once(funded: Campaign, operator) -> None:  # type: ignore[no-untyped-def]
    client = Client()
    client.force_login(operator)
    body = {"payment_ref": "PAYREF-0", "refund_ref": "RF-9", "amount_fen": 1_000, "reason": "撤销"}
    first = client.post("/api/v1/charity/refunds", body, content_type="application/json")
    again = client.post("/api/v1/charity/refunds", body, content_type="application/json")
    assert (first.status_code, again.status_code) == (201, 200)
    assert first.json()["ledger_index"] == again.json()["ledger_index"]
    too_much = client.post(
        "/api/v1/charity/refunds",
        body | {"refund_ref": "RF-10", "amount_fen": 10**9},
        content_type="application/json",
    )
    assert too_much.status_code == 400 and too_much.json()["code"] == "refund_exceeds_donation"
    assert (
        Client().post("/api/v1/charity/refunds", body, content_type="application/json").status_code
        == 401
    )


def test_the_campaign_list_shows_what_each_raised(
    funded: Campaign, django_assert_max_num_queries
) -> None:  # type: ignore[no-untyped-def]
    ((campaign, percent),) = selectors.public_campaigns()
    assert (campaign.raised_fen, campaign.donations_n) == (840_000, 3)
    assert percent == pytest.approx(8.4)
    with django_assert_max_num_queries(3):
        body = Client().get("/campaigns/").content.decode()
    assert "8,400.00" in body and "100,000.00" in body
