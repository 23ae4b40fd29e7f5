"""Helpers and pledges (爱心人士认捐): an approved poor-student case is forwarded to the
helpers, who see it masked and pledge; each pledge becomes a disbursement that the county
approves (the shared approval chain) before it is marked paid, with a ledger entry."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db import transaction
from django.db.models import QuerySet, Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from tuopin.accounts import approvals, permissions, scoping
from tuopin.accounts.approvals import Action, Status
from tuopin.areas import codes
from tuopin.core.errors import DomainError
from tuopin.core.money import MAX_FEN
from tuopin.ledger import services as ledger
from tuopin.registry.panels import Panel

from .errors import BadDecision, Locked, NotYourTurn, SubmissionNotFound
from .models import Disbursement, Pledge, Submission

PLEDGE = "casework.pledge_case"
DECIDE = "casework.decide_submission"
PAY = "casework.pay_disbursement"
DISBURSEMENT_CHAIN = (codes.COUNTY,)


def _requested_fen(s: Submission) -> int:
    v = s.values.filter(field__kind__in=["decimal", "integer"], field__aggregate=True).first()
    return int(v.number * 100) if v is not None and v.number is not None else 0


def forward_case(*, submission: Submission, by: Any) -> Submission:
    """The officer who gave the last approval forwards the case to the helper group."""
    with transaction.atomic():
        s = (
            Submission.objects.select_for_update(of=("self",))
            .select_related("report_type")
            .get(pk=submission.pk)
        )
        steps = s.step_list
        if not s.report_type.forwardable or s.status != Status.APPROVED:
            raise BadDecision(_("只有审批通过的可转个案才能转给爱心人士"))
        if not steps or not approvals.may_decide(by, steps[-1], DECIDE):
            raise NotYourTurn(_("须由最后一级审批的干部转出"))
        if s.forwarded:
            return s
        s.forwarded = True
        s.save(update_fields=["forwarded"])
        ledger.append_entry(
            kind="decision",
            payload={
                "subject": "casework.submission",
                "submission": s.pk,
                "action": "forward",
                "area": steps[-1],
                "content_hash": s.content_hash,
            },
        )
    return s


@dataclass(frozen=True)
class MaskedCase:
    """What a helper sees: no name, no village, no school: the county, the grade, the need."""

    id: int
    county: str
    grade: str
    need: str
    requested_fen: int
    pledged_fen: int
    student: str  # 唐同学


def forwarded_for(user: Any) -> QuerySet[Submission]:
    permissions.require(user, PLEDGE, _("没有查看转来个案的权限"))
    return Submission.objects.filter(forwarded=True, status=Status.APPROVED).select_related(
        "person", "area"
    )


def _mask(s: Submission) -> MaskedCase:
    from tuopin.areas import selectors as areas

    county_code = approvals.area_at(s.area_id, codes.COUNTY)
    county = areas.areas_by_codes([county_code]).get(county_code)
    by_key = {v.field.key: v for v in s.values.select_related("field")}
    grade = by_key.get("grade")
    need = by_key.get("need")
    pledged = s.pledges.aggregate(t=Sum("amount_fen"))["t"] or 0
    return MaskedCase(
        id=s.pk,
        county=county.name if county else "",
        grade=grade.text if grade else "",
        need=need.text if need else "",
        requested_fen=_requested_fen(s),
        pledged_fen=pledged,
        student=(s.person.name[:1] + _("同学")) if s.person is not None else _("学生"),
    )


def masked_cases_for(user: Any) -> list[MaskedCase]:
    return [_mask(s) for s in forwarded_for(user).order_by("-filed_at")[:200]]


def get_masked_case_for(user: Any, case_id: int) -> MaskedCase:
    s = forwarded_for(user).filter(pk=case_id).first()
    if s is None:
        raise SubmissionNotFound(_("个案不存在"))
    return _mask(s)


def pledge(*, case_id: int, amount_fen: int, note: str = "", by: Any) -> Pledge:
    """A helper pledges; the pledge at once becomes a disbursement waiting for the county."""
    if not isinstance(amount_fen, int) or not 0 < amount_fen <= MAX_FEN:
        raise BadDecision(_("认捐金额须大于 0"))
    with transaction.atomic():
        s = forwarded_for(by).select_for_update(of=("self",)).filter(pk=case_id).first()
        if s is None:
            raise SubmissionNotFound(_("个案不存在"))
        pledged = s.pledges.aggregate(t=Sum("amount_fen"))["t"] or 0
        requested = _requested_fen(s)
        if requested and pledged + amount_fen > requested:
            raise BadDecision(
                _("认捐后将超过申请金额，最多还可认捐 %(y).2f 元")
                % {"y": (requested - pledged) / 100}
            )
        p = Pledge.objects.create(
            submission=s, helper=by, amount_fen=amount_fen, note=note[:200], at=timezone.now()
        )
        d = Disbursement(pledge=p, amount_fen=amount_fen)
        d.steps = ",".join(approvals.step_areas(s.area_id, DISBURSEMENT_CHAIN))
        d.move_to(Status.PENDING, 0)
        d.save()
    return p


def decide_disbursement(
    *, disbursement_id: int, action: str, payment_ref: str = "", by: Any
) -> Disbursement:
    """One entry point for pages and API: ``approve`` or ``pay`` a disbursement in scope."""
    d = disbursements_for(by).filter(pk=disbursement_id).first()
    if d is None:
        raise SubmissionNotFound(_("拨付不存在"))
    if action == "approve":
        return approve_disbursement(disbursement=d, by=by)
    if action == "pay":
        return mark_paid(disbursement=d, payment_ref=payment_ref, by=by)
    raise BadDecision(_("未知的操作：%(a)s") % {"a": action})


def disbursements_for(user: Any) -> QuerySet[Disbursement]:
    permissions.require(user, DECIDE, _("没有审批的权限"))
    return scoping.scope(
        Disbursement.objects.all(), user, "pledge__submission__area__code"
    ).select_related("pledge", "pledge__submission")


def approve_disbursement(*, disbursement: Disbursement, by: Any, comment: str = "") -> Disbursement:
    """The county's officer approves (or the payment waits): the same chain rules."""
    with transaction.atomic():
        d = Disbursement.objects.select_for_update().get(pk=disbursement.pk)
        may = approvals.allowed_actions(by, d.status, d.step_index, d.step_list, DECIDE)
        if Action.APPROVE not in may:
            if d.status != Status.PENDING:
                raise Locked(_("此拨付已审批"))
            raise NotYourTurn(_("须由个案所在县的审批干部审批拨付"))
        d.move_to(*approvals.after_approval(d.step_list, d.step_index))
        d.save()
        ledger.append_entry(
            kind="decision",
            payload={
                "subject": "casework.disbursement",
                "disbursement": d.pk,
                "action": "approve",
                "area": d.step_list[-1],
                "amount_fen": d.amount_fen,
            },
        )
    return d


