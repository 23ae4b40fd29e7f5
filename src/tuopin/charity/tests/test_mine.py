"""我的捐赠: a donor keeps their donations by the receipt link and sees only their own."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from tuopin.accounts import roles
from tuopin.accounts import services as accounts
from tuopin.accounts.models import User
from tuopin.charity import selectors, services
from tuopin.charity.errors import DonationNotFound
from tuopin.charity.models import Campaign, Donation
from tuopin.core.errors import PermissionDenied

from .test_donations import campaign  # noqa: F401 - the shared fixture


@pytest.fixture
def alice(db: None) -> User:
    return accounts.create_user(username="alice", role=roles.DONOR, password="pw-alice-123")


@pytest.fixture
def bob(db: None) -> User:
    return accounts.create_user(username="bob", role=roles.DONOR)


@pytest.fixture
def gift(campaign: Campaign, operator: User) -> Donation:  # noqa: F811
    return services.record_donation(
        by=operator,
        campaign_slug=campaign.slug,
        amount_fen=8_800,
        channel="online",
        payment_ref="MINE-1",
    ).donation


def receipt_link(d: Donation) -> str:
    return "https://tuopin.example" + reverse("charity:receipt", args=[d.receipt_token])


def test_it_keeps_a_donation_given_its_receipt_link(alice: User, gift: Donation) -> None:
    services.keep_donation(by=alice, token=receipt_link(gift))
    assert [d.payment_ref for d in selectors.donations_of(alice)] == ["MINE-1"]


def test_it_keeps_a_donation_given_its_bare_token(alice: User, gift: Donation) -> None:
    services.keep_donation(by=alice, token=str(gift.receipt_token))
    assert selectors.donations_of(alice).count() == 1


def test_keeping_it_again_changes_nothing(alice: User, gift: Donation) -> None:
    services.keep_donation(by=alice, token=str(gift.receipt_token))
    again = services.keep_donation(by=alice, token=str(gift.receipt_token))
    assert again.donor_id == alice.pk and selectors.donations_of(alice).count() == 1


def test_a_donation_another_account_kept_looks_missing(
    alice: User, bob: User, gift: Donation
) -> None:
    services.keep_donation(by=alice, token=str(gift.receipt_token))
    with pytest.raises(DonationNotFound):
        services.keep_donation(by=bob, token=str(gift.receipt_token))
    assert selectors.donations_of(bob).count() == 0
    assert Donation.objects.get(pk=gift.pk).donor_id == alice.pk


def test_a_donor_never_sees_another_donors_gifts(alice: User, bob: User, gift: Donation) -> None:
    services.keep_donation(by=bob, token=str(gift.receipt_token))
    assert list(selectors.donations_of(alice)) == []


def test_refunds_show_beside_the_donation(alice: User, gift: Donation, operator: User) -> None:
    services.keep_donation(by=alice, token=str(gift.receipt_token))
    services.refund_donation(
        by=operator, donation=gift, amount_fen=800, refund_ref="R-M", reason="误捐"
    )
    (row,) = selectors.donations_of(alice)
    assert row.refunded_fen == 800


def test_an_observer_has_no_donations_page(db: None) -> None:
    observer = accounts.create_user(username="obs", role=roles.OBSERVER)
    with pytest.raises(PermissionDenied):
        selectors.donations_of(observer)


def test_the_page_lists_them_with_a_receipt_link(alice: User, gift: Donation) -> None:
    client = Client()
    client.force_login(alice)
    kept = client.post(reverse("charity:mine"), {"token": receipt_link(gift)})
    body = client.get(reverse("charity:mine")).content.decode()
    assert kept.status_code == 302
    assert "88.00" in body and str(gift.receipt_token) in body


def test_a_wrong_link_is_answered_on_the_page(alice: User, gift: Donation) -> None:
    client = Client()
    client.force_login(alice)
    page = client.post(reverse("charity:mine"), {"token": "nonsense"}, follow=True)
    assert page.status_code == 200 and "找不到这笔捐赠" in page.content.decode()
    assert selectors.donations_of(alice).count() == 0


def test_the_receipt_page_offers_to_keep_it(alice: User, gift: Donation) -> None:
    client = Client()
    client.force_login(alice)
    body = client.get(reverse("charity:receipt", args=[gift.receipt_token])).content.decode()
    assert "保存到我的捐赠" in body


def test_the_api_lists_and_keeps_them(alice: User, gift: Donation) -> None:
    client = Client()
    client.force_login(alice)
    kept = client.post(
        "/api/v1/charity/donations/mine",
        {"token": str(gift.receipt_token)},
        content_type="application/json",
    )
    listed = client.get("/api/v1/charity/donations/mine").json()
    assert kept.status_code == 200 and kept.json()["amount_fen"] == 8_800
    assert [d["ledger_index"] for d in listed] == [gift.ledger_index]
