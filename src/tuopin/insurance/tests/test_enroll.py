"""Enrollment: the eligibility edges, idempotency, the funding limit, the ledger entry."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable
from pathlib import Path

import pytest
from django.db import IntegrityError
from django.utils import timezone

from tuopin.charity import services as charity
from tuopin.charity.models import Campaign
from tuopin.conftest import VILLAGE_A, VILLAGE_C, person_row
from tuopin.insurance import batches, selectors, services
from tuopin.insurance.eligibility import birth_bounds
from tuopin.insurance.errors import BadProgramme
from tuopin.insurance.models import Policy, PremiumPayment, Programme
from tuopin.ledger.models import Entry
from tuopin.registry import services as registry

pytestmark = pytest.mark.usefixtures("area_tree")
PERIOD = dt.date(2018, 7, 1)


def test_birth_bounds_follow_birthdays_including_29_february() -> None:
    assert birth_bounds(PERIOD, 18, 60) == (dt.date(1957, 7, 1), dt.date(2000, 7, 1))
    assert birth_bounds(dt.date(2020, 2, 29), 18, 60)[1] == dt.date(2002, 2, 28)


@pytest.fixture
def people(write_csv: Callable[..., Path]) -> dict[str, int]:
    """People of 巴东 (national + deep-poverty county) around the edges, and one in 定西."""
    rows = [
        person_row("E1", "满十八", seq=11, birth=dt.date(2000, 7, 1)),  # 18 that day
        person_row("E2", "差一天", seq=21, birth=dt.date(2000, 7, 2)),  # still 17
        person_row("E3", "六十岁", seq=31, birth=dt.date(1957, 7, 2)),  # 60, last day
        person_row("E4", "满六十一", seq=41, birth=dt.date(1957, 7, 1)),  # 61 that day
        person_row("E5", "妇女", seq=52, birth=dt.date(1980, 1, 1)),  # a woman
        person_row("E6", "已脱贫", seq=61, birth=dt.date(1980, 1, 1), status="已脱贫"),
        person_row("E7", "定西人", seq=71, birth=dt.date(1980, 1, 1), village=VILLAGE_C),
    ]
    assert registry.import_registry(path=write_csv(rows)).errors == []
    return {}


def programme(**kw) -> Programme:  # type: ignore[no-untyped-def]
    args = {
        "slug": "dlz",
        "name": "顶梁柱",
        "sponsor": "中国扶贫基金会",
        "insurer": "某保险",
        "premium_fen": 10_000,
        "min_age": 18,
        "max_age": 60,
        "starts_on": dt.date(2018, 1, 1),
        "ends_on": dt.date(2020, 12, 31),
    } | kw
    return Programme.objects.create(**args)


def open_campaign() -> Campaign:
    return Campaign.objects.create(
        slug="c",
        title="顶梁柱",
        programme_name="顶梁柱",
        goal_fen=10**9,
        starts_on=dt.date(2018, 1, 1),
        ends_on=dt.date(2030, 1, 1),
        status="open",
    )


def insured(slug: str = "dlz") -> set[str]:
    return {
        p.person.name for p in Policy.objects.filter(programme__slug=slug).select_related("person")
    }


def test_age_edges_and_county_flags(people) -> None:  # type: ignore[no-untyped-def]
    programme()
    result = services.enroll(programme_slug="dlz", period_start=PERIOD)
    assert insured() == {"满十八", "六十岁", "妇女", "已脱贫"}  # 定西 is not flagged here
    assert result.enrolled == result.eligible == 4 and result.premium_fen == 40_000


def test_sex_status_and_deep_poverty_rules(people) -> None:  # type: ignore[no-untyped-def]
    programme(
        slug="hbx", name="好保险", min_age=0, max_age=100, sex="F", household_statuses=["poor"]
    )
    services.enroll(programme_slug="hbx", period_start=PERIOD)
    assert insured("hbx") == {"妇女"}
    programme(slug="deep", require_deep_poverty=True)
    services.enroll(programme_slug="deep", period_start=PERIOD)
    assert insured("deep") == {"满十八", "六十岁", "妇女", "已脱贫"}


def entry(index: int) -> dict:  # type: ignore[type-arg]
    return json.loads(bytes(Entry.objects.get(index=index).data))


def test_enrollment_is_idempotent_and_pays_each_county_batch_in_the_ledger(people) -> None:  # type: ignore[no-untyped-def]
    programme()
    first = services.enroll(programme_slug="dlz", period_start=PERIOD)
    again = services.enroll(programme_slug="dlz", period_start=PERIOD)
    assert again.enrolled == 0 and again.ledger_indexes == []
    assert Policy.objects.count() == 4
    enrolled, paid = (entry(i) for i in first.ledger_indexes)  # one county: one batch
    assert enrolled["kind"] == "enrollment" and enrolled["people"] == 4
    assert set(enrolled["commitments"]) == {"members"}
    assert paid["kind"] == "premium" and paid["amount_fen"] == 40_000 and paid["people"] == 4
    assert "满十八" not in json.dumps([enrolled, paid], ensure_ascii=False)
    payment = PremiumPayment.objects.get()
    assert (payment.people, payment.amount_fen) == (4, 40_000)
    assert payment.ledger_index == first.ledger_indexes[1]
    numbers = {p.policy_no for p in Policy.objects.select_related("programme")}
    assert len(numbers) == 4 and all(n.startswith("DLZ-20180701-") for n in numbers)


def test_a_first_run_batch_that_meets_someone_insured_after_all_enrolls_the_rest(people) -> None:  # type: ignore[no-untyped-def]
    # A concurrent run insured 满十八 after this run found the period empty: the plain insert
    # meets the unique constraint and the batch is made again with ON CONFLICT.
    from tuopin.registry.models import Person

    p = programme()
    first = Person.objects.get(name="满十八")
    Policy.objects.create(
        programme=p,
        person=first,
        village_code=first.village_code,
        period_start=PERIOD,
        enrolled_at=timezone.now(),
    )
    county = first.village_code[:6] + "000000"
    enrolled, _ = batches.insure_county(p, PERIOD, county, "", fresh=True)
    assert enrolled == 3
    assert insured() == {"满十八", "六十岁", "妇女", "已脱贫"}


def test_a_batch_for_a_county_the_rule_does_not_cover_insures_nobody(people) -> None:  # type: ignore[no-untyped-def]
    p = programme(require_national_poor=True)  # 定西 is not flagged national poor here
    county = VILLAGE_C[:6] + "000000"

    enrolled, indexes = batches.insure_county(p, PERIOD, county, "", fresh=True)

    assert (enrolled, indexes) == (0, [])
    assert Policy.objects.count() == 0


def _members_opening(index: int) -> str:
    from tuopin.ledger.models import Opening

    return Opening.objects.get(entry_index=index, label="members").value


def _digest_of(policies: list[Policy]) -> str:
    import hashlib

    numbers = sorted((p.person_id, p.policy_no) for p in policies)
    return hashlib.sha256("".join(n + "\n" for _i, n in numbers).encode()).hexdigest()


def test_each_county_batch_commits_to_its_own_members_only(people) -> None:  # type: ignore[no-untyped-def]
    programme(require_national_poor=False)  # 巴东 (4 people) and 定西 (1): a batch each

    result = services.enroll(programme_slug="dlz", period_start=PERIOD)

    policies = list(Policy.objects.select_related("programme"))
    second_batch = [p for p in policies if p.village_code == VILLAGE_C]
    assert len(result.ledger_indexes) == 4 and len(second_batch) == 1
    assert _members_opening(result.ledger_indexes[2]) == _digest_of(second_batch)


def test_enrollment_checkpoints_sqlites_log_once_after_its_batches(  # type: ignore[no-untyped-def]
    people, monkeypatch: pytest.MonkeyPatch
) -> None:
    from django.db import connection

    if connection.vendor != "sqlite":
        pytest.skip("the WAL checkpoint is SQLite's")
    programme(require_national_poor=False)  # two counties, two batches
    seen: list[int] = []
    insure_county = batches.insure_county

    def noting_the_setting(*args, **kwargs):  # type: ignore[no-untyped-def]
        with connection.cursor() as cur:
            cur.execute("PRAGMA wal_autocheckpoint")
            seen.append(cur.fetchone()[0])
        return insure_county(*args, **kwargs)

    monkeypatch.setattr(batches, "insure_county", noting_the_setting)

    services.enroll(programme_slug="dlz", period_start=PERIOD)

    assert seen == [0, 0]


def test_the_members_commitment_opens_to_the_batch_policy_numbers(people) -> None:  # type: ignore[no-untyped-def]
    import hashlib

    from tuopin.ledger.models import Opening

    programme()
    result = services.enroll(programme_slug="dlz", period_start=PERIOD)
    opening = Opening.objects.get(entry_index=result.ledger_indexes[0], label="members")
    numbers = sorted((p.person_id, p.policy_no) for p in Policy.objects.select_related("programme"))
    expected = hashlib.sha256("".join(n + "\n" for _i, n in numbers).encode()).hexdigest()
    assert opening.value == expected


def test_an_enrollment_for_a_closed_period_is_refused(people) -> None:  # type: ignore[no-untyped-def]
    programme(ends_on=dt.date(2018, 6, 30))
    with pytest.raises(BadProgramme) as exc:
        services.enroll(programme_slug="dlz", period_start=PERIOD)
    assert exc.value.code == "period_closed"
    assert Policy.objects.count() == 0 and Entry.objects.count() == 0


def test_exits_for_death_moving_away_and_eligibility_with_their_reasons(people) -> None:  # type: ignore[no-untyped-def]
    from tuopin.registry.models import Household, Person

    programme(household_statuses=["poor", "lifted"])
    services.enroll(programme_slug="dlz", period_start=PERIOD)
    Person.objects.filter(name="满十八").update(status="died")
    Person.objects.filter(name="妇女").update(status="moved_out")
    # 六十岁's household falls out of the programme's statuses.
    Household.objects.filter(members__name="六十岁").update(status="returned")
    result = services.enroll(programme_slug="dlz", period_start=PERIOD)
    assert result.exited == 3 and result.enrolled == 0
    reasons = dict(
        Policy.objects.filter(status="exited").values_list("person__name", "exit_reason")
    )
    assert reasons == {"满十八": "died", "妇女": "moved", "六十岁": "ineligible"}
    decision = Entry.objects.filter(kind="decision").get()
    assert json.loads(bytes(decision.data))["exits"] == {"died": 1, "moved": 1, "ineligible": 1}
    assert services.enroll(programme_slug="dlz", period_start=PERIOD).exited == 0


def test_one_policy_per_person_programme_and_period_is_a_constraint(people) -> None:  # type: ignore[no-untyped-def]
    programme()
    services.enroll(programme_slug="dlz", period_start=PERIOD)
    policy = Policy.objects.first()
    assert policy is not None
    policy.pk = None
    with pytest.raises(IntegrityError):
        policy.save()


def test_enrollment_cannot_exceed_the_money_raised_without_a_reason(people, operator) -> None:  # type: ignore[no-untyped-def]
    campaign = open_campaign()
    charity.record_donation(
        by=operator, campaign_slug="c", amount_fen=30_000, channel="online", payment_ref="P1"
    )
    programme(campaign=campaign)
    with pytest.raises(Exception) as exc:
        services.enroll(programme_slug="dlz", period_start=PERIOD)
    assert getattr(exc.value, "code", "") == "insufficient_funds"
    assert Policy.objects.count() == 0
    result = services.enroll(
        programme_slug="dlz", period_start=PERIOD, override_reason="保险公司垫付"
    )
    assert result.enrolled == 4
    assert entry(result.ledger_indexes[1])["override"] is True  # the free text stays off it
    assert PremiumPayment.objects.get().override_reason == "保险公司垫付"


def test_funds_count_refunds_and_premiums_already_paid(people, operator) -> None:  # type: ignore[no-untyped-def]
    campaign = open_campaign()
    d = charity.record_donation(
        by=operator, campaign_slug="c", amount_fen=60_000, channel="online", payment_ref="P1"
    ).donation
    programme(campaign=campaign)
    services.enroll(programme_slug="dlz", period_start=PERIOD)  # 4 × 100 元 of 600 元
    funds = selectors.campaign_funds(campaign)
    assert (funds["premiums_fen"], funds["available_fen"], funds["insured"]) == (40_000, 20_000, 4)
    charity.refund_donation(
        by=operator, donation=d, amount_fen=15_000, refund_ref="R1", reason="重复支付"
    )
    assert selectors.campaign_funds(campaign)["available_fen"] == 5_000
    programme(slug="dlz2", campaign=campaign)
    with pytest.raises(BadProgramme):
        services.enroll(programme_slug="dlz2", period_start=PERIOD)


def test_an_inverted_age_range_is_refused_by_the_database() -> None:
    with pytest.raises(IntegrityError):
        programme(min_age=61, max_age=18)


def test_the_command_line_reports_json(
    people, operator, capsys: pytest.CaptureFixture[str]
) -> None:  # type: ignore[no-untyped-def]
    from django.core.management import call_command

    programme()
    call_command(
        "insurance", "enroll", "dlz", "--period", "2018-07-01", "--user", "operator", "--json"
    )
    assert json.loads(capsys.readouterr().out)["enrolled"] == 4


def test_the_command_line_refuses_a_user_without_the_permission(people, observer) -> None:  # type: ignore[no-untyped-def]
    from django.core.management import CommandError, call_command

    programme()
    with pytest.raises(CommandError, match="没有批量参保的权限"):
        call_command("insurance", "enroll", "dlz", "--period", "2018-07-01", "--user", "observer")
    with pytest.raises(CommandError, match="没有批量参保的权限"):
        call_command("insurance", "exits", "dlz", "--period", "2018-07-01", "--user", "observer")
    assert not Policy.objects.exists()


def test_a_batch_that_finds_the_money_gone_writes_nothing_and_the_paid_batches_stay(
    people, operator
) -> None:  # type: ignore[no-untyped-def]
    """Between the run's own check and a county's batch, someone else spends the money (here a
    refund): that batch's policies, payment and ledger entries are all rolled back together."""
    from tuopin.areas import services as areas

    areas.set_poverty_flags(code="621102000000", national_poor=True, deep_poverty=False)
    campaign = open_campaign()
    gift = charity.record_donation(
        by=operator, campaign_slug="c", amount_fen=50_000, channel="online", payment_ref="P1"
    ).donation
    programme(campaign=campaign)  # 4 people in 巴东, 1 in 定西: 50,000 fen needed

    def spend_after_first_county(done: int, total: int) -> None:
        if done == 1:
            charity.refund_donation(
                by=operator, donation=gift, amount_fen=5_000, refund_ref="R1", reason="退回"
            )

    entries_before = Entry.objects.count()
    with pytest.raises(BadProgramme) as exc:
        services.enroll(
            programme_slug="dlz", period_start=PERIOD, progress=spend_after_first_county
        )
    assert exc.value.code == "insufficient_funds"
    assert set(Policy.objects.values_list("village_code", flat=True)) == {VILLAGE_A}
    assert PremiumPayment.objects.get().people == 4
    kinds = list(Entry.objects.order_by("index").values_list("kind", flat=True))[entries_before:]
    assert kinds == ["enrollment", "premium", "refund"]  # nothing of 定西's batch


