"""Donations: idempotent on the payment reference, written with their ledger entry, refused
cleanly on bad input, with a receipt the donor can check."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest
from django.test import Client

from tuopin.accounts import services as accounts
from tuopin.accounts.selectors import get_user
from tuopin.charity import selectors, services
from tuopin.charity.errors import PaymentRefReused
from tuopin.charity.models import Campaign, Donation
from tuopin.ledger import receipt
from tuopin.ledger import services as ledger
from tuopin.ledger.models import Entry

pytestmark = pytest.mark.django_db


@pytest.fixture
def campaign(operator) -> Campaign:  # type: ignore[no-untyped-def]
    return Campaign.objects.create(
        slug="dingliangzhu",
        title="顶梁柱健康扶贫公益保险",
        programme_name="顶梁柱",
        goal_fen=75_000_000_00,
        starts_on=dt.date(2018, 1, 1),
        ends_on=dt.date(2030, 12, 31),
        status="open",
    )


def give(**kw):  # type: ignore[no-untyped-def]
    args = {
        "campaign_slug": "dingliangzhu",
        "amount_fen": 5000,
        "channel": "online",
        "payment_ref": "ALIPAY-0001",
        "by": get_user("operator"),  # the payment platform's account
    } | kw
    return services.record_donation(**args)


def test_a_donation_and_its_ledger_entry_are_written_together(campaign: Campaign) -> None:
    recorded = give()
    assert recorded.created
    entry = Entry.objects.get(index=recorded.donation.ledger_index)
    data = json.loads(bytes(entry.data))
    assert (data["kind"], data["amount_fen"], data["campaign"]) == (
        "donation",
        5000,
        "dingliangzhu",
    )
    assert "ALIPAY-0001" not in bytes(entry.data).decode()  # the donor only as a commitment
    assert selectors.campaign_totals(campaign) == {"raised_fen": 5000, "donations": 1}


def test_a_retried_notification_is_recorded_once(campaign: Campaign) -> None:
    first = give()
    again = give()  # the retry answers with the first, unchanged
    assert not again.created and again.donation.pk == first.donation.pk
    assert Donation.objects.count() == 1 and Entry.objects.count() == 1


def test_a_reference_reused_with_another_amount_is_refused(campaign: Campaign) -> None:
    give()
    with pytest.raises(PaymentRefReused):
        give(amount_fen=999)
    assert Donation.objects.get().amount_fen == 5000 and Entry.objects.count() == 1


@pytest.mark.parametrize(
    ("kw", "code"),
    [
        ({"amount_fen": 0}, "bad_amount"),
        ({"amount_fen": -5}, "bad_amount"),
        ({"channel": "pigeon"}, "bad_channel"),
        ({"campaign_slug": "nope"}, "campaign_not_found"),
        ({"payment_ref": "  "}, "missing_payment_ref"),
    ],
)
def test_bad_donations_are_refused_and_nothing_is_written(campaign: Campaign, kw, code) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(Exception) as exc:
        give(**kw)
    assert getattr(exc.value, "code", "") == code
    assert Donation.objects.count() == 0 and Entry.objects.count() == 0


def test_a_closed_campaign_takes_no_donations(campaign: Campaign) -> None:
    campaign.status = "closed"
    campaign.save()
    with pytest.raises(Exception) as exc:
        give()
    assert getattr(exc.value, "code", "") == "campaign_closed"
    assert Entry.objects.count() == 0


def test_the_receipt_page_gives_a_receipt_that_verifies(
    campaign: Campaign,
    client: Client,
    settings,
    tmp_path: Path,  # type: ignore[no-untyped-def]
) -> None:
    settings.LEDGER_KEY_FILE = tmp_path / "ledger.key"
    signer = ledger.generate_key(path=settings.LEDGER_KEY_FILE, name=settings.LEDGER_ORIGIN)
    donation = give().donation
    url = f"/charity/receipt/{donation.receipt_token}/"
    assert "等待下一个签名检查点" in client.get(url).content.decode()
    ledger.integrate(signer=signer)
    text = client.get(url + "?download=1").content.decode()
    checkpoint, entry = receipt.verify(text, signer.verifier)
    assert json.loads(entry)["amount_fen"] == 5000
    assert receipt.Receipt.parse(text).openings["donor"]["value"] == "ALIPAY-0001"
    assert client.get("/charity/receipt/not-a-token/").status_code == 404


def test_payment_platforms_report_donations_over_the_api(
    campaign: Campaign, client: Client
) -> None:
    accounts.create_user(username="cadre", role="village_cadre")
    auth = {"HTTP_AUTHORIZATION": f"Bearer {accounts.issue_token(username='operator')}"}
    body = {
        "campaign": "dingliangzhu",
        "amount_fen": 100,
        "channel": "enterprise",
        "payment_ref": "BANK-77",
    }
    first = client.post("/api/v1/charity/donations", body, content_type="application/json", **auth)
    assert first.status_code == 201 and first.json()["receipt_url"].startswith("http")
    retry = client.post("/api/v1/charity/donations", body, content_type="application/json", **auth)
    assert retry.status_code == 200 and retry.json()["ledger_index"] == first.json()["ledger_index"]
    bad = client.post(
        "/api/v1/charity/donations",
        body | {"payment_ref": "X", "amount_fen": 0},
        content_type="application/json",
        **auth,
    )
    assert bad.status_code == 422 and bad.json()["code"] == "invalid"
    cadre = {"HTTP_AUTHORIZATION": f"Bearer {accounts.issue_token(username='cadre')}"}
    denied = client.post(
        "/api/v1/charity/donations",
        body | {"payment_ref": "Y"},
        content_type="application/json",
        **cadre,
    )
    assert denied.status_code == 403
