"""Writes of the insurance app: set-based enrollment, exits, premium payments and payouts.

Every write that moves money or changes someone's cover appends a ledger entry in the same
transaction; entries carry batch totals and commitments, never a person.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.db import connection, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from tuopin.accounts import permissions
from tuopin.core.bulk import one_checkpoint
from tuopin.core.money import MAX_FEN, format_yuan, is_amount
from tuopin.ledger import services as ledger

from . import batches, limits, rules, selectors
from .errors import BadPayout, BadProgramme, ProgrammeNotFound
from .models import (
    MAX_PREMIUM_FEN,
    CoverageItem,
    EnrollmentRun,
    ExitReason,
    Payout,
    Policy,
    PolicyStatus,
    Programme,
    RunStatus,
)

if TYPE_CHECKING:
    from tuopin.accounts.models import User
    from tuopin.areas.models import Area


@dataclass(frozen=True)
class Enrollment:
    programme: str
    period_start: dt.date
    eligible: int
    enrolled: int
    exited: int
    premium_fen: int
    ledger_indexes: list[int]


def _check_programme(programme: Programme, period_start: dt.date) -> None:
    if programme.min_age > programme.max_age:
        raise BadProgramme(_("年龄范围颠倒"), code="age_range_inverted")
    if not programme.starts_on <= period_start <= programme.ends_on:
        raise BadProgramme(
            _("保险期间 %(p)s 不在项目期间 %(a)s 至 %(b)s 内，已关闭")
            % {"p": period_start, "a": programme.starts_on, "b": programme.ends_on},
            code="period_closed",
        )


@transaction.atomic
def save_programme(
    *,
    by: User,
    programme: Programme,
    counties: Iterable[Area],
    coverage: Iterable[CoverageItem] = (),
    removed: Iterable[CoverageItem] = (),
    adjusters: Iterable[User] | None = None,
) -> Programme:
    """Set up a programme (new, or changed): its rule, covered counties and coverage items.

    ``by`` needs ``insurance.add_programme`` for a new one, ``insurance.change_programme``
    otherwise. The slug is fixed once the programme exists (policy numbers derive from it).
    """
    if programme.pk is None:
        permissions.require(by, "insurance.add_programme", _("没有新建保险项目的权限"))
    else:
        permissions.require(by, "insurance.change_programme", _("没有修改保险项目的权限"))
        stored = Programme.objects.select_for_update().get(pk=programme.pk)
        if stored.slug != programme.slug:
            raise BadProgramme(_("项目代码创建后不能修改"), code="slug_fixed")
    if programme.min_age > programme.max_age:
        raise BadProgramme(_("年龄范围颠倒"), code="age_range_inverted")
    if programme.starts_on > programme.ends_on:
        raise BadProgramme(_("结束日期早于开始日期"), code="dates_inverted")
    if not 0 <= programme.premium_fen <= MAX_PREMIUM_FEN:
        raise BadProgramme(
            _("保费应在 0 到 %(max)s 之间") % {"max": format_yuan(MAX_PREMIUM_FEN)},
            code="bad_amount",
        )
    coverage = list(coverage)
    for item in coverage:
        amounts = (item.per_claim_limit_fen, item.yearly_limit_fen, item.deductible_fen)
        if not all(0 <= fen <= MAX_FEN for fen in amounts):
            raise BadProgramme(
                _("限额和免赔额应在 0 到 %(max)s 之间") % {"max": format_yuan(MAX_FEN)},
                code="bad_amount",
            )
        if item.per_claim_limit_fen > item.yearly_limit_fen:
            raise BadProgramme(_("单次限额不能高于年度限额"), code="limits_inverted")
        if not 0 <= item.reimbursement_bp <= 10_000:  # the database would refuse it with a 500
            raise BadProgramme(_("比例应在 0 到 100 之间（百分比）"), code="bad_rate")
    programme.save()
    programme.counties.set(list(counties))
    if adjusters is not None:  # who decides its claims (claims.selectors)
        programme.adjusters.set(list(adjusters))
    for item in coverage:
        item.programme = programme
        item.save()
    for item in removed:
        if item.pk is not None and item.programme_id == programme.pk:
            item.delete()
    return programme


def get_programme(slug: str) -> Programme:
    programme = Programme.objects.select_related("campaign").filter(slug=slug).first()
    if programme is None:
        raise ProgrammeNotFound(_("保险项目不存在：%(s)s") % {"s": slug})
    return programme


def end_exits(*, by: User, programme: Programme, period_start: dt.date) -> int:
    """:func:`sync_exits` on an operator's word (the CLI): ``by`` needs the permission to run
    enrollment, which does the same as its first step."""
    permissions.require(by, "insurance.add_enrollmentrun", _("没有批量参保的权限"))
    return sync_exits(programme, period_start)


def sync_exits(programme: Programme, period_start: dt.date, *, on: dt.date | None = None) -> int:
    """End the period's active policies of people who died, moved away or no longer qualify.

    Three UPDATE statements (died, moved out, no longer eligible), then one ledger decision
    with the counts. People who moved to another village that still qualifies keep their
    policy, which follows them (one more UPDATE). Returns the number of policies ended.
    """
    on = on or timezone.localdate()
    base = "UPDATE insurance_policy SET status = 'exited', exit_reason = %s, exited_on = %s"
    scope = " WHERE programme_id = %s AND period_start = %s AND status = 'active'"
    scope_params = [programme.pk, rules.sql_date(period_start)]
    counts: dict[str, int] = {}
    if not Policy.objects.filter(
        programme=programme, period_start=period_start, status=PolicyStatus.ACTIVE
    ).exists():
        return 0  # nothing to end (a programme's first run): no statement over the registry
    rule_sql, rule_params = rules.rule_sql(programme, period_start)
    with transaction.atomic(), connection.cursor() as cur:
        for reason, member_status in ((ExitReason.DIED, "died"), (ExitReason.MOVED, "moved_out")):
            # Driven by the policies (one primary-key probe each), not by a scan of the
            # registry for everyone of that status.
            cur.execute(
                base  # noqa: S608 - built from fixed parts
                + scope
                + " AND EXISTS (SELECT 1 FROM registry_person p"
                " WHERE p.id = insurance_policy.person_id AND p.status = %s)",
                [reason, rules.sql_date(on), *scope_params, member_status],
            )
            counts[reason] = cur.rowcount
        # Moved within the registry: the policy follows the person while they still qualify.
        cur.execute(
            "UPDATE insurance_policy SET village_code = p.village_code FROM registry_person p"
            " WHERE p.id = insurance_policy.person_id AND p.village_code <> insurance_policy"
            ".village_code AND insurance_policy.programme_id = %s"
            " AND insurance_policy.period_start = %s AND insurance_policy.status = 'active'",
            scope_params,
        )
        cur.execute(
            base
            + scope
            + " AND NOT EXISTS (SELECT 1"
            + rule_sql
            + " AND p.id = insurance_policy.person_id)",
            [ExitReason.INELIGIBLE, rules.sql_date(on), *scope_params, *rule_params],
        )
        counts[ExitReason.INELIGIBLE] = cur.rowcount
        total = sum(counts.values())
        if total:
            ledger.append_entry(
                kind="decision",
                payload={
                    "decision": "policy_exits",
                    "programme": programme.slug,
                    "period_start": period_start.isoformat(),
                    "exits": {k: v for k, v in counts.items() if v},
                },
            )
    return total


def exit_policy(*, by: User, policy_no: str, reason: str, note: str = "") -> Policy:
    """End one policy by hand (an operator's decision), with its reason and a ledger entry.

    ``by`` needs ``insurance.change_policy`` and the holder in scope.
    """
    permissions.require(by, "insurance.change_policy", _("没有办理保单退出的权限"))
    if reason not in ExitReason.values:
        raise BadProgramme(_("未知的退出原因：%(r)s") % {"r": reason}, code="bad_exit_reason")
    with transaction.atomic():
        policy = selectors.get_policy_for(by, policy_no, for_update=True)
        if policy.status != PolicyStatus.ACTIVE:
            raise BadProgramme(_("保单已退出"), code="policy_not_active")
        policy.status = PolicyStatus.EXITED
        policy.exit_reason = reason
        policy.exit_note = note[:200]
        policy.exited_on = timezone.localdate()
        policy.save(update_fields=["status", "exit_reason", "exit_note", "exited_on"])
        ledger.append_entry(
            kind="decision",
            payload={
                "decision": "policy_exit",
                "programme": policy.programme.slug,
                "period_start": policy.period_start.isoformat(),
                "reason": reason,
            },
            commit={"insured": (f"insurance.policy:{policy.pk}", policy.policy_no)},
        )
    return policy


def enroll(
    *,
    programme_slug: str,
    period_start: dt.date,
    override_reason: str = "",
    run: EnrollmentRun | None = None,
    progress: Callable[[int, int], None] | None = None,
) -> Enrollment:
    """Insure every eligible person not yet insured for the period, county by county.

    Steps, each one SQL statement: end the policies of people who left (:func:`sync_exits`);
    count the eligible by county; per county, one ``INSERT … SELECT`` and its premium payment
    with two ledger entries (the enrollment with a commitment to its members, the premium),
    in one transaction. Idempotent: a constraint allows one policy per person, programme and
    period. With a funding campaign, the premiums may not exceed what it raised less refunds
    and premiums already paid, unless an operator gives a reason. A run that stops part-way
    keeps the counties it finished (each paid for); running it again completes it.
    """
    override_reason = override_reason.strip()[:200]
    programme = get_programme(programme_slug)
    _check_programme(programme, period_start)
    if connection.vendor == "postgresql":
        # Fresh statistics: right after a million-row run the planner would otherwise take
        # the policy table for empty and scan it once per person.
        with connection.cursor() as cur:
            cur.execute("ANALYZE insurance_policy")
    # Nobody insured for the period yet (a programme's first run): the batches may insert
    # without ON CONFLICT (batches._insert_policies). Read before any batch, so that a resumed
    # run is not.
    fresh = not Policy.objects.filter(programme=programme, period_start=period_start).exists()
    exited = 0 if fresh else sync_exits(programme, period_start)
    if run is not None or (programme.campaign_id is not None and not override_reason):
        # Count first: the premiums must fit the funds before the first county is paid, and
        # a run's page shows how many are eligible from the start.
        rule = rules.rule_sql(programme, period_start)
        fresh_sql, fresh_params = rules.not_insured_sql(programme, period_start)
        with connection.cursor() as cur:
            cur.execute(
                "SELECT c.code, COUNT(*)"
                + rule[0]
                + fresh_sql
                + " GROUP BY c.code ORDER BY c.code",
                [*rule[1], *fresh_params],
            )
            by_county = [(code, int(n)) for code, n in cur.fetchall()]
        counties = [code for code, _n in by_county]
        eligible: int | None = sum(n for _code, n in by_county)
        if eligible and not override_reason:
            batches.require_funds(programme.campaign, eligible, eligible * programme.premium_fen)
    else:
        # Nothing to check first: the counties the rule admits, each batch counting its own
        # (one pass over the registry less: the count was a sixth of the run, bench/README).
        counties = rules.counties(programme, period_start)
        eligible = None
    if run is not None:
        EnrollmentRun.objects.filter(pk=run.pk).update(
            status=RunStatus.RUNNING,
            counties_total=len(counties),
            eligible=eligible,
            exited=exited,
            heartbeat_at=timezone.now(),  # core.jobs: the run is alive
        )
    enrolled = 0
    indexes: list[int] = []
    with one_checkpoint():  # SQLite: one WAL checkpoint after the batches, not one each
        for done, county in enumerate(counties, start=1):
            people, batch_indexes = batches.insure_county(
                programme, period_start, county, override_reason, fresh=fresh
            )
            enrolled += people
            indexes += batch_indexes
            if run is not None:
                # Added to what the run holds: a resumed run keeps what its first attempt did.
                EnrollmentRun.objects.filter(pk=run.pk).update(
                    counties_done=done,
                    enrolled=F("enrolled") + people,
                    premium_fen=F("premium_fen") + people * programme.premium_fen,
                    heartbeat_at=timezone.now(),
                )
            if progress is not None:
                progress(done, len(counties))
    return Enrollment(
        programme.slug,
        period_start,
        enrolled if eligible is None else eligible,
        enrolled,
        exited,
        enrolled * programme.premium_fen,
        indexes,
    )


def plan_run(
    *,
    user: User | None,
    programme_slug: str,
    period_start: dt.date,
    override_reason: str = "",
    require_funds: bool = True,
) -> Preview:
    """What a run would do, checked as the run will check it, writing nothing: the operator's
    page shows this for confirmation, and :func:`start_run` refuses on the same grounds before
    creating a run (a closed period; premiums beyond the funds without an override reason).
    ``require_funds=False`` only counts (the page's preview shows the shortfall itself)."""
    permissions.require(user, "insurance.add_enrollmentrun", _("没有批量参保的权限"))
    programme = get_programme(programme_slug)
    _check_programme(programme, period_start)
    plan = _preview(programme, period_start)
    if require_funds and plan.eligible and not override_reason.strip():
        batches.require_funds(programme.campaign, plan.eligible, plan.premium_fen)
    return plan


def start_run(
    *, user: User | None, programme_slug: str, period_start: dt.date, override_reason: str = ""
) -> EnrollmentRun:
    """Queue an enrollment run (the operator's page); the task does the work. ``user`` needs
    ``insurance.add_enrollmentrun``. Refused before any run exists when :func:`plan_run`
    refuses; the task checks the funds again, county by county, under the campaign's lock."""
    from .tasks import run_enrollment

    plan_run(
        user=user,
        programme_slug=programme_slug,
        period_start=period_start,
        override_reason=override_reason,
    )
    run = EnrollmentRun.objects.create(
        programme=get_programme(programme_slug),
        period_start=period_start,
        override_reason=override_reason.strip()[:200],
        started_by=user,
    )
    transaction.on_commit(lambda: run_enrollment.enqueue(run.pk))
    return run


def record_payout(
    *,
    policy: Policy,
    benefit: str,
    loss_fen: int,
    at: dt.datetime | None = None,
    cap_fen: int | None = None,
    service_day: dt.date | None = None,
) -> Payout:
    """Pay on a policy for one benefit: what the cover allows of ``loss_fen`` (deductible,
    rate, per-claim limit, what remains of the yearly limit), at most ``cap_fen`` (an
    adjuster's approved amount), with its ledger entry. ``service_day`` (the day of the loss;
    default the day paid) must lie in the cover.

    Claims (adjudicated elsewhere) call this; it refuses a payout the cover does not allow.
    """
    if not is_amount(loss_fen):
        raise BadPayout(
            _("损失金额必须是正整数（分），不超过 %(max)s") % {"max": format_yuan(MAX_FEN)},
            code="bad_amount",
        )
    at = at or timezone.now()
    with transaction.atomic():
        policy = (
            Policy.objects.select_for_update(of=("self",))
            .select_related("programme", "programme__campaign")
            .get(pk=policy.pk)
        )
        if policy.status != PolicyStatus.ACTIVE:
            raise BadPayout(_("保单已退出"), code="policy_not_active")
        item = CoverageItem.objects.filter(programme=policy.programme, benefit=benefit).first()
        if item is None:
            raise BadPayout(_("该保单不保此项：%(b)s") % {"b": benefit}, code="not_covered")
        day = service_day or timezone.localtime(at).date()
        if not limits.in_cover(item.waiting_days, policy.period_start, day):
            raise BadPayout(_("不在保障期内（含等待期）"), code="outside_cover")
        used = selectors.used_fen(policy.pk, benefit)
        amount = limits.payable(limits.Limits.of(item), loss_fen, used)
        if cap_fen is not None:
            amount = min(amount, cap_fen)
        if amount <= 0:
            raise BadPayout(_("该项保障额度已用完或未超过免赔额"), code="nothing_payable")
        entry = ledger.append_entry(
            kind="payout",
            payload={
                "programme": policy.programme.slug,
                "campaign": policy.programme.campaign.slug if policy.programme.campaign else None,
                "benefit": benefit,
                "amount_fen": amount,
            },
            commit={"insured": (f"insurance.policy:{policy.pk}", policy.policy_no)},
        )
        return Payout.objects.create(
            policy=policy,
            benefit=benefit,
            loss_fen=loss_fen,
            amount_fen=amount,
            village_code=policy.village_code,
            paid_at=at,
            ledger_index=entry.index,
        )


@dataclass(frozen=True)
class Preview:
    eligible: int  # eligible and not yet insured for the period
    premium_fen: int
    available_fen: int | None  # None: no funding campaign

    @property
    def short_fen(self) -> int:
        """How much the premiums exceed the funds (0 when they fit or nothing limits them)."""
        if self.available_fen is None:
            return 0
        return max(0, self.premium_fen - self.available_fen)


def preview(*, programme_slug: str, period_start: dt.date) -> Preview:
    """What an enrollment would do now, without doing it: one COUNT."""
    return _preview(get_programme(programme_slug), period_start)


def _preview(programme: Programme, period_start: dt.date) -> Preview:
    rule_sql, rule_params = rules.rule_sql(programme, period_start)
    fresh_sql, fresh_params = rules.not_insured_sql(programme, period_start)
    with connection.cursor() as cur:
        cur.execute("SELECT COUNT(*)" + rule_sql + fresh_sql, [*rule_params, *fresh_params])
        eligible = int(cur.fetchone()[0])
    available = (
        selectors.campaign_funds(programme.campaign)["available_fen"]
        if programme.campaign is not None
        else None
    )
    return Preview(eligible, eligible * programme.premium_fen, available)
