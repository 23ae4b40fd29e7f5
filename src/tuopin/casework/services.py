"""Writes of field reports: filing, re-filing a returned report, and the approval chain's
decisions. Each is atomic, checks its actor (``by``), and appends a ledger ``decision`` entry
holding the submission's salted content hash (no personal data) in the same transaction."""

from __future__ import annotations

import datetime as dt
import secrets
from dataclasses import dataclass
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from tuopin.accounts import approvals, permissions, scoping
from tuopin.accounts.approvals import Action, Status
from tuopin.areas import codes
from tuopin.ledger import services as ledger

from . import periods, roster, tallies
from .errors import BadDecision, BelowNotApproved, InvalidReport, Locked, NotYourTurn
from .evidence import attach_photos
from .models import Decision, ReportType, Submission, Value
from .validation import clean

FILE = "casework.add_submission"
REFILE = "casework.change_submission"
DECIDE = "casework.decide_submission"


def _now() -> dt.datetime:
    return timezone.now()


def _record(
    submission: Submission, *, action: str, by: Any, comment: str, step: int, area: str
) -> Decision:
    entry = ledger.append_entry(
        kind="decision",
        payload={
            "subject": "casework.submission",
            "submission": submission.pk,
            "report_type": submission.report_type.slug,
            "action": action,
            "step": step,
            "area": area,
            "content_hash": submission.content_hash,
        },
    )
    return Decision.objects.create(
        submission=submission,
        action=action,
        step_index=step,
        area_code=area,
        by=by,
        at=entry.at,
        comment=comment[:500],
        content_hash=submission.content_hash,
        ledger_index=entry.index,
    )


def _write_content(
    submission: Submission, report_type: ReportType, cleaned_values: dict[str, Any], photos: Any
) -> None:
    """(Re)write the values and photos of ``submission`` and its content hash."""
    fields = {f.key: f for f in report_type.fields.all()}
    Value.objects.filter(submission=submission).delete()
    rows = []
    for key, value in cleaned_values.items():
        f = fields[key]
        row = Value(
            submission=submission,
            field=f,
            area_code=submission.area_id,
            period_start=submission.period_start,
        )
        if f.kind in ("integer", "decimal"):
            row.number = value
        elif f.kind == "date":
            row.date = value
        elif f.kind in ("person", "household"):
            row.ref = value
        else:
            row.text = value
        rows.append(row)
    Value.objects.bulk_create(rows)
    photo_hashes = attach_photos(submission, fields, photos)
    content = {k: str(v) for k, v in sorted(cleaned_values.items())}
    submission.content_hash = periods.content_hash(submission.salt, content, photo_hashes)


def _checked(
    report_type: ReportType,
    values: dict[str, Any],
    photos: dict[str, list[bytes]],
    *,
    by: Any,
    village: str,
) -> Any:
    cleaned = clean(list(report_type.fields.all()), values, photos, by=by, village=village)
    if cleaned.errors:
        first = next(iter(cleaned.errors.values()))
        raise InvalidReport(first, detail=cleaned.errors)
    return cleaned


def file_submission(
    *,
    report_type: ReportType,
    village: str,
    values: dict[str, Any],
    photos: dict[str, list[bytes]] | None = None,
    period: dt.date | None = None,
    by: Any,
) -> Submission:
    """A cadre files a report for their village (and the period holding ``period``, today by
    default). Refused whole with a message per field if anything is wrong."""
    permissions.require(by, FILE, _("没有上报的权限"))
    if not report_type.active:
        raise InvalidReport(_("此上报类型已停用"))
    if codes.level_of(village) != codes.VILLAGE or not scoping.covers(by, village):
        raise NotYourTurn(_("只能为本村上报"))
    now = _now()
    start = periods.period_start(period or timezone.localdate(now), report_type.periodicity)
    cleaned = _checked(report_type, values, photos or {}, by=by, village=village)
    steps = approvals.step_areas(village, approvals.parse_chain(report_type.chain))
    with transaction.atomic():
        submission = Submission(
            report_type=report_type,
            area_id=village,
            period_start=start,
            household=cleaned.household,
            person=cleaned.person,
            filed_by=by,
            filed_at=now,
            due_at=now + dt.timedelta(days=report_type.due_days),
            salt=secrets.token_hex(16),
            steps=",".join(steps),
        )
        submission.move_to(Status.PENDING, 0) if steps else submission.move_to(Status.APPROVED, 0)
        submission.save()
        _write_content(submission, report_type, cleaned.values, cleaned.photos)
        submission.save(update_fields=["content_hash"])
        tallies.add(submission, 1)
        _record(submission, action=Action.SUBMIT, by=by, comment="", step=-1, area=village)
    return submission


def refile_submission(
    *,
    submission: Submission,
    values: dict[str, Any],
    photos: dict[str, list[bytes]] | None = None,
    by: Any,
) -> Submission:
    """The village's cadre corrects a returned report and files it again (from the first
    step). Anything else is locked."""
    permissions.require(by, REFILE, _("没有修改上报的权限"))
    if not scoping.covers(by, submission.area_id):
        raise NotYourTurn(_("只能修改本村的上报"))
    report_type = submission.report_type
    with transaction.atomic():
        locked = Submission.objects.select_for_update().get(pk=submission.pk)
        if locked.status != Status.RETURNED:
            raise Locked(_("此上报已锁定（%(s)s），不能修改") % {"s": locked.get_status_display()})
        cleaned = _checked(report_type, values, photos or {}, by=by, village=locked.area_id)
        locked.household, locked.person = cleaned.household, cleaned.person
        tallies.add(locked, -1)
        _write_content(locked, report_type, cleaned.values, cleaned.photos)
        tallies.add(locked, 1)
        locked.move_to(Status.PENDING, 0)
        locked.due_at = _now() + dt.timedelta(days=report_type.due_days)
        locked.save()
        _record(locked, action=Action.SUBMIT, by=by, comment="", step=-1, area=locked.area_id)
    return locked


