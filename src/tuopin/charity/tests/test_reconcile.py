"""Refunds (their own entries, never more than the donation) and statement reconciliation
(matched, mismatched, missing, extra; unreadable lines reported, the rest kept)."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest
from django.core.management import call_command
from django.utils import timezone

from tuopin.accounts.models import User
from tuopin.accounts.selectors import get_user
from tuopin.charity import services
from tuopin.charity.errors import BadRefund
from tuopin.charity.models import Campaign, Donation, Refund, Statement
from tuopin.ledger.models import Entry

pytestmark = pytest.mark.django_db
T0 = timezone.make_aware(dt.datetime(2018, 6, 1, 9, 0))  # noqa: DTZ001 - made aware here


def platform_user() -> User:
    return get_user("operator")


def give(ref: str, fen: int, minutes: int, channel: str = "online") -> Donation:
    return services.record_donation(
        by=platform_user(),
        campaign_slug="dlz",
        amount_fen=fen,
        channel=channel,
        payment_ref=ref,
        at=T0 + dt.timedelta(minutes=minutes),
    ).donation


def test_a_refund_is_its_own_entry_and_never_exceeds_the_donation(campaign: Campaign) -> None:
    d = give("P1", 10_000, 0)
    r = refund(d, 4_000, "R1", "重复支付").refund
    again = refund(d, 4_000, "R1", "x")
    assert not again.created and again.refund.pk == r.pk and Refund.objects.count() == 1
    entry = json.loads(bytes(Entry.objects.get(index=r.ledger_index).data))
    assert entry["kind"] == "refund" and entry["amount_fen"] == 4_000
    assert entry["donation"] == d.ledger_index
    d.refresh_from_db()
    assert d.amount_fen == 10_000  # the donation is never edited
    entries = Entry.objects.count()
    with pytest.raises(BadRefund) as exc:
        refund(d, 6_001, "R2", "再退")
    assert exc.value.code == "refund_exceeds_donation"
    with pytest.raises(BadRefund):
        refund(d, 0, "R3", "零")
    assert Refund.objects.count() == 1 and Entry.objects.count() == entries


def refund(d: Donation, fen: int, ref: str, reason: str) -> services.RefundRecorded:
    return services.refund_donation(
        by=platform_user(), donation=d, amount_fen=fen, refund_ref=ref, reason=reason
    )


def write(tmp_path: Path, lines: list[str], encoding: str = "utf-8") -> Path:
    path = tmp_path / "alipay.csv"
    path.write_text("\n".join(["交易号,金额（元）,交易时间", *lines]) + "\n", encoding=encoding)
    return path


def test_each_line_is_matched_mismatched_or_extra_and_lacking_donations_missing(
    campaign: Campaign, tmp_path: Path
) -> None:
    give("P1", 5_000, 0)
    give("P2", 2_000, 10)
    give("P3", 1_000, 20)  # absent from the statement
    give("E1", 9_900, 15, channel="enterprise")  # another channel: not on this statement
    give("P9", 700, 90)  # after the statement's span: not missing
    path = write(
        tmp_path,
        [
            "P1,50.00,2018-06-01 09:00:00",
            "P2,20.01,2018-06-01 09:10:00",
            "X7,8.80,2018-06-01 09:30:00",
            ",1.00,2018-06-01 09:31:00",
            "P4,abc,2018-06-01 09:32:00",
            "P1,50.00,2018-06-01 09:00:00",
        ],
        encoding="gb18030",
    )
    result = services.reconcile_statement(
        by=platform_user(), campaign_slug="dlz", channel="online", path=path
    )
    s = result.statement
    assert (s.matched, s.mismatched, s.missing, s.extra) == (1, 1, 1, 1)
    outcomes = dict(s.lines.values_list("payment_ref", "outcome"))
    assert outcomes == {"P1": "matched", "P2": "mismatched", "P3": "missing", "X7": "extra"}
    assert [(e.line, e.code) for e in result.errors] == [
        (5, "missing_field"),
        (6, "bad_amount"),
        (7, "duplicate_ref"),
    ]
    assert s.rejected == 3
    assert Donation.objects.count() == 5  # reconciliation changes no donation


def test_a_statement_without_its_columns_is_refused_whole(
    campaign: Campaign, tmp_path: Path
) -> None:
    from tuopin.core.tabular import UnreadableFile

    path = tmp_path / "bad.csv"
    path.write_text("foo,bar\n1,2\n", encoding="utf-8")
    with pytest.raises(UnreadableFile):
        services.reconcile_statement(
            by=platform_user(), campaign_slug="dlz", channel="online", path=path
        )
    assert Statement.objects.count() == 0


def test_the_command_line_reconciles_and_refunds(
    campaign: Campaign, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    give("P1", 5_000, 0)
    path = write(tmp_path, ["P1,50,2018-06-01 09:00:00", "X-1,1,2018-06-01 09:01:00"])
    call_command("charity", "reconcile", "dlz", str(path), "--json", "--user", "operator")
    out = json.loads(capsys.readouterr().out)
    assert (out["matched"], out["extra"]) == (1, 1)
    call_command(
        "charity",
        "refund",
        "P1",
        "--amount-fen",
        "5000",
        "--ref",
        "R1",
        "--reason",
        "撤回",
        "--json",
        "--user",
        "operator",
    )
    assert json.loads(capsys.readouterr().out)["amount_fen"] == 5000


def test_an_operator_reconciles_from_the_page(
    campaign: Campaign, tmp_path: Path, operator, cadre_a
) -> None:  # type: ignore[no-untyped-def]
    from django.core.files.uploadedfile import SimpleUploadedFile
    from django.test import Client

    give("P1", 5_000, 0)
    content = (
        "交易号,金额（元）,交易时间\nP1,50.00,2018-06-01 09:00:00\nX-1,1,2018-06-01 09:01:00\n"
    )
    client = Client()
    client.force_login(operator)
    response = client.post(
        "/charity/campaigns/dlz/statements/",
        {"channel": "online", "file": SimpleUploadedFile("alipay.csv", content.encode("gb18030"))},
    )
    assert response.status_code == 302
    page = client.get(response["Location"]).content.decode()
    assert "X-1" in page and "平台多出" in page
    assert "X-1" in client.get(response["Location"] + "?outcome=extra").content.decode()
    assert "X-1" not in client.get(response["Location"] + "?outcome=matched").content.decode()
    cadre = Client()
    cadre.force_login(cadre_a)
    assert cadre.get("/charity/campaigns/dlz/statements/").status_code == 403
