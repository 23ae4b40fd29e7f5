"""Amounts of a programme and its payouts are bounded: a premium that would overflow a
national enrollment's total, or a limit past core.money.MAX_FEN, is refused with a message."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import IntegrityError, transaction
from django.test import Client

from tuopin.core.money import MAX_FEN
from tuopin.insurance import services
from tuopin.insurance.errors import BadPayout, BadProgramme
from tuopin.insurance.models import MAX_PREMIUM_FEN, CoverageItem, Programme
from tuopin.insurance.tests.test_cover import PERIOD

pytestmark = pytest.mark.usefixtures("area_tree")


def _programme(**kw: object) -> Programme:
    fields: dict[str, object] = {
        "slug": "dlz",
        "name": "顶梁柱",
        "sponsor": "基金会",
        "insurer": "某保险",
        "premium_fen": 10_000,
        "starts_on": PERIOD,
        "ends_on": PERIOD.replace(month=12, day=31),
    }
    return Programme(**(fields | kw))


def test_a_premium_past_the_bound_is_refused(operator) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(BadProgramme) as exc:
        services.save_programme(
            by=operator, programme=_programme(premium_fen=MAX_PREMIUM_FEN + 1), counties=[]
        )
    assert exc.value.code == "bad_amount"
    assert not Programme.objects.exists()


def test_a_limit_past_max_fen_is_refused(operator) -> None:  # type: ignore[no-untyped-def]
    huge = CoverageItem(
        benefit="hospitalisation", per_claim_limit_fen=1, yearly_limit_fen=MAX_FEN + 1
    )
    with pytest.raises(BadProgramme):
        services.save_programme(by=operator, programme=_programme(), counties=[], coverage=[huge])
    assert not Programme.objects.exists()


def test_a_rate_over_100_percent_is_refused(operator) -> None:  # type: ignore[no-untyped-def]
    generous = CoverageItem(
        benefit="hospitalisation",
        per_claim_limit_fen=1,
        yearly_limit_fen=1,
        reimbursement_bp=10_001,
    )
    with pytest.raises(BadProgramme) as exc:
        services.save_programme(
            by=operator, programme=_programme(), counties=[], coverage=[generous]
        )
    assert exc.value.code == "bad_rate"
    assert not Programme.objects.exists()


def test_the_database_refuses_an_unbounded_premium_too() -> None:
    with pytest.raises(IntegrityError), transaction.atomic():
        _programme(premium_fen=9 * 10**18).save()


def test_the_set_up_page_answers_a_huge_premium_with_a_message(operator) -> None:  # type: ignore[no-untyped-def]
    client = Client()
    client.force_login(operator)
    form = {
        "slug": "dlz",
        "name": "顶梁柱",
        "sponsor": "基金会",
        "insurer": "某保险",
        "premium_yuan": str(10**20),
        "starts_on": PERIOD.isoformat(),
        "ends_on": PERIOD.replace(month=12, day=31).isoformat(),
        "min_age": "18",
        "max_age": "60",
        "cov-TOTAL_FORMS": "0",
        "cov-INITIAL_FORMS": "0",
    }
    response = client.post("/insurance/programmes/new/", form)
    assert response.status_code == 200 and "金额不能超过 100,000.00 元" in response.content.decode()
    assert not Programme.objects.exists()


def test_a_loss_past_max_fen_is_refused(operator) -> None:  # type: ignore[no-untyped-def]
    from tuopin.insurance.models import Policy

    with pytest.raises(BadPayout):
        services.record_payout(
            policy=Policy(),
            benefit="hospitalisation",
            loss_fen=MAX_FEN + 1,
            at=dt.datetime(2020, 1, 1, tzinfo=dt.UTC),
        )


def test_the_programme_page_takes_a_period_of_year_one(operator) -> None:  # type: ignore[no-untyped-def]
    services.save_programme(by=operator, programme=_programme(), counties=[])
    client = Client()
    client.force_login(operator)
    assert client.get("/insurance/programmes/dlz/?period=0001-01-01").status_code == 200


def test_the_preview_takes_a_period_of_year_one(operator) -> None:  # type: ignore[no-untyped-def]
    services.save_programme(by=operator, programme=_programme(), counties=[])
    client = Client()
    client.force_login(operator)
    page = client.post(
        "/insurance/programmes/dlz/", {"period_start": "0001-01-01", "action": "preview"}
    )
    assert page.status_code == 200 and "已关闭" in page.content.decode()


def test_the_progress_api_takes_a_period_of_year_one(operator) -> None:  # type: ignore[no-untyped-def]
    services.save_programme(by=operator, programme=_programme(), counties=[])
    client = Client()
    client.force_login(operator)
    answer = client.get("/api/v1/insurance/programmes/dlz/progress?period=0001-01-01")
    assert answer.status_code == 200


def test_a_donor_cannot_tell_a_missing_programme_from_an_existing_one(  # type: ignore[no-untyped-def]
    operator, area_tree: None
) -> None:
    from tuopin.accounts import roles
    from tuopin.accounts import services as accounts

    services.save_programme(by=operator, programme=_programme(), counties=[])
    donor = accounts.create_user(username="donor", role=roles.DONOR)
    client = Client()
    client.force_login(donor)
    existing = client.get("/api/v1/insurance/programmes/dlz/progress").status_code
    missing = client.get("/api/v1/insurance/programmes/nope/progress").status_code
    assert existing == missing == 403
