"""API of the selection app: programmes and public results, applying (any logged-in user),
my applications, a reviewer's queue, COI declaration and scoring, certificate verification,
the campus hiring funnel."""

from __future__ import annotations

import base64
import binascii
from typing import Any

from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Field, Router, Schema, Status

from tuopin.accounts.selectors import acting_user

from . import committee, hiring, selectors, services, training
from .errors import BadApplication
from .models import Application

router = Router(tags=["selection"])


class SelectionProgrammeOut(Schema):
    slug: str
    name: str
    kind: str
    year: int
    select_count: int
    open: bool
    criteria: list[str]
    evidence: list[str]
    form_fields: list[dict[str, Any]]
    quotas: list[dict[str, Any]]


class ApplyIn(Schema):
    name: str = Field(max_length=50)
    area_code: str = Field(max_length=12)
    school: str = Field("", max_length=100)
    answers: dict[str, Any] = {}
    evidence: dict[str, list[str]] = Field({}, description="label → base64 photos")
    nominate: bool = False


class MyApplicationOut(Schema):
    id: int
    number: str
    programme: str
    status: str
    reasons: list[str]


class ReviewTaskOut(Schema):
    id: int
    declared: bool
    recused: bool
    scored: bool
    metadata: dict[str, Any]
    material: dict[str, Any]
    criteria: list[str]


class DeclareIn(Schema):
    conflict: bool


class ScoreIn(Schema):
    scores: dict[str, int]
    comment: str = Field("", max_length=2000)


class SelectionResultsOut(Schema):
    programme: str
    year: int
    published: bool
    ledger_index: int | None
    shares: dict[str, Any]


class CertificateOut(Schema):
    number: str
    holder: str
    course: str
    cohort: str
    issued_on: str


class FunnelRowOut(Schema):
    stage: str
    poor: int
    others: int
    poor_rate: float | None
    others_rate: float | None
    ratio: float | None
    flagged: bool


def _mine(a: Application) -> dict[str, Any]:
    return {
        "id": a.pk,
        "number": a.number,
        "programme": a.programme.slug,
        "status": a.status,
        "reasons": [
            services.failure_text(r, services.field_labels(a.programme)) for r in a.reasons
        ],
    }


@router.get(
    "/programmes",
    response=list[SelectionProgrammeOut],
    auth=None,
    summary="Selection programmes (public)",
)
def programmes(request: HttpRequest) -> Any:
    return list(selectors.programmes())


@router.post(
    "/programmes/{programme_slug}/applications",
    response={201: MyApplicationOut},
    summary="Apply or nominate",
)
def apply(request: HttpRequest, programme_slug: str, body: ApplyIn) -> Any:
    user = acting_user(request)
    programme = selectors.get_programme(programme_slug)
    try:
        evidence = {
            k: [base64.b64decode(x, validate=True) for x in v] for k, v in body.evidence.items()
        }
    except (binascii.Error, ValueError):
        raise BadApplication(_("材料应为 base64 编码的照片")) from None
    app = services.submit_application(
        programme=programme,
        name=body.name,
        area_code=body.area_code,
        school=body.school,
        answers=body.answers,
        evidence=evidence,
        nominate=body.nominate,
        by=user,
    )
    return Status(201, _mine(app))


@router.get(
    "/applications/mine", response=list[MyApplicationOut], summary="My applications and nominations"
)
def my_applications(request: HttpRequest) -> Any:
    return [_mine(a) for a in selectors.own_applications(acting_user(request))]


def _task(a: Any) -> dict[str, Any]:
    return {
        "id": a.pk,
        "declared": a.declared_at is not None,
        "recused": a.recused,
        "scored": a.total is not None,
        "metadata": selectors.public_metadata(a),
        "material": selectors.review_material(a),
        "criteria": list(a.application.programme.criteria),
    }


@router.get("/reviews", response=list[ReviewTaskOut], summary="The reviewer's queue")
def reviews(request: HttpRequest) -> Any:
    return [
        _task(a)
        for a in selectors.assignments_for(acting_user(request)).prefetch_related(
            "application__evidence"
        )
    ]


@router.post(
    "/reviews/{assignment_id}/declaration",
    response=ReviewTaskOut,
    summary="Declare (no) conflict of interest",
)
def declare(request: HttpRequest, assignment_id: int, body: DeclareIn) -> Any:
    return _task(
        services.declare(
            assignment_id=assignment_id, conflict=body.conflict, by=acting_user(request)
        )
    )


@router.post(
    "/reviews/{assignment_id}/score",
    response=ReviewTaskOut,
    summary="Score on the rubric (0–5 each)",
)
def score(request: HttpRequest, assignment_id: int, body: ScoreIn) -> Any:
    return _task(
        services.score(
            assignment_id=assignment_id,
            scores=body.scores,
            comment=body.comment,
            by=acting_user(request),
        )
    )


@router.get(
    "/programmes/{programme_slug}/results",
    response=SelectionResultsOut,
    auth=None,
    summary="Published results (public)",
)
def results(request: HttpRequest, programme_slug: str) -> Any:
    p = selectors.get_programme(programme_slug)
    run = selectors.published_run(p)
    return {
        "programme": p.slug,
        "year": p.year,
        "published": run is not None,
        "ledger_index": run.ledger_index if run else None,
        "shares": committee.shares(p, run.selected) if run else {},
    }


@router.get(
    "/certificates/{number}",
    response=CertificateOut,
    auth=None,
    summary="Verify a certificate (public)",
)
def certificate(request: HttpRequest, number: str) -> Any:
    return training.verification(selectors.get_certificate(number))


@router.get(
    "/hiring/funnel",
    response=dict[str, list[FunnelRowOut]],
    summary="Campus hiring funnel per employer",
)
def funnel(request: HttpRequest) -> Any:
    return {k: [r.__dict__ for r in v] for k, v in hiring.funnels_for(acting_user(request)).items()}
