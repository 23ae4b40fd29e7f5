"""Bad input to the charity API, services and statements: a 4xx with the error shape, and
nothing written. Retries racing in parallel: `test_races.py`."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone

from tuopin.accounts import services as accounts
from tuopin.accounts.models import User
from tuopin.charity import services
from tuopin.charity.errors import BadDonation, BadRefund, RefundRefReused
from tuopin.charity.models import Campaign, Donation, Refund, Statement
from tuopin.core.errors import PermissionDenied
from tuopin.core.money import MAX_FEN
from tuopin.ledger.models import Entry

pytestmark = pytest.mark.django_db
T0 = timezone.make_aware(dt.datetime(2018, 6, 1, 9, 0))  # noqa: DTZ001 - made aware here
DONATION = {
    "campaign": "dlz",
    "amount_fen": 5_000,
    "channel": "online",
    "payment_ref": "ALIPAY-1",
}


@pytest.fixture
def api(operator: User) -> Client:
    token = accounts.issue_token(username=operator.username)
    return Client(HTTP_AUTHORIZATION=f"Bearer {token}")


def post(client: Client, url: str, body: Any) -> Any:
    return client.post(url, body, content_type="application/json")


def nothing_written() -> bool:
    return (
        not Donation.objects.exists() and not Refund.objects.exists() and not Entry.objects.exists()
    )


@pytest.mark.parametrize(
    "change",
    [
        {"amount_fen": 10**20},
        {"amount_fen": 1e20},
        {"amount_fen": MAX_FEN + 1},
        {"payment_ref": "P" * 65},
        {"donated_at": "2018-06-01T09:00:00"},  # naive
        {"donated_at": "9999-12-31T23:59:59-12:00"},
        {"donated_at": "0001-01-01T00:00:00+08:00"},
    ],
    ids=["1e20-int", "1e20-float", "max+1", "long-ref", "naive", "year-9999", "year-1"],
)
def test_the_api_refuses_a_bad_donation_with_the_error_shape(
    campaign: Campaign, api: Client, change: dict[str, Any]
) -> None:
    response = post(api, "/api/v1/charity/donations", DONATION | change)
    assert 400 <= response.status_code < 500
    assert set(response.json()) == {"code", "message", "detail"}
    assert nothing_written()


def test_the_largest_amount_is_taken(campaign: Campaign, api: Client) -> None:
    response = post(api, "/api/v1/charity/donations", DONATION | {"amount_fen": MAX_FEN})
    assert response.status_code == 201


@pytest.mark.parametrize(
    ("kw", "code"),
    [
        ({"amount_fen": MAX_FEN + 1}, "bad_amount"),
        ({"payment_ref": "P" * 65}, "bad_payment_ref"),
        ({"at": dt.datetime(2018, 6, 1, 9, 0)}, "bad_time"),  # noqa: DTZ001 - the naive case
        ({"at": dt.datetime(9999, 12, 31, tzinfo=dt.UTC)}, "bad_time"),
    ],
)
def test_the_service_refuses_what_the_schema_would(
    campaign: Campaign, operator: User, kw: dict[str, Any], code: str
) -> None:
    args = {
        "by": operator,
        "campaign_slug": "dlz",
        "amount_fen": 100,
        "channel": "online",
        "payment_ref": "P1",
    }
    with pytest.raises(BadDonation) as exc:
        services.record_donation(**(args | kw))
    assert exc.value.code == code
    assert nothing_written()


def _give(operator: User, ref: str = "P1", fen: int = 10_000) -> Donation:
    return services.record_donation(
        by=operator, campaign_slug="dlz", amount_fen=fen, channel="online", payment_ref=ref, at=T0
    ).donation


@pytest.mark.parametrize(
    "change",
    [
        {"amount_fen": 10**20},
        {"refund_ref": "R" * 65},
        {"refunded_at": "2018-06-01T09:00:00"},
        {"refunded_at": "9999-12-31T23:59:59-12:00"},
    ],
    ids=["1e20", "long-ref", "naive", "year-9999"],
)
def test_the_api_refuses_a_bad_refund_with_the_error_shape(
    campaign: Campaign, api: Client, operator: User, change: dict[str, Any]
) -> None:
    _give(operator)
    entries = Entry.objects.count()
    body = {"payment_ref": "P1", "refund_ref": "R1", "amount_fen": 100, "reason": "误捐"}
    response = post(api, "/api/v1/charity/refunds", body | change)
    assert 400 <= response.status_code < 500
    assert set(response.json()) == {"code", "message", "detail"}
    assert not Refund.objects.exists() and Entry.objects.count() == entries


def test_a_refund_reference_reused_for_another_amount_is_refused(
    campaign: Campaign, operator: User
) -> None:
    d = _give(operator)
    services.refund_donation(by=operator, donation=d, amount_fen=100, refund_ref="R1", reason="x")
    with pytest.raises(RefundRefReused):
        services.refund_donation(
            by=operator, donation=d, amount_fen=200, refund_ref="R1", reason="x"
        )
    assert Refund.objects.count() == 1


def test_a_retried_refund_answers_201_once_then_200(
    campaign: Campaign, api: Client, operator: User
) -> None:
    _give(operator)
    body = {"payment_ref": "P1", "refund_ref": "R1", "amount_fen": 100, "reason": "误捐"}
    codes = [post(api, "/api/v1/charity/refunds", body).status_code for _ in range(3)]
    assert codes == [201, 200, 200]
    assert Refund.objects.count() == 1


def test_a_cadre_cannot_record_a_donation(campaign: Campaign, cadre_a: User) -> None:
    with pytest.raises(PermissionDenied):
        services.record_donation(
            by=cadre_a, campaign_slug="dlz", amount_fen=100, channel="online", payment_ref="P1"
        )
    assert nothing_written()


def test_a_cadre_cannot_refund(campaign: Campaign, operator: User, cadre_a: User) -> None:
    d = _give(operator)
    with pytest.raises(PermissionDenied):
        services.refund_donation(by=cadre_a, donation=d, amount_fen=100, refund_ref="R", reason="x")
    assert not Refund.objects.exists()


def test_a_cadre_cannot_reconcile(campaign: Campaign, cadre_a: User, tmp_path: Path) -> None:
    path = tmp_path / "s.csv"
    path.write_text("交易号,金额（元）\nP1,1.00\n", encoding="utf-8")
    with pytest.raises(PermissionDenied):
        services.reconcile_statement(by=cadre_a, campaign_slug="dlz", channel="online", path=path)
    assert not Statement.objects.exists()


def test_a_refund_without_the_permission_does_not_reveal_the_donation(
    campaign: Campaign, operator: User, cadre_a: User
) -> None:
    _give(operator)
    cadre = Client(HTTP_AUTHORIZATION=f"Bearer {accounts.issue_token(username='cadre_a')}")
    body = {"refund_ref": "R1", "amount_fen": 100, "reason": "x"}
    known = post(cadre, "/api/v1/charity/refunds", body | {"payment_ref": "P1"})
    unknown = post(cadre, "/api/v1/charity/refunds", body | {"payment_ref": "NOPE"})
    assert known.status_code == unknown.status_code == 403


@pytest.mark.parametrize(
    ("amount", "paid_at"),
    [
        ("1e30", "2018-06-01 09:00:00"),
        ("1000000000.01", "2018-06-01 09:00:00"),
        ("1e999999999", "2018-06-01 09:00:00"),
        ("50.00", "0001-01-01 00:00:00"),
        ("50.00", "9999-12-31 23:59:59"),
    ],
)
def test_a_statement_line_out_of_bounds_is_a_row_error(
    campaign: Campaign, operator: User, tmp_path: Path, amount: str, paid_at: str
) -> None:
    path = tmp_path / "s.csv"
    path.write_text(
        f"交易号,金额（元）,交易时间\nP1,{amount},{paid_at}\nP2,1.00,2018-06-01 09:01:00\n",
        encoding="utf-8",
    )
    result = services.reconcile_statement(
        by=operator, campaign_slug="dlz", channel="online", path=path
    )
    assert [e.line for e in result.errors] == [2]
    assert result.statement.extra == 1  # the good line is still reconciled


def test_the_statement_page_reports_an_out_of_bounds_line(
    campaign: Campaign, operator: User
) -> None:
    from django.core.files.uploadedfile import SimpleUploadedFile

    client = Client()
    client.force_login(operator)
    content = "交易号,金额（元）,交易时间\nP1,1e30,0001-01-01 00:00:00\n"
    response = client.post(
        "/charity/campaigns/dlz/statements/",
        {"channel": "online", "file": SimpleUploadedFile("s.csv", content.encode())},
    )
    assert response.status_code == 200
    assert "金额无效" in response.content.decode()


def test_a_refund_beyond_the_bounds_is_refused_by_the_service(
    campaign: Campaign, operator: User
) -> None:
    d = _give(operator)
    with pytest.raises(BadRefund) as exc:
        services.refund_donation(
            by=operator, donation=d, amount_fen=MAX_FEN + 1, refund_ref="R1", reason="x"
        )
    assert exc.value.code == "bad_amount"


def test_huge_donations_cannot_take_the_public_pages_down(campaign: Campaign, api: Client) -> None:
    """Two gifts of 9e18 fen once overflowed SQLite's SUM on every public campaign page."""
    for ref in ("BIG-1", "BIG-2"):
        body = DONATION | {"payment_ref": ref, "amount_fen": 9 * 10**18}
        assert post(api, "/api/v1/charity/donations", body).status_code == 422
    assert Client().get("/campaigns/dlz/").status_code == 200
    assert Client().get("/api/v1/public/campaigns/dlz").status_code == 200
    assert nothing_written()


def test_the_database_refuses_an_amount_beyond_the_bound(campaign: Campaign) -> None:
    from django.db import IntegrityError, transaction

    with pytest.raises(IntegrityError), transaction.atomic():
        Donation.objects.create(
            campaign=campaign,
            amount_fen=MAX_FEN + 1,
            channel="online",
            payment_ref="RAW",
            donated_at=T0,
            ledger_index=0,
        )
    assert not Donation.objects.exists()