def test_a_deep_poverty_programme_leaves_out_a_poor_county_that_is_not_deep(people) -> None:  # type: ignore[no-untyped-def]
    from tuopin.areas import services as areas

    areas.set_poverty_flags(code="621102000000", national_poor=True, deep_poverty=False)
    programme(slug="national")
    programme(slug="deep", require_deep_poverty=True)
    services.enroll(programme_slug="national", period_start=PERIOD)
    services.enroll(programme_slug="deep", period_start=PERIOD)
    assert "定西人" in insured("national")
    assert "定西人" not in insured("deep")


def test_a_policy_follows_its_person_to_another_qualifying_village(people) -> None:  # type: ignore[no-untyped-def]
    from tuopin.conftest import VILLAGE_B
    from tuopin.registry.models import Household, Person

    programme()
    services.enroll(programme_slug="dlz", period_start=PERIOD)
    Household.objects.filter(members__name="妇女").update(village_id=VILLAGE_B)
    Person.objects.filter(name="妇女").update(village_code=VILLAGE_B)
    result = services.enroll(programme_slug="dlz", period_start=PERIOD)
    assert result.exited == 0 and result.enrolled == 0
    moved = Policy.objects.get(person__name="妇女")
    assert (moved.status, moved.village_code) == ("active", VILLAGE_B)
