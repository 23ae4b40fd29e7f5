"""API of field reports: the same as the pages (file from the village, inbox, review with the
photo flags, decide, approve an area's period, aggregates). Photos travel base64-encoded."""

from __future__ import annotations

import base64
import binascii
import datetime as dt
from decimal import Decimal
from typing import Any

from django.http import HttpRequest
from ninja import Field, Router, Schema, Status

from tuopin.accounts.selectors import acting_user
from tuopin.core.money import MAX_FEN

from . import aggregates, periods, roster, selectors, services, support
from .errors import InvalidReport
from .models import Submission

router = Router(tags=["casework"])


class FieldOut(Schema):
    key: str
    label: str
    kind: str
    required: bool
    aggregate: bool
    choices: list[str]


class TypeOut(Schema):
    slug: str
    name: str
    periodicity: str
    chain: str
    fields: list[FieldOut]


class FileIn(Schema):
    type: str = Field(max_length=50)
    village: str = Field(max_length=12)
    period: str | None = Field(None, description="2018-06 or 2018-Q2; today's period if left out")
    values: dict[str, str | int | float | None] = {}
    photos: dict[str, list[str]] = Field({}, description="field key → base64 JPEG/PNG images")


class RefileIn(Schema):
    values: dict[str, str | int | float | None] = {}
    photos: dict[str, list[str]] = {}


class PhotoOut(Schema):
    id: int
    field: str
    sha256: str
    taken_at: dt.datetime | None
    latitude: Decimal | None
    longitude: Decimal | None
    reused_in: int | None
    out_of_period: bool
    far: bool
    distance_km: Decimal | None


class DecisionOut(Schema):
    action: str
    step: int
    area: str
    by: str
    at: dt.datetime
    comment: str
    ledger_index: int


class SubmissionOut(Schema):
    id: int
    type: str
    area: str
    period: str
    status: str
    step: int
    step_area: str
    due_at: dt.datetime
    content_hash: str
    values: dict[str, str]
    photos: list[PhotoOut]
    decisions: list[DecisionOut]
    may: list[str]


class DecisionIn(Schema):
    action: str = Field(max_length=16, description="approve, reject, return or send_back")
    comment: str = Field("", max_length=500)
    to_step: int | None = Field(None, ge=-1, description="send_back: the step (-1: the filer)")


class AreaApprovalIn(Schema):
    type: str = Field(max_length=50)
    period: str = Field(max_length=10)
    area: str = Field(max_length=12)
    comment: str = Field("", max_length=500)


class InboxOut(Schema):
    id: int
    type: str
    area: str
    status: str
    waiting: str
    overdue: bool
    due_at: dt.datetime


class AggregateRowOut(Schema):
    code: str
    name: str
    reports: int
    totals: dict[str, Decimal]
    shares: dict[str, dict[str, int]]


class AggregateOut(Schema):
    type: str
    area: str
    period: str
    total: AggregateRowOut
    children: list[AggregateRowOut]


def _photos(raw: dict[str, list[str]]) -> dict[str, list[bytes]]:
    out: dict[str, list[bytes]] = {}
    for key, items in raw.items():
        try:
            out[key] = [base64.b64decode(item, validate=True) for item in items]
        except (binascii.Error, ValueError):
            raise InvalidReport(
                "照片不是有效的 base64", detail={key: "照片不是有效的 base64"}
            ) from None
    return out


def _values(raw: dict[str, Any]) -> dict[str, Any]:
    # Numbers keep their JSON type: a number given for a text field is refused as such.
    return dict(raw)


def _period(text: str | None, periodicity: str) -> dt.date | None:
    if not text:
        return None
    try:
        return periods.parse_period(text, periodicity)
    except (ValueError, IndexError):
        raise InvalidReport("报告期格式应为 2018-06 或 2018-Q2", detail={"period": text}) from None


def _out(request: HttpRequest, s: Submission) -> dict[str, Any]:
    user = acting_user(request)
    return {
        "id": s.pk,
        "type": s.report_type.slug,
        "area": s.area_id,
        "period": periods.period_label(s.period_start, s.report_type.periodicity),
        "status": s.status,
        "step": s.step_index,
        "step_area": s.step_area,
        "due_at": s.due_at,
        "content_hash": s.content_hash,
        "values": {f.key: shown for f, shown in selectors.values_of(s)},
        "photos": [
            {
                "id": u.pk,
                "field": u.field.key,
                "sha256": u.photo.sha256,
                "taken_at": u.photo.taken_at,
                "latitude": u.photo.latitude,
                "longitude": u.photo.longitude,
                "reused_in": u.reused_in_id,
                "out_of_period": u.out_of_period,
                "far": u.far,
                "distance_km": u.distance_km,
            }
            for u in selectors.photos_of(user, s)
        ],
        "decisions": [
            {
                "action": d.action,
                "step": d.step_index,
                "area": d.area_code,
                "by": str(d.by),
                "at": d.at,
                "comment": d.comment,
                "ledger_index": d.ledger_index,
            }
            for d in s.decisions.select_related("by")
        ],
        "may": sorted(selectors.actions_for(user, s)),
    }


