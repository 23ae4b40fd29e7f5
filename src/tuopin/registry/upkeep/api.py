"""API of registry upkeep under /api/v1/registry/: change requests (file with base64
evidence, read, decide, refile), a household's history, a person's eligibility, the annual
review, and near-duplicates. Every operation goes through the same services and access
functions as the pages."""

from __future__ import annotations

import base64
import binascii
import datetime as dt
from typing import Any

from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Field, Router, Schema, Status

from tuopin.accounts.selectors import acting_user
from tuopin.core.errors import ValidationFailed

from .. import eligibility, selectors
from . import duplicates, review, review_reads, services
from . import selectors as reads
from .proposals import CHECKS

router = Router(tags=["registry upkeep"])


class ChangeRequestIn(Schema):
    household_no: str = Field(max_length=32)
    kind: str = Field(max_length=20)
    payload: dict[str, Any]
    reason: str = Field(max_length=500)
    evidence: list[str] = Field(default_factory=list, max_length=9, description="base64 photos")


class ChangeDecisionOut(Schema):
    action: str
    step_index: int
    area_code: str
    by: str
    at: dt.datetime
    comment: str


class ChangeRequestOut(Schema):
    id: int
    kind: str
    household_no: str
    village_code: str
    status: str
    step_index: int
    steps: list[str]
    payload: dict[str, Any]
    reason: str
    filed_at: dt.datetime
    applied_at: dt.datetime | None
    evidence: int
    decisions: list[ChangeDecisionOut]


def _out(req: Any) -> dict[str, Any]:
    payload = dict(req.payload)
    if "id_number" in payload:  # never echoed whole
        payload["id_number"] = "***"
    return {
        "id": req.pk,
        "kind": req.kind,
        "household_no": req.household.household_no,
        "village_code": req.village_code,
        "status": req.status,
        "step_index": req.step_index,
        "steps": req.step_list,
        "payload": payload,
        "reason": req.reason,
        "filed_at": req.filed_at,
        "applied_at": req.applied_at,
        "evidence": len(req.evidence.all()),
        "decisions": [
            {
                "action": d.action,
                "step_index": d.step_index,
                "area_code": d.area_code,
                "by": d.by.username,
                "at": d.at,
                "comment": d.comment,
            }
            for d in req.decisions.all()
        ],
    }


def _photos(items: list[str]) -> list[bytes]:
    try:
        return [base64.b64decode(x, validate=True) for x in items]
    except (binascii.Error, ValueError):
        raise ValidationFailed(_("证明材料须为 base64 编码")) from None


@router.post(
    "/requests",
    response={201: ChangeRequestOut},
    summary="File a change request (cadre, own village)",
)
def file_request(request: HttpRequest, body: ChangeRequestIn) -> Status:
    household = selectors.get_household_for(request.user, body.household_no)
    req = services.file_request(
        household=household,
        kind=body.kind,
        payload=body.payload,
        reason=body.reason,
        evidence=list(_photos(body.evidence)),
        by=acting_user(request),
    )
    return Status(201, _out(req))


@router.get(
    "/requests",
    response=list[ChangeRequestOut],
    summary="Change requests in scope (inbox=true: waiting for me)",
)
def list_requests(
    request: HttpRequest, inbox: bool = False, status: str = ""
) -> list[dict[str, Any]]:
    qs = (
        reads.inbox_for(request.user)
        if inbox
        else reads.requests_for(request.user, status=status or None)
    )
    return [_out(r) for r in qs.prefetch_related("evidence", "decisions__by")[:100]]


@router.get("/requests/{request_id}", response=ChangeRequestOut, summary="A change request")
def get_request(request: HttpRequest, request_id: int) -> dict[str, Any]:
    return _out(reads.get_request_for(request.user, request_id))


class DecisionIn(Schema):
    action: str = Field(max_length=16)
    comment: str = Field("", max_length=500)
    to_step: int | None = None