@dataclass(frozen=True)
class Outcome:
    submission: Submission
    decision: Decision


def decide(
    *, submission: Submission, action: str, by: Any, comment: str = "", to_step: int | None = None
) -> Outcome:
    """An officer of the current step's area approves, rejects or returns it (with a
    comment); an officer of a step it has reached sends it back down to ``to_step`` (-1:
    the filer). Locks the row, so two officers cannot both decide the same step."""
    comment = comment.strip()
    with transaction.atomic():
        s = (
            Submission.objects.select_for_update(of=("self",))
            .select_related("report_type")
            .get(pk=submission.pk)
        )
        steps = s.step_list
        allowed = approvals.allowed_actions(by, s.status, s.step_index, steps, DECIDE)
        if action not in Action.values or action == Action.SUBMIT:
            raise BadDecision(_("未知的审批操作：%(a)s") % {"a": action})
        if action not in allowed:
            if s.status in (Status.APPROVED, Status.REJECTED) and action != Action.SEND_BACK:
                raise Locked(_("此上报已锁定（%(s)s），不能再审批") % {"s": s.get_status_display()})
            raise NotYourTurn(_("现在不是您审批：须由当前审批层级所在区划的干部审批"))
        mine = approvals.decider_index(by, steps, DECIDE)
        assert mine is not None  # allowed is empty otherwise
        if action in (Action.REJECT, Action.RETURN, Action.SEND_BACK) and not comment:
            raise BadDecision(_("不通过、退回时请写明意见"))
        if action == Action.APPROVE:
            if s.report_type.periodic:
                raise BadDecision(_("按期上报须按区域整体审批（下级全部通过后）"))
            s.move_to(*approvals.after_approval(steps, s.step_index))
        elif action == Action.REJECT:
            s.move_to(Status.REJECTED, s.step_index)
            tallies.add(s, -1)
            Value.objects.filter(submission=s).update(counted=False)
        elif action == Action.RETURN:
            s.move_to(Status.RETURNED, s.step_index)
        else:
            target = -1 if to_step is None else to_step
            if target not in approvals.send_back_targets(mine):
                raise BadDecision(_("只能退回到比自己低的层级"))
            if target < 0:
                s.move_to(Status.RETURNED, 0)
            else:
                s.move_to(Status.PENDING, target)
        s.due_at = _now() + dt.timedelta(days=s.report_type.due_days)
        s.save()
        decision = _record(s, action=action, by=by, comment=comment, step=mine, area=steps[mine])
    return Outcome(s, decision)


def approve_area(
    *, report_type: ReportType, period_start: dt.date, area_code: str, by: Any, comment: str = ""
) -> list[Submission]:
    """Bottom-up approval of a periodic report (as DHIS2 does): an officer of ``area_code``
    approves the period's submissions below it at their level, only once every submission
    below has been approved by the levels under it. One ledger entry for the whole unit."""
    if not report_type.periodic:
        raise BadDecision(_("一次性个案请逐份审批"))
    levels = approvals.parse_chain(report_type.chain)
    level = codes.level_of(area_code)
    if level not in levels or not approvals.may_decide(by, area_code, DECIDE):
        raise NotYourTurn(_("只能由本级区划的审批干部审批本区划"))
    prefix = codes.prefix_of(area_code)
    with transaction.atomic():
        rows = list(
            Submission.objects.select_for_update(of=("self",))
            .filter(report_type=report_type, period_start=period_start)
            .filter(area__code__startswith=prefix)
            .order_by("pk")
        )
        ready = [s for s in rows if s.status == Status.PENDING and s.step_area == area_code]
        level_index = ready[0].step_index if ready else 0
        waiting = approvals.blocking_below([(s.status, s.step_index) for s in rows], level_index)
        if waiting:
            raise BelowNotApproved(
                _("下级还有 %(n)s 份未审批通过，不能审批本级") % {"n": waiting},
                detail={"waiting": waiting},
            )
        roster.refuse_if_missing(report_type, period_start, area_code)
        if not ready:
            raise BelowNotApproved(_("本区划本期没有待本级审批的上报"), detail={"waiting": 0})
        entry = ledger.append_entry(
            kind="decision",
            payload={
                "subject": "casework.area",
                "report_type": report_type.slug,
                "period": period_start.isoformat(),
                "action": Action.APPROVE,
                "area": area_code,
                "count": len(ready),
                "content_hash": periods.unit_hash([s.content_hash for s in ready]),
            },
        )
        due = _now() + dt.timedelta(days=report_type.due_days)
        decisions = []
        for s in ready:
            s.move_to(*approvals.after_approval(s.step_list, s.step_index))
            s.due_at = due
            decisions.append(
                Decision(
                    submission=s,
                    action=Action.APPROVE,
                    step_index=level_index,
                    area_code=area_code,
                    by=by,
                    at=entry.at,
                    comment=comment.strip()[:500],
                    content_hash=s.content_hash,
                    ledger_index=entry.index,
                )
            )
        Submission.objects.bulk_update(ready, ["status", "step_index", "step_area", "due_at"])
        Decision.objects.bulk_create(decisions)
    return ready