@router.get("/types", response=list[TypeOut], summary="Report types and their fields")
def report_types(request: HttpRequest) -> list[dict[str, Any]]:
    return [
        {
            "slug": t.slug,
            "name": t.name,
            "periodicity": t.periodicity,
            "chain": t.chain,
            "fields": [
                {
                    "key": f.key,
                    "label": f.label,
                    "kind": f.kind,
                    "required": f.required,
                    "aggregate": f.aggregate,
                    "choices": f.choice_list,
                }
                for f in t.fields.all()
            ],
        }
        for t in selectors.report_types_for(acting_user(request))
    ]


@router.post("/submissions", response={201: SubmissionOut}, summary="File a report")
def file_submission(request: HttpRequest, body: FileIn) -> Status:  # type: ignore[type-arg]
    user = acting_user(request)
    rt = selectors.get_report_type_for(user, body.type)
    s = services.file_submission(
        report_type=rt,
        village=body.village,
        values=_values(body.values),
        photos=_photos(body.photos),
        period=_period(body.period, rt.periodicity),
        by=user,
    )
    return Status(201, _out(request, selectors.get_submission_for(user, s.pk)))


@router.get("/submissions/{submission_id}", response=SubmissionOut, summary="A report")
def submission(request: HttpRequest, submission_id: int) -> dict[str, Any]:
    return _out(request, selectors.get_submission_for(acting_user(request), submission_id))


@router.post(
    "/submissions/{returned_id}/refile", response=SubmissionOut, summary="Correct a returned report"
)
def refile(request: HttpRequest, returned_id: int, body: RefileIn) -> dict[str, Any]:
    user = acting_user(request)
    s = services.refile_submission(
        submission=selectors.get_submission_for(user, returned_id),
        values=_values(body.values),
        photos=_photos(body.photos),
        by=user,
    )
    return _out(request, selectors.get_submission_for(user, s.pk))


@router.post(
    "/submissions/{submission_id}/decisions",
    response=SubmissionOut,
    summary="Approve, reject, return or send back",
)
def decide(request: HttpRequest, submission_id: int, body: DecisionIn) -> dict[str, Any]:
    user = acting_user(request)
    outcome = services.decide(
        submission=selectors.get_submission_for(user, submission_id),
        action=body.action,
        comment=body.comment,
        to_step=body.to_step,
        by=user,
    )
    return _out(request, selectors.get_submission_for(user, outcome.submission.pk))


@router.post("/approvals", response=list[int], summary="Approve an area's period (bottom-up)")
def approve_area(request: HttpRequest, body: AreaApprovalIn) -> list[int]:
    user = acting_user(request)
    rt = selectors.get_report_type_for(user, body.type)
    done = services.approve_area(
        report_type=rt,
        period_start=_period(body.period, rt.periodicity) or dt.date.min,
        area_code=body.area,
        comment=body.comment,
        by=user,
    )
    return [s.pk for s in done]


class NilReturnIn(Schema):
    type: str = Field(max_length=50)
    village: str = Field(max_length=12)
    reason: str = Field(max_length=200)
    period: str | None = Field(None, max_length=10, description="2018-06 or 2018-Q2; now if unset")


class NilReturnOut(Schema):
    type: str
    village: str
    period_start: dt.date
    reason: str


@router.post(
    "/nil-returns",
    response={201: NilReturnOut},
    summary="Say a roster village has nothing to report",
)
def nil_return(request: HttpRequest, body: NilReturnIn) -> tuple[int, dict[str, Any]]:
    user = acting_user(request)
    rt = selectors.get_report_type_for(user, body.type)
    nil = roster.declare_nothing(
        report_type=rt,
        village=body.village,
        reason=body.reason,
        period=_period(body.period, rt.periodicity),
        by=user,
    )
    return 201, {
        "type": rt.slug,
        "village": nil.area_id,
        "period_start": nil.period_start,
        "reason": nil.reason,
    }


