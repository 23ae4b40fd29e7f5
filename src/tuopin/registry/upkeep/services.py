"""Writes of change requests (变更申请): filing with evidence, re-filing a returned one, and
the approval chain's decisions (``accounts.approvals``, shared with casework). The last
approval applies the request in the same transaction, through the same checks as at filing
(the import's), so a request never half-applies and is never applied twice. Every step
appends a ledger ``decision`` entry with a salted hash of the content, never the content."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import secrets
from dataclasses import dataclass
from typing import Any

from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from tuopin.accounts import approvals, permissions, scoping
from tuopin.accounts.approvals import Action, Status
from tuopin.areas import codes

from .. import decisions
from ..errors import BadRequest, Locked, NotYourTurn
from ..models import Household
from . import checks
from . import evidence as evidence_files
from .apply import Applier
from .models import DEFAULT_CHAIN, ChangeDecision, ChangeRequest, Evidence, Kind, KindChain

FILE = "registry.add_changerequest"
REFILE = "registry.change_changerequest"
DECIDE = "registry.decide_changerequest"
MERGE = "registry.view_duplicates"  # officers file merges from the duplicates screen


def chain_for(kind: str) -> tuple[int, ...]:
    row = KindChain.objects.filter(kind=kind).first()
    return approvals.parse_chain(row.chain if row else DEFAULT_CHAIN)


def _content_hash(req: ChangeRequest, evidence: list[str]) -> str:
    body = json.dumps(
        {
            "kind": req.kind,
            "household": req.household_id,
            "payload": req.payload,
            "reason": req.reason,
            "evidence": evidence,
        },
        sort_keys=True,
        ensure_ascii=False,
    )
    return hashlib.sha256((req.salt + body).encode()).hexdigest()


def _record(
    req: ChangeRequest, *, action: str, by: Any, comment: str, step: int, area: str
) -> ChangeDecision:
    entry = decisions.record(
        {
            "subject": "registry.change_request",
            "request": req.pk,
            "change": req.kind,
            "action": action,
            "step": step,
            "area": area,
            "content_hash": req.content_hash,
        }
    )
    return ChangeDecision.objects.create(
        request=req,
        action=action,
        step_index=step,
        area_code=area,
        by=by,
        at=entry.at,
        comment=comment[:500],
        ledger_index=entry.index,
    )


def _store(req: ChangeRequest, files: list[UploadedFile | bytes]) -> list[str]:
    stored = evidence_files.store(files)
    req.evidence.all().delete()
    Evidence.objects.bulk_create(
        Evidence(request=req, sha256=f.sha256, path=f.path, name=f.name, position=i)
        for i, f in enumerate(stored)
    )
    return [f.sha256 for f in stored]


def _may_file(by: Any, kind: str, village: str) -> None:
    if kind == Kind.MERGE_PEOPLE and permissions.has(by, MERGE):
        pass
    else:
        permissions.require(by, FILE, _("没有提交变更申请的权限"))
    if not scoping.covers(by, village):
        raise NotYourTurn(_("只能为本村提交变更申请"), code="not_your_village")


def file_request(
    *,
    household: Household,
    kind: str,
    payload: dict[str, Any],
    reason: str,
    evidence: list[UploadedFile | bytes] | None = None,
    by: Any,
) -> ChangeRequest:
    """A cadre files a change for a household of their village, with evidence. Checked now
    (with the import's checks) and again when the last step approves."""
    _may_file(by, kind, household.village_id)
    if not reason.strip():
        raise BadRequest(_("请填写变更理由"), code="reason_required")
    if kind == Kind.MERGE_PEOPLE:  # the one kept must be someone the filer may see
        from .. import selectors

        selectors.get_person_for(by, checks._int(payload.get("keep_id")))
    cleaned = checks.check(kind, household, payload)
    steps = approvals.step_areas(household.village_id, chain_for(kind))
    with transaction.atomic():
        req = ChangeRequest(
            kind=kind,
            household=household,
            village_code=household.village_id,
            payload=cleaned,
            reason=reason.strip()[:500],
            filed_by=by,
            filed_at=timezone.now(),
            salt=secrets.token_hex(16),
            steps=",".join(steps),
        )
        req.move_to(Status.PENDING, 0)
        req.save()
        req.content_hash = _content_hash(req, _store(req, evidence or []))
        req.save(update_fields=["content_hash"])
        _record(req, action=Action.SUBMIT, by=by, comment="", step=-1, area=req.village_code)
        if not steps:  # a chain with no level above the village: the filing applies it
            _apply(req, by)
    return req


def refile_request(
    *,
    request: ChangeRequest,
    payload: dict[str, Any],
    reason: str,
    evidence: list[UploadedFile | bytes] | None = None,
    by: Any,
) -> ChangeRequest:
    """The village's cadre corrects a returned request and files it again (first step)."""
    permissions.require(by, REFILE, _("没有修改变更申请的权限"))
    if not scoping.covers(by, request.village_code):
        raise NotYourTurn(_("只能修改本村的变更申请"), code="not_your_village")
    with transaction.atomic():
        req = ChangeRequest.objects.select_for_update().get(pk=request.pk)
        if req.status != Status.RETURNED:
            raise Locked(_("此申请已锁定（%(s)s），不能修改") % {"s": req.get_status_display()})
        req.payload = checks.check(req.kind, req.household, payload)
        req.reason = reason.strip()[:500] or req.reason
        hashes = (
            _store(req, evidence)
            if evidence
            else list(req.evidence.values_list("sha256", flat=True))
        )
        req.content_hash = _content_hash(req, hashes)
        req.move_to(Status.PENDING, 0)
        req.save()
        _record(req, action=Action.SUBMIT, by=by, comment="", step=-1, area=req.village_code)
    return req


@dataclass(frozen=True)
class Outcome:
    request: ChangeRequest
    decision: ChangeDecision
    applied: bool


def _apply(req: ChangeRequest, by: Any) -> None:
    """Check again on locked rows and apply; any failure rolls the whole decision back."""
    if req.applied_at is not None:
        raise Locked(_("此申请已生效，不能重复执行"), code="already_applied")
    household = Household.objects.select_for_update().get(pk=req.household_id)
    req.payload = checks.check(req.kind, household, req.payload)
    Applier(req, household, by).run()
    req.applied_at = timezone.now()


def decide(
    *, request: ChangeRequest, action: str, by: Any, comment: str = "", to_step: int | None = None
) -> Outcome:
    """An officer of the current step's area approves, rejects or returns a request (with a
    comment when not approving); the last approval applies it. Locks the request row."""
    comment = comment.strip()
    with transaction.atomic():
        req = ChangeRequest.objects.select_for_update().get(pk=request.pk)
        steps = req.step_list
        if action not in Action.values or action == Action.SUBMIT:
            raise BadRequest(
                _("未知的审批操作：%(a)s") % {"a": str(action)[:20]}, code="bad_action"
            )
        allowed = approvals.allowed_actions(by, req.status, req.step_index, steps, DECIDE)
        if action not in allowed:
            if req.status in (Status.APPROVED, Status.REJECTED):
                raise Locked(
                    _("此申请已锁定（%(s)s），不能再审批") % {"s": req.get_status_display()}
                )
            raise NotYourTurn(_("现在不是您审批：须由当前审批层级所在区划的干部审批"))
        mine = approvals.decider_index(by, steps, DECIDE)
        assert mine is not None
        if action != Action.APPROVE and not comment:
            raise BadRequest(_("不通过、退回时请写明意见"), code="comment_required")
        applied = False
        if action == Action.APPROVE:
            req.move_to(*approvals.after_approval(steps, req.step_index))
            if req.status == Status.APPROVED:
                _apply(req, by)
                applied = True
        elif action == Action.REJECT:
            req.move_to(Status.REJECTED, req.step_index)
        elif action == Action.RETURN:
            req.move_to(Status.RETURNED, req.step_index)
        else:
            if req.applied_at is not None:
                raise Locked(_("此申请已生效，不能退回"), code="already_applied")
            target = -1 if to_step is None else to_step
            if target not in approvals.send_back_targets(mine):
                raise BadRequest(_("只能退回到比自己低的层级"), code="bad_step")
            req.move_to(Status.RETURNED, 0) if target < 0 else req.move_to(Status.PENDING, target)
        req.save()
        decision = _record(req, action=action, by=by, comment=comment, step=mine, area=steps[mine])
    return Outcome(req, decision, applied)


def village_of(code: str) -> bool:
    return codes.level_of(code) == codes.VILLAGE


def today() -> dt.date:
    return timezone.localdate()
