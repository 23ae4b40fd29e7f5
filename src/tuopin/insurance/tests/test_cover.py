"""The cadre's village view and villager page (scoped, masked, a fixed number of queries),
the remaining-limit arithmetic and payouts, the API for the phone app."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable
from pathlib import Path

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from tuopin.accounts import services as accounts
from tuopin.conftest import VILLAGE_A, VILLAGE_B, person_row
from tuopin.insurance import limits, progress, selectors, services
from tuopin.insurance.errors import BadPayout
from tuopin.insurance.models import CoverageItem, Payout, Policy, Programme
from tuopin.ledger.models import Entry
from tuopin.registry import services as registry

PERIOD = dt.date(timezone.localdate().year, 1, 1)


def test_payable_applies_deductible_rate_and_both_limits() -> None:
    cover = limits.Limits(
        per_claim_fen=50_000, yearly_fen=80_000, deductible_fen=1_000, rate_bp=9_000
    )
    assert limits.payable(cover, 11_000, 0) == 9_000  # (110 − 10 元) × 90 %
    assert limits.payable(cover, 1_000_000, 0) == 50_000  # the per-claim limit
    assert limits.payable(cover, 1_000_000, 50_000) == 30_000  # what is left of the year
    assert limits.payable(cover, 1_000_000, 80_000) == 0
    assert limits.payable(cover, 900, 0) == 0  # under the deductible
    assert limits.remaining(cover, 95_000) == 0


def test_cover_starts_after_the_waiting_days_and_ends_with_the_year() -> None:
    start = dt.date(2024, 3, 1)
    assert not limits.in_cover(30, start, dt.date(2024, 3, 30))
    assert limits.in_cover(30, start, dt.date(2024, 3, 31))
    assert limits.in_cover(0, start, dt.date(2025, 2, 28))
    assert not limits.in_cover(0, start, dt.date(2025, 3, 1))


@pytest.fixture
def insured(households: None) -> Programme:
    """顶梁柱 for 巴东 (villages A and B), enrolled for this year."""
    p = Programme.objects.create(
        slug="dlz",
        name="顶梁柱",
        sponsor="中国扶贫基金会",
        insurer="某保险",
        premium_fen=10_000,
        min_age=18,
        max_age=60,
        starts_on=PERIOD,
        ends_on=PERIOD.replace(month=12, day=31),
    )
    CoverageItem.objects.create(
        programme=p,
        benefit="hospitalisation",
        per_claim_limit_fen=2_000_000,
        yearly_limit_fen=5_000_000,
    )
    CoverageItem.objects.create(
        programme=p, benefit="accident", per_claim_limit_fen=1_000_000, yearly_limit_fen=1_000_000
    )
    services.enroll(programme_slug="dlz", period_start=PERIOD)
    return p


def policy_of(name: str) -> Policy:
    return Policy.objects.select_related("programme").get(person__name=name)


def test_a_payout_draws_on_the_limits_and_goes_to_the_ledger_without_the_person(
    insured: Programme,
) -> None:
    policy = policy_of("唐俊")
    paid = services.record_payout(policy=policy, benefit="hospitalisation", loss_fen=2_500_000)
    assert paid.amount_fen == 2_000_000  # capped per claim
    second = services.record_payout(policy=policy, benefit="hospitalisation", loss_fen=4_000_000)
    assert second.amount_fen == 2_000_000
    third = services.record_payout(policy=policy, benefit="hospitalisation", loss_fen=4_000_000)
    assert third.amount_fen == 1_000_000  # what is left of 50,000 元
    with pytest.raises(BadPayout) as exc:
        services.record_payout(policy=policy, benefit="hospitalisation", loss_fen=100)
    assert exc.value.code == "nothing_payable"
    with pytest.raises(BadPayout):
        services.record_payout(policy=policy, benefit="childbirth", loss_fen=100)
    data = bytes(Entry.objects.get(index=paid.ledger_index).data).decode()
    assert "唐俊" not in data and policy.policy_no not in data
    assert (
        json.loads(data)["amount_fen"] == 2_000_000 and "insured" in json.loads(data)["commitments"]
    )


def test_the_village_view_shows_what_remains_and_is_scoped(insured: Programme, cadre_a) -> None:  # type: ignore[no-untyped-def]
    services.record_payout(policy=policy_of("唐俊"), benefit="accident", loss_fen=300_000)
    cover = selectors.village_cover(cadre_a, VILLAGE_A)
    names = [v.person.name for v in cover.villagers]
    assert sorted(names) == ["唐俊", "朱婷婷", "朱明", "王强"]
    tang = next(v for v in cover.villagers if v.person.name == "唐俊")
    (line,) = tang.policies
    remaining = {b.benefit: b.remaining_fen for b in line.benefits}
    assert remaining == {"hospitalisation": 5_000_000, "accident": 700_000}
    assert line.policy_no.startswith("DLZ-")
    from tuopin.core.errors import NotFound

    with pytest.raises(NotFound):
        selectors.village_cover(cadre_a, VILLAGE_B)
    assert [
        v.person.name for v in selectors.village_cover(cadre_a, VILLAGE_A, q="朱").villagers
    ] == [
        "朱婷婷",
        "朱明",
    ]


def test_the_village_view_takes_a_fixed_number_of_queries(
    insured: Programme,
    cadre_a,
    write_csv: Callable[..., Path],  # type: ignore[no-untyped-def]
) -> None:
    def count() -> int:
        fresh = type(cadre_a).objects.get(pk=cadre_a.pk)
        with CaptureQueriesContext(connection) as ctx:
            selectors.village_cover(fresh, VILLAGE_A)
        return len(ctx.captured_queries)

    before = count()
    rows = [
        person_row(f"Z{i:03d}", f"新户{i}", seq=100 + i, birth=dt.date(1980, 1, 1 + i % 28))
        for i in range(40)
    ]
    assert registry.import_registry(path=write_csv(rows, name="more.csv")).errors == []
    services.enroll(programme_slug="dlz", period_start=PERIOD)
    services.record_payout(policy=policy_of("新户3"), benefit="accident", loss_fen=1_000)
    assert count() == before


def test_the_village_page_is_one_request_with_fixed_queries(
    insured: Programme,
    cadre_a,
    django_assert_max_num_queries,  # type: ignore[no-untyped-def]
) -> None:
    client = Client()
    client.force_login(cadre_a)
    with django_assert_max_num_queries(12):
        response = client.get(f"/insurance/villages/{VILLAGE_A}/")
    body = response.content.decode()
    assert response.status_code == 200 and "唐俊" in body and "李华" not in body
    assert "13900000000" not in body
    assert client.get(f"/insurance/villages/{VILLAGE_B}/").status_code == 404
    assert client.get("/insurance/villages/999999999999/").status_code == 404
    assert "朱明" in client.get(f"/insurance/villages/{VILLAGE_A}/?q=朱").content.decode()
    # A cadre with one village goes straight to it.
    assert client.get("/insurance/villages/")["Location"].endswith(f"/{VILLAGE_A}/")


def test_the_villager_page_and_the_api_mask_and_scope(insured: Programme, cadre_a, cadre_b) -> None:  # type: ignore[no-untyped-def]
    tang = policy_of("唐俊")
    client = Client()
    client.force_login(cadre_a)
    page = client.get(f"/insurance/people/{tang.person_id}/").content.decode()
    assert tang.policy_no in page and tang.person.id_number not in page
    assert "办理退出" not in page  # a cadre cannot end a policy: no dead button
    api = client.get(f"/api/v1/insurance/villages/{VILLAGE_A}/cover").json()
    person = next(p for p in api["people"] if p["name"] == "唐俊")
    assert "*" in person["id_number"] and person["policies"][0]["policy_no"] == tang.policy_no
    assert {b["benefit"] for b in person["policies"][0]["benefits"]} == {
        "hospitalisation",
        "accident",
    }
    other = Client()
    other.force_login(cadre_b)
    assert other.get(f"/insurance/people/{tang.person_id}/").status_code == 404
    missing = other.get("/api/v1/insurance/people/999999/cover")
    hidden = other.get(f"/api/v1/insurance/people/{tang.person_id}/cover")
    assert hidden.status_code == missing.status_code == 404
    assert hidden.json()["code"] == missing.json()["code"]
    assert other.get(f"/api/v1/insurance/villages/{VILLAGE_A}/cover").status_code == 404


def test_an_operator_ends_a_policy_from_the_villager_page(insured: Programme, operator) -> None:  # type: ignore[no-untyped-def]
    tang = policy_of("唐俊")
    client = Client()
    client.force_login(operator)
    response = client.post(
        f"/insurance/people/{tang.person_id}/",
        {"policy_no": tang.policy_no, "reason": "moved", "note": "迁往外省"},
    )
    assert response.status_code == 302
    tang.refresh_from_db()
    assert (tang.status, tang.exit_reason, tang.exit_note) == ("exited", "moved", "迁往外省")
    decision = json.loads(bytes(Entry.objects.filter(kind="decision").get().data))
    assert decision["decision"] == "policy_exit" and decision["reason"] == "moved"


def test_observers_see_progress_but_no_person(insured: Programme, observer) -> None:  # type: ignore[no-untyped-def]
    client = Client()
    client.force_login(observer)
    page = client.get("/insurance/programmes/dlz/")
    body = page.content.decode()
    assert page.status_code == 200 and "巴东县" in body
    assert "唐俊" not in body and "DLZ-" not in body
    assert client.get(f"/insurance/villages/{VILLAGE_A}/").status_code == 403
    progress = client.get("/api/v1/insurance/programmes/dlz/progress").json()
    assert progress["insured"] == 6 and progress["by_county"][0]["insured"] == 6
    assert sum(n for _band, n in progress["by_age"]) == 6
    assert client.get(f"/api/v1/insurance/villages/{VILLAGE_A}/cover").status_code == 403


def test_an_operator_sets_up_a_programme_and_runs_enrollment_from_the_pages(  # type: ignore[no-untyped-def]
    households: None, operator, django_capture_on_commit_callbacks
) -> None:
    client = Client()
    client.force_login(operator)
    form = {
        "slug": "hbx",
        "name": "好保险",
        "sponsor": "中国妇女发展基金会",
        "insurer": "某保险",
        "premium_yuan": "50",
        "starts_on": PERIOD.isoformat(),
        "ends_on": PERIOD.replace(month=12, day=31).isoformat(),
        "min_age": "60",
        "max_age": "0",
        "sex": "F",
        "require_national_poor": "on",
        "cov-TOTAL_FORMS": "1",
        "cov-INITIAL_FORMS": "0",
        "cov-0-benefit": "education",
        "cov-0-per_claim_limit_yuan": "1000",
        "cov-0-yearly_limit_yuan": "1000",
        "cov-0-deductible_yuan": "0",
        "cov-0-reimbursement_percent": "100",
        "cov-0-waiting_days": "0",
    }
    refused = client.post("/insurance/programmes/new/", form)
    assert refused.status_code == 200 and "年龄范围颠倒" in refused.content.decode()
    assert not Programme.objects.exists()
    assert (
        client.post(
            "/insurance/programmes/new/", form | {"min_age": "0", "max_age": "100"}
        ).status_code
        == 302
    )
    assert Programme.objects.get().coverage.get().benefit == "education"
    with django_capture_on_commit_callbacks(execute=True):  # the task is enqueued on commit
        started = client.post(
            "/insurance/programmes/hbx/", {"period_start": PERIOD.isoformat(), "confirm": "1"}
        )
    assert started.status_code == 302
    run = client.get(started["Location"] + "?format=json").json()
    assert (run["status"], run["percent"], run["enrolled"]) == ("done", 100, 3)  # 巴东's women
    assert set(Policy.objects.values_list("person__name", flat=True)) == {"唐俊", "朱婷婷", "李芳"}


def test_the_enroll_api_starts_a_run(
    insured: Programme,
    operator,
    observer,
    django_capture_on_commit_callbacks,  # type: ignore[no-untyped-def]
) -> None:  # type: ignore[no-untyped-def]
    token = accounts.issue_token(username=operator.username)
    with django_capture_on_commit_callbacks(execute=True):
        response = Client().post(
            "/api/v1/insurance/programmes/dlz/runs",
            {"period_start": PERIOD.isoformat()},
            content_type="application/json",
            headers={"Authorization": f"Bearer {token}"},
        )
    assert response.status_code == 201
    run = (
        Client()
        .get(
            f"/api/v1/insurance/runs/{response.json()['id']}",
            headers={"Authorization": f"Bearer {token}"},
        )
        .json()
    )
    assert run["status"] == "done" and run["enrolled"] == 0  # already enrolled: idempotent
    client = Client()
    client.force_login(observer)
    refused = client.post(
        "/api/v1/insurance/programmes/dlz/runs",
        {"period_start": PERIOD.isoformat()},
        content_type="application/json",
    )
    assert refused.status_code == 403
    assert Payout.objects.count() == 0


def test_an_officer_records_a_death_and_the_next_run_ends_the_policy(
    insured: Programme,
    county_officer,
    cadre_a,  # type: ignore[no-untyped-def]
) -> None:
    tang = policy_of("唐俊")
    client = Client()
    client.force_login(county_officer)
    url = f"/registry/households/{tang.person.household.household_no}/members/"
    future = (timezone.localdate() + dt.timedelta(days=2)).isoformat()
    client.post(url, {"person": tang.person_id, "status": "died", "on": future})
    tang.person.refresh_from_db()
    assert tang.person.status == "present"  # a date in the future is refused
    client.post(
        url, {"person": tang.person_id, "status": "died", "on": timezone.localdate().isoformat()}
    )
    tang.person.refresh_from_db()
    assert tang.person.status == "died" and tang.person.left_on == timezone.localdate()
    cadre = Client()
    cadre.force_login(cadre_a)
    assert (
        cadre.post(
            url, {"person": tang.person_id, "status": "present", "on": "2020-01-01"}
        ).status_code
        == 403
    )
    assert services.enroll(programme_slug="dlz", period_start=PERIOD).exited == 1
    tang.refresh_from_db()
    assert (tang.status, tang.exit_reason) == ("exited", "died")


def test_the_operator_previews_a_run_without_writing(
    insured: Programme, operator, write_csv
) -> None:  # type: ignore[no-untyped-def]
    rows = [person_row("Z001", "新来的", seq=301, birth=dt.date(1990, 1, 1))]
    assert registry.import_registry(path=write_csv(rows, name="z.csv")).errors == []
    client = Client()
    client.force_login(operator)
    before = Policy.objects.count()
    page = client.post(
        "/insurance/programmes/dlz/", {"period_start": PERIOD.isoformat(), "action": "preview"}
    )
    body = page.content.decode()
    assert "尚未参保</dt><dd>1 人</dd>" in body and "¥100.00" in body
    assert Policy.objects.count() == before


def test_the_cadre_lists_who_is_not_yet_insured(insured: Programme, cadre_a) -> None:  # type: ignore[no-untyped-def]
    client = Client()
    client.force_login(cadre_a)
    body = client.get(f"/insurance/villages/{VILLAGE_A}/?uncovered=1").content.decode()
    # The rule has no household-status filter: all four villagers of A (aged 18–60) are insured.
    assert ">唐俊</a>" not in body and "没有找到" in body
    Policy.objects.filter(person__name="朱明").update(status="exited", exit_reason="moved")
    body = client.get(f"/insurance/villages/{VILLAGE_A}/?uncovered=1").content.decode()
    assert ">朱明</a>" in body and ">唐俊</a>" not in body  # (唐俊 heads 朱明's household)


def test_the_programme_list_sums_each_latest_period(insured: Programme, operator) -> None:  # type: ignore[no-untyped-def]
    services.record_payout(policy=policy_of("唐俊"), benefit="accident", loss_fen=12_300)
    (summary,) = progress.programme_summaries(operator)
    figures = progress.programme_progress(operator, insured, None)
    assert (
        (summary.period_start, summary.insured, summary.premiums_fen, summary.payouts_fen)
        == (
            figures.period_start,
            figures.insured,
            figures.premiums_fen,
            figures.payouts_fen,
        )
        == (PERIOD, 6, 60_000, 12_300)
    )
    client = Client()
    client.force_login(operator)
    body = client.get("/insurance/programmes/").content.decode()
    assert "顶梁柱" in body and "600.00" in body and "123.00" in body