class MissingVillageOut(Schema):
    code: str
    name: str


class CompletenessOut(Schema):
    expected: int
    reported: int
    missing: list[MissingVillageOut]


@router.get(
    "/completeness/{type_slug}",
    response=CompletenessOut,
    summary="Roster villages of an area that have and have not reported a period",
)
def completeness(request: HttpRequest, type_slug: str, area: str, period: str) -> dict[str, Any]:
    user = acting_user(request)
    rt = selectors.get_report_type_for(user, type_slug)
    done = roster.completeness_for(user, rt, _period(period, rt.periodicity) or dt.date.min, area)
    return {
        "expected": done.expected,
        "reported": done.reported,
        "missing": [{"code": c, "name": n} for c, n in done.missing],
    }


@router.get("/inbox", response=list[InboxOut], summary="What waits for me, overdue first")
def inbox(request: HttpRequest) -> list[dict[str, Any]]:
    selectors.submissions_for(acting_user(request))  # the permission, even for an empty inbox
    return [
        {
            "id": i.submission.pk,
            "type": i.submission.report_type.slug,
            "area": i.submission.area_id,
            "status": i.submission.status,
            "waiting": i.waiting,
            "overdue": i.overdue,
            "due_at": i.submission.due_at,
        }
        for i in selectors.inbox_for(acting_user(request))
    ]


@router.get("/aggregates/{type_slug}", response=AggregateOut, summary="Totals and shares")
def aggregate(request: HttpRequest, type_slug: str, area: str, period: str) -> dict[str, Any]:
    user = acting_user(request)
    rt = selectors.get_report_type_for(user, type_slug)
    start = _period(period, rt.periodicity) or dt.date.min
    agg = aggregates.aggregate(user, rt, area_code=area, period_start=start)

    def row(r: aggregates.Row) -> dict[str, Any]:
        return {
            "code": r.code,
            "name": r.name,
            "reports": r.reports,
            "totals": r.totals,
            "shares": r.shares,
        }

    return {
        "type": rt.slug,
        "area": agg.total.code,
        "period": periods.period_label(start, rt.periodicity),
        "total": row(agg.total),
        "children": [row(r) for r in agg.rows],
    }


class CaseOut(Schema):
    id: int
    student: str
    county: str
    grade: str
    need: str
    requested_fen: int
    pledged_fen: int


class PledgeIn(Schema):
    amount_fen: int = Field(gt=0, le=MAX_FEN, description="分 (fen)")
    note: str = Field("", max_length=200)


class PledgeOut(Schema):
    id: int
    amount_fen: int
    disbursement: int
    disbursement_status: str


class DisbursementIn(Schema):
    action: str = Field(max_length=16, description="approve or pay")
    payment_ref: str = Field("", max_length=64)


class DisbursementOut(Schema):
    id: int
    amount_fen: int
    status: str
    paid_at: dt.datetime | None
    ledger_index: int | None


@router.get("/cases", response=list[CaseOut], summary="Forwarded cases, masked (helpers)")
def cases(request: HttpRequest) -> list[Any]:
    return support.masked_cases_for(acting_user(request))


@router.post("/cases/{case_id}/pledges", response={201: PledgeOut}, summary="Pledge to a case")
def pledge(request: HttpRequest, case_id: int, body: PledgeIn) -> Status:  # type: ignore[type-arg]
    p = support.pledge(
        case_id=case_id, amount_fen=body.amount_fen, note=body.note, by=acting_user(request)
    )
    d = p.disbursement
    return Status(
        201,
        {
            "id": p.pk,
            "amount_fen": p.amount_fen,
            "disbursement": d.pk,
            "disbursement_status": d.status,
        },
    )


@router.post(
    "/submissions/{case_id}/forward", response=SubmissionOut, summary="Forward to the helpers"
)
def forward(request: HttpRequest, case_id: int) -> dict[str, Any]:
    user = acting_user(request)
    s = support.forward_case(submission=selectors.get_submission_for(user, case_id), by=user)
    return _out(request, selectors.get_submission_for(user, s.pk))


@router.post(
    "/disbursements/{disbursement_id}/decision",
    response=DisbursementOut,
    summary="Approve a disbursement, or mark an approved one paid",
)
def disbursement(request: HttpRequest, disbursement_id: int, body: DisbursementIn) -> Any:
    return support.decide_disbursement(
        disbursement_id=disbursement_id,
        action=body.action,
        payment_ref=body.payment_ref,
        by=acting_user(request),
    )