@router.post(
    "/requests/{request_id}/decisions", response=ChangeRequestOut, summary="Decide the current step"
)
def decide_request(request: HttpRequest, request_id: int, body: DecisionIn) -> dict[str, Any]:
    req = reads.get_request_for(request.user, request_id)
    outcome = services.decide(
        request=req,
        action=body.action,
        comment=body.comment,
        to_step=body.to_step,
        by=acting_user(request),
    )
    return _out(outcome.request)


class RefileIn(Schema):
    payload: dict[str, Any]
    reason: str = Field("", max_length=500)
    evidence: list[str] = Field(default_factory=list, max_length=9)


@router.post(
    "/requests/{request_id}/refile", response=ChangeRequestOut, summary="Refile a returned request"
)
def refile_request(request: HttpRequest, request_id: int, body: RefileIn) -> dict[str, Any]:
    req = reads.get_request_for(request.user, request_id)
    out = services.refile_request(
        request=req,
        payload=body.payload,
        reason=body.reason,
        evidence=list(_photos(body.evidence)) or None,
        by=acting_user(request),
    )
    return _out(out)


class HistoryOut(Schema):
    at: dt.datetime
    what: str
    label: str
    person: str
    changes: dict[str, Any]
    reason: str
    source: str
    by: str
    request_id: int | None
    evidence: list[int]


@router.get(
    "/households/{household_no}/history", response=list[HistoryOut], summary="A household's history"
)
def household_history(request: HttpRequest, household_no: str) -> list[Any]:
    household = selectors.get_household_for(request.user, household_no)
    return reads.history_for(request.user, household)


class CheckOut(Schema):
    code: str
    label: str
    passed: bool
    failure: str


class VerdictOut(Schema):
    programme: str
    programme_name: str
    eligible: bool
    reason: str
    checks: list[CheckOut]


@router.get(
    "/people/{person_id}/eligibility",
    response=list[VerdictOut],
    summary="Why a person is (not) eligible",
)
def person_eligibility(request: HttpRequest, person_id: int) -> list[dict[str, Any]]:
    person = selectors.get_person_for(request.user, person_id)
    return [
        {
            "programme": v.programme,
            "programme_name": v.programme_name,
            "eligible": v.eligible,
            "reason": v.reason.code if v.reason else "",
            "checks": v.checks,
        }
        for v in eligibility.verdicts_for(request.user, person, timezone.localdate())
    ]


class ReviewIn(Schema):
    county: str = Field(max_length=12)
    year: int = Field(ge=2000, le=2100)
    line_fen: int = Field(gt=0, le=10_000_000)
    notice_days: int = Field(7, ge=1, le=60)


class ReviewOut(Schema):
    id: int
    year: int
    area_code: str
    line_fen: int
    households: int


@router.post("/reviews", response={201: ReviewOut}, summary="Open a year's review for a county")
def open_review(request: HttpRequest, body: ReviewIn) -> Status:
    rnd = review.open_review(
        county=body.county,
        year=body.year,
        line_fen=body.line_fen,
        notice_days=body.notice_days,
        by=acting_user(request),
    )
    return Status(
        201,
        {
            "id": rnd.pk,
            "year": rnd.year,
            "area_code": rnd.area_code,
            "line_fen": rnd.line_fen,
            "households": rnd.items.count(),
        },
    )


class ProgressOut(Schema):
    code: str
    name: str
    households: int
    checked: int
    lift: int
    back: int
    objections: int
    stage: str
    villages: list[ProgressOut] = Field(default_factory=list)


@router.get(
    "/reviews/{round_id}/progress",
    response=list[ProgressOut],
    summary="Progress per township and village",
)
def review_progress(request: HttpRequest, round_id: int) -> list[Any]:
    return review_reads.progress_of(
        request.user, review_reads.get_round_for(request.user, round_id)
    )


class ChangedOut(Schema):
    household_no: str
    village_code: str
    status_before: str
    status_after: str
    income_per_person_fen: int | None


@router.get(
    "/reviews/{round_id}/changes", response=list[ChangedOut], summary="What the review changed"
)
def review_changes(request: HttpRequest, round_id: int) -> list[dict[str, Any]]:
    rnd = review_reads.get_round_for(request.user, round_id)
    return [
        {
            "household_no": i.household.household_no,
            "village_code": i.village_code,
            "status_before": i.status_before,
            "status_after": i.status_after,
            "income_per_person_fen": i.income_per_person_fen,
        }
        for i in review_reads.changes_of(request.user, rnd)
    ]


