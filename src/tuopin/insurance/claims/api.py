"""API of claims for the cadre's phone app and the insurer's systems: file a draft, add
photos (multipart), correct what was read, submit; the adjuster's decision and payment."""

from __future__ import annotations

import datetime as dt

from django.http import HttpRequest
from ninja import File, Router, Schema, Status
from ninja.files import UploadedFile

from tuopin.accounts.selectors import acting_user
from tuopin.core.masking import age_on
from tuopin.documents import evidence

from . import selectors, services
from .models import Claim, ClaimDocument

router = Router(tags=["claims"])


class ClaimIn(Schema):
    policy_no: str
    benefit: str
    filed_as: str = "cadre"  # or "insured"


class CheckOut(Schema):
    name: str
    title: str
    outcome: str  # pass, fail, unknown
    message: str
    reason_code: str


class ClaimDocumentOut(Schema):
    id: int
    reading: str  # pending, read, unreadable
    doc_type: str
    fields: dict[str, str]
    confidence: dict[str, float]
    corrections: dict[str, str]
    amount_in_words: str
    photo_sha256: str
    taken_at: dt.datetime | None


class ClaimSummaryOut(Schema):
    id: int
    number: str
    state: str
    programme: str
    benefit: str
    claimant: str
    village: str
    filed_as: str
    claimed_fen: int
    recommended_fen: int
    approved_fen: int
    paid_fen: int
    recommendation: str
    sampled: bool
    created_at: dt.datetime


class ClaimOut(ClaimSummaryOut):
    age: int
    service_start: dt.date | None
    service_end: dt.date | None
    reason_codes: list[str]
    decision_note: str
    decision_index: int | None
    payout_index: int | None
    status_token: str
    documents: list[ClaimDocumentOut]
    checks: list[CheckOut]


class CorrectionIn(Schema):
    corrections: dict[str, str] = {}
    doc_type: str | None = None


class DecisionIn(Schema):
    approve: bool
    amount_fen: int | None = None  # default: the recommended amount
    reasons: list[str] = []
    note: str = ""


def _summary(c: Claim) -> dict[str, object]:
    return {
        "id": c.pk,
        "number": c.number,
        "state": c.state,
        "programme": c.programme.slug,
        "benefit": c.benefit,
        "claimant": c.person.name,
        "village": c.village_code,
        "filed_as": c.filed_as,
        "claimed_fen": c.claimed_fen,
        "recommended_fen": c.recommended_fen,
        "approved_fen": c.approved_fen,
        "paid_fen": c.paid_fen,
        "recommendation": c.recommendation,
        "sampled": c.sampled,
        "created_at": c.created_at,
    }


def _document(d: ClaimDocument) -> dict[str, object]:
    return {
        "id": d.pk,
        "reading": d.reading,
        "doc_type": d.doc_type,
        "fields": d.fields,
        "confidence": d.confidences,
        "corrections": d.corrections,
        "amount_in_words": d.amount_in_words,
        "photo_sha256": d.photo.sha256,
        "taken_at": d.photo.taken_at,
    }


def _claim(c: Claim) -> dict[str, object]:
    titles = services.check_titles()
    return _summary(c) | {
        "age": age_on(c.person.birth_date, c.created_at.date()),
        "service_start": c.service_start,
        "service_end": c.service_end,
        "reason_codes": c.reason_codes,
        "decision_note": c.decision_note,
        "decision_index": c.decision_index,
        "payout_index": c.payout.ledger_index if c.payout else None,
        "status_token": str(c.status_token),
        "documents": [_document(d) for d in c.documents.select_related("photo")],
        "checks": [
            {
                "name": k.name,
                "title": titles.get(k.name, k.name),
                "outcome": k.outcome,
                "message": k.message,
                "reason_code": k.reason_code,
            }
            for k in c.checks.all()
        ],
    }


def _read(request: HttpRequest, claim_id: int) -> dict[str, object]:
    return _claim(selectors.get_claim_for(request.user, claim_id))


@router.post("", response={201: ClaimOut}, summary="File a draft claim on a policy's benefit")
def create_claim(request: HttpRequest, body: ClaimIn) -> Status:  # type: ignore[type-arg]
    claim = services.create_claim(
        by=acting_user(request),
        policy_no=body.policy_no,
        benefit=body.benefit,
        filed_as=body.filed_as,
    )
    return Status(201, _read(request, claim.pk))


@router.get("", response=list[ClaimSummaryOut], summary="Claims in scope (state: filter)")
def list_claims(request: HttpRequest, state: str = "", limit: int = 100) -> list[dict[str, object]]:
    qs = selectors.claims_for(request.user).select_related("programme", "person")
    if state:
        qs = qs.filter(state=state)
    return [_summary(c) for c in qs[: max(1, min(limit, 500))]]


@router.get("/{claim_id}", response=ClaimOut, summary="A claim with its documents and checks")
def get_claim(request: HttpRequest, claim_id: int) -> dict[str, object]:
    return _read(request, claim_id)


@router.post(
    "/{claim_id}/documents",
    response={201: ClaimDocumentOut},
    summary="Add a photo (multipart field `file`); read in the background",
    description="400 `bad_image` family (`empty_file`, `not_an_image`, `pdf_not_supported`, "
    "`corrupt_image`, `too_many_pixels`, `blank_image`, `image_too_large`): nothing is saved.",
)
def add_document(request: HttpRequest, claim_id: int, file: File[UploadedFile]) -> Status:  # type: ignore[type-arg]
    by = acting_user(request)
    selectors.get_claim_for(by, claim_id)  # 403 / 404 before reading the file
    data = evidence.read_upload(file)  # 400 past the photo size limit
    doc = services.add_document(by=by, claim_id=claim_id, data=data)
    doc.refresh_from_db()
    return Status(201, _document(doc))


@router.post(
    "/{claim_id}/documents/{document_id}/corrections",
    response=ClaimDocumentOut,
    summary="Correct what was read of a document (a draft only)",
)
def correct_document(
    request: HttpRequest, claim_id: int, document_id: int, body: CorrectionIn
) -> dict[str, object]:
    doc = services.correct_document(
        by=acting_user(request),
        claim_id=claim_id,
        document_id=document_id,
        corrections=body.corrections,
        doc_type=body.doc_type,
    )
    return _document(doc)


@router.post("/{claim_id}/submit", response=ClaimOut, summary="Submit a draft for checking")
def submit_claim(request: HttpRequest, claim_id: int) -> dict[str, object]:
    services.submit_claim(by=acting_user(request), claim_id=claim_id)
    return _read(request, claim_id)


@router.post(
    "/{claim_id}/decision",
    response=ClaimOut,
    summary="The adjuster's decision on a checked claim (409 `bad_transition` otherwise)",
)
def decide_claim(request: HttpRequest, claim_id: int, body: DecisionIn) -> dict[str, object]:
    services.decide_claim(
        by=acting_user(request),
        claim_id=claim_id,
        approve=body.approve,
        amount_fen=body.amount_fen,
        reasons=body.reasons,
        note=body.note,
    )
    return _read(request, claim_id)


@router.post("/{claim_id}/payment", response=ClaimOut, summary="Pay an approved claim")
def pay_claim(request: HttpRequest, claim_id: int) -> dict[str, object]:
    services.pay_claim(by=acting_user(request), claim_id=claim_id)
    return _read(request, claim_id)
