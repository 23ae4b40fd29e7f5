"""Retries of one payment notification or refund racing in parallel, on PostgreSQL (real
concurrent transactions; SQLite's IMMEDIATE transactions serialise writers, and its in-memory
test database is not shared across threads): one 201, the rest 200, one row, no 500."""

from __future__ import annotations

import threading
from typing import Any

import pytest
from django.db import connection
from django.test import Client

from tuopin.accounts import services as accounts
from tuopin.accounts.models import User
from tuopin.charity import services
from tuopin.charity.models import Campaign, Donation, Refund

pytestmark = [
    pytest.mark.skipif("connection.vendor != 'postgresql'", reason="concurrent writers"),
    pytest.mark.usefixtures("empty_the_log_afterwards"),
    pytest.mark.django_db(transaction=True),
]
RETRIES = 8


def in_parallel(url: str, bodies: list[dict[str, Any]], token: str) -> list[int]:
    barrier = threading.Barrier(len(bodies))
    codes: list[int] = []

    def one(body: dict[str, Any]) -> None:
        try:
            client = Client(HTTP_AUTHORIZATION=f"Bearer {token}")
            barrier.wait()
            codes.append(client.post(url, body, content_type="application/json").status_code)
        finally:
            connection.close()  # each thread has its own connection

    threads = [threading.Thread(target=one, args=(body,)) for body in bodies]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return sorted(codes)


def test_racing_refund_retries_answer_201_once(campaign: Campaign, operator: User) -> None:
    services.record_donation(
        by=operator, campaign_slug="dlz", amount_fen=10_000, channel="online", payment_ref="P1"
    )
    token = accounts.issue_token(username=operator.username)
    body = {"payment_ref": "P1", "refund_ref": "R1", "amount_fen": 100, "reason": "误捐"}
    codes = in_parallel("/api/v1/charity/refunds", [body] * RETRIES, token)
    assert codes == [200] * (RETRIES - 1) + [201]
    assert Refund.objects.count() == 1


def test_one_refund_reference_racing_on_two_donations_is_taken_once(
    campaign: Campaign, operator: User
) -> None:
    """No shared lock here: the unique reference decides, and the losers are answered from a
    savepoint (409, the reference names another refund), never 500."""
    for ref in ("P1", "P2"):
        services.record_donation(
            by=operator, campaign_slug="dlz", amount_fen=10_000, channel="online", payment_ref=ref
        )
    token = accounts.issue_token(username=operator.username)
    bodies = [
        {"payment_ref": f"P{1 + i % 2}", "refund_ref": "R1", "amount_fen": 100, "reason": "误捐"}
        for i in range(RETRIES)
    ]
    codes = in_parallel("/api/v1/charity/refunds", bodies, token)
    assert 500 not in codes and codes.count(201) == 1
    assert set(codes) <= {200, 201, 409}
    assert Refund.objects.count() == 1


def test_racing_donation_retries_answer_201_once(campaign: Campaign, operator: User) -> None:
    token = accounts.issue_token(username=operator.username)
    body = {"campaign": "dlz", "amount_fen": 100, "channel": "online", "payment_ref": "P1"}
    codes = in_parallel("/api/v1/charity/donations", [body] * RETRIES, token)
    assert codes == [200] * (RETRIES - 1) + [201]
    assert Donation.objects.count() == 1
