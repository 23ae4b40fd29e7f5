"""The background work of a claim: reading its photos and running the key claim factors.

:func:`recognise` is the one place that calls the recogniser (its engine is loaded once per
worker process, by the recogniser). Reading happens outside any transaction (seconds per
photo); each result is then written under the claim's lock.
"""

from __future__ import annotations

import logging
import random
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from tuopin.core.errors import DomainError
from tuopin.documents import evidence
from tuopin.documents.types import DocType, Recognition

from .. import selectors as cover
from ..models import CoverageItem, PolicyStatus
from . import checks
from .models import Claim, ClaimCheck, ClaimDocument, Reading
from .states import ClaimState, require_transition

_rng = random.SystemRandom()
logger = logging.getLogger(__name__)


def recognise(document: ClaimDocument) -> Recognition | None:
    """Read one document's photo; None when the recogniser refuses it."""
    from tuopin.documents.recognition import recognise as read

    try:
        return read(evidence.photo_file(document.photo))
    except DomainError:
        return None
    except Exception:
        # Marked unreadable (the adjuster looks at the photo) rather than leaving the claim
        # stuck in "recognising"; the traceback goes to the log.
        logger.exception("recognition failed for claim document %s", document.pk)
        return None


def _box(box: Any) -> list[list[float]] | None:
    return [[round(float(x), 1), round(float(y), 1)] for x, y in box] if box else None


def record_recognition(document: ClaimDocument, recognition: Recognition | None) -> None:
    """Store what was read of ``document`` (keeps the filer's corrections)."""
    if recognition is None or (not recognition.lines and not recognition.fields):
        document.reading = Reading.UNREADABLE
        document.doc_type = document.doc_type or DocType.OTHER
    else:
        document.reading = Reading.READ
        document.doc_type = str(recognition.doc_type)
        document.fields = recognition.values()
        document.confidences = recognition.confidences()
        document.boxes = {
            name: _box(f.box) for name, f in recognition.fields.items() if f.box is not None
        }
        document.lines = [[line.text, _box(line.box)] for line in recognition.lines[:400]]
        document.amount_in_words = recognition.amount_in_words or ""
    document.invoice_number = document.values().get("invoice_number", "")[:40]
    document.save(
        update_fields=[
            "reading",
            "doc_type",
            "fields",
            "confidences",
            "boxes",
            "lines",
            "amount_in_words",
            "invoice_number",
        ]
    )


def recognise_document(document_id: int) -> None:
    """The task behind adding a photo: read it, unless that was done already."""
    doc = ClaimDocument.objects.select_related("photo").filter(pk=document_id).first()
    if doc is None or doc.reading != Reading.PENDING:
        return
    result = recognise(doc)
    with transaction.atomic():
        doc = ClaimDocument.objects.select_for_update().filter(pk=document_id).first()
        if doc is not None and doc.reading == Reading.PENDING:
            record_recognition(doc, result)


def facts_of(claim: Claim) -> checks.Facts:
    """Everything the checks need, in a fixed number of queries."""
    docs = list(claim.documents.select_related("photo"))
    item = CoverageItem.objects.filter(
        programme_id=claim.programme_id, benefit=claim.benefit
    ).first()
    numbers = {d.invoice_number for d in docs if d.invoice_number}
    others = ClaimDocument.objects.exclude(claim=claim).exclude(
        claim__state__in=[ClaimState.DRAFT, ClaimState.REJECTED]
    )
    elsewhere = dict(
        others.filter(invoice_number__in=numbers).values_list("invoice_number", "claim_id")
    )
    photos: dict[int, str] = {}
    for d in docs:
        same = {d.photo_id} | {n.photo.pk for n in evidence.find_near_duplicates(d.photo)}
        hit = others.filter(photo_id__in=same).values_list("claim_id", flat=True).first()
        if hit is not None:
            photos[d.pk] = f"LP{hit:08d}"
    from ..limits import Limits

    return checks.Facts(
        insured_name=claim.person.name,
        insured_id_number=claim.person.id_number,
        policy_active=claim.policy.status == PolicyStatus.ACTIVE,
        period_start=claim.policy.period_start,
        benefit=claim.benefit,
        waiting_days=item.waiting_days if item else None,
        limits=Limits.of(item) if item else None,
        used_fen=cover.used_fen(claim.policy_id, claim.benefit),
        documents=[
            checks.Document(d.pk, d.doc_type, d.values(), d.amount_in_words or None)
            for d in docs
            if d.reading == Reading.READ
        ],
        invoices_elsewhere={n: f"LP{c:08d}" for n, c in elsewhere.items()},
        photos_elsewhere=photos,
    )


def apply_checks(claim: Claim, rng: random.Random | None = None) -> checks.Result:
    """Run every check on a claim being recognised and move it to checked (under its lock)."""
    require_transition(claim.state, ClaimState.CHECKED)
    result = checks.evaluate(facts_of(claim))
    recommendation = result.recommendation
    sampled = recommendation == "approve" and checks.sampled(
        claim.programme.claim_audit_bp, rng or _rng
    )
    ClaimCheck.objects.filter(claim=claim).delete()
    ClaimCheck.objects.bulk_create(
        [
            ClaimCheck(
                claim=claim,
                name=c.name,
                outcome=c.outcome,
                message=c.message[:300],
                reason_code=c.reason_code,
            )
            for c in result.checks
        ]
    )
    claim.recommendation = "review" if sampled else recommendation
    claim.sampled = sampled
    claim.claimed_fen = result.claimed_fen
    claim.recommended_fen = result.recommended_fen
    claim.service_start, claim.service_end = result.service_start, result.service_end
    claim.state = ClaimState.CHECKED
    claim.checked_at = timezone.now()
    claim.save()
    return result


def check_claim(claim_id: int, *, rng: random.Random | None = None) -> None:
    """The task behind submitting: recognising (every photo not yet read), then checked."""
    with transaction.atomic():
        claim = Claim.objects.select_for_update().filter(pk=claim_id).first()
        if claim is None or claim.state != ClaimState.SUBMITTED:
            return  # done already (a task may run twice)
        require_transition(claim.state, ClaimState.RECOGNISING)
        claim.state = ClaimState.RECOGNISING
        claim.save(update_fields=["state"])
    for doc_id in ClaimDocument.objects.filter(
        claim_id=claim_id, reading=Reading.PENDING
    ).values_list("pk", flat=True):
        recognise_document(doc_id)
    try:
        with transaction.atomic():
            claim = (
                Claim.objects.select_for_update(of=("self",))
                .select_related("policy", "programme", "person")
                .get(pk=claim_id)
            )
            if claim.state == ClaimState.RECOGNISING:
                apply_checks(claim, rng)
    except Exception as exc:
        Claim.objects.filter(pk=claim_id).update(error=_("核查失败：%(e)s") % {"e": exc})
        raise