class FactsIn(Schema):
    income_fen: int = Field(ge=0)
    food: bool
    clothing: bool
    education: bool
    medical: bool
    housing: bool
    water: bool
    evidence: list[str] = Field(
        default_factory=list, max_length=9, description="base64 photos or PDFs, added"
    )


class ItemOut(Schema):
    id: int
    household_no: str
    proposal: str
    income_per_person_fen: int | None
    evidence: int = Field(description="How many evidence files the household's facts have")


@router.post(
    "/reviews/items/{item_id}/facts", response=ItemOut, summary="Record a household's facts"
)
def review_facts(request: HttpRequest, item_id: int, body: FactsIn) -> dict[str, Any]:
    item = review_reads.get_item_for(request.user, item_id)
    checks = {c: getattr(body, c) for c in CHECKS}
    item = review.record_facts(
        item=item,
        income_fen=body.income_fen,
        checks=checks,
        by=acting_user(request),
        evidence=list(_photos(body.evidence)),
    )
    return {
        "id": item.pk,
        "household_no": item.household.household_no,
        "proposal": item.proposal,
        "income_per_person_fen": item.income_per_person_fen,
        "evidence": item.evidence.count(),
    }


class ObjectionIn(Schema):
    text: str = Field(max_length=500)


class VillageReviewOut(Schema):
    village_code: str
    status: str
    filed: bool
    step_index: int
    notice_from: dt.date | None
    notice_to: dt.date | None


@router.post(
    "/reviews/items/{item_id}/objections",
    response={201: dict},
    summary="Record an objection (notice period)",
)
def review_objection(request: HttpRequest, item_id: int, body: ObjectionIn) -> Status:
    item = review_reads.get_item_for(request.user, item_id)
    o = review.raise_objection(item=item, text=body.text, by=acting_user(request))
    return Status(201, {"id": o.pk})


@router.post(
    "/reviews/{round_id}/villages/{code}/notice",
    response=VillageReviewOut,
    summary="Post the village's public notice",
)
def review_notice(request: HttpRequest, round_id: int, code: str) -> Any:
    rnd = review_reads.get_round_for(request.user, round_id)
    return review.post_notice(rnd=rnd, village=code, by=acting_user(request))


@router.post(
    "/reviews/{round_id}/villages/{code}/file",
    response=VillageReviewOut,
    summary="File the village after its notice",
)
def review_file(request: HttpRequest, round_id: int, code: str) -> Any:
    rnd = review_reads.get_round_for(request.user, round_id)
    return review.file_village(rnd=rnd, village=code, by=acting_user(request))


@router.post(
    "/reviews/{round_id}/villages/{code}/decisions",
    response=VillageReviewOut,
    summary="Township/county decision",
)
def review_decide(request: HttpRequest, round_id: int, code: str, body: DecisionIn) -> Any:
    rnd = review_reads.get_round_for(request.user, round_id)
    vr = review_reads.get_village_review_for(request.user, rnd, code)
    return review.decide_village(
        vr=vr, action=body.action, comment=body.comment, by=acting_user(request)
    )


class DuplicateOut(Schema):
    a: int
    b: int
    score: int
    reasons: list[str]


@router.get(
    "/duplicates", response=list[DuplicateOut], summary="Near-duplicate people across households"
)
def find_duplicates(request: HttpRequest, area: str = "") -> list[dict[str, Any]]:
    found = duplicates.find_for(request.user, area=area or None)
    return [
        {"a": p.a, "b": p.b, "score": p.score, "reasons": list(p.reasons)}
        for p, _x, _y in found.pairs
    ]


class PairIn(Schema):
    a: int
    b: int


@router.post("/duplicates/different", response={201: dict}, summary="Mark two people as different")
def mark_different(request: HttpRequest, body: PairIn) -> Status:
    duplicates.mark_different(a=body.a, b=body.b, by=acting_user(request))
    return Status(201, {"a": min(body.a, body.b), "b": max(body.a, body.b)})