def mark_paid(*, disbursement: Disbursement, payment_ref: str, by: Any) -> Disbursement:
    """Only an approved disbursement is paid: a 拨付 ledger entry, the family as a
    commitment (never a name), whose opening makes the receipt."""
    payment_ref = payment_ref.strip()
    if not payment_ref:
        raise BadDecision(_("请填写支付流水号"))
    with transaction.atomic():
        d = (
            Disbursement.objects.select_for_update(of=("self",))
            .select_related("pledge__submission")
            .get(pk=disbursement.pk)
        )
        s = d.pledge.submission
        if not approvals.may_decide(by, d.step_list[-1], PAY):
            raise NotYourTurn(_("须由个案所在县的审批干部登记支付"))
        if d.status != Status.APPROVED:
            raise Locked(_("拨付须先审批通过才能支付"))
        if d.paid_at is not None:
            raise Locked(_("此拨付已支付"))
        entry = ledger.append_entry(
            kind="disbursement",
            payload={
                "subject": "casework.disbursement",
                "disbursement": d.pk,
                "amount_fen": d.amount_fen,
            },
            commit={"recipient": (f"casework.submission:{s.pk}", f"{s.pk}:{payment_ref}")},
        )
        d.paid_at, d.payment_ref, d.ledger_index = entry.at, payment_ref[:64], entry.index
        d.save(update_fields=["paid_at", "payment_ref", "ledger_index"])
    return d


@dataclass(frozen=True)
class Support:
    case_id: int
    type_name: str
    pledged_fen: int
    paid_fen: int


def support_for_household(user: Any, household: Any) -> list[Support]:
    """Support received by a household fetched with the registry's access function."""
    from .selectors import submissions_for

    try:
        cases = submissions_for(user).filter(household=household, forwarded=True)
    except DomainError:
        return []
    out = []
    for s in cases:
        pledged = s.pledges.aggregate(t=Sum("amount_fen"))["t"] or 0
        paid = (
            Disbursement.objects.filter(pledge__submission=s, paid_at__isnull=False).aggregate(
                t=Sum("amount_fen")
            )["t"]
            or 0
        )
        out.append(Support(s.pk, s.report_type.name, pledged, paid))
    return out


def household_panel(user: Any, household: Any) -> Panel | None:
    """The household page's 受助情况 section (``registry.panels``): only when there is some."""
    rows = support_for_household(user, household)
    if not rows:
        return None
    return Panel(
        title=_("受助情况"),
        template="casework/_support_rows.html",
        context={"rows": rows, "household": household},
        order=50,
    )
