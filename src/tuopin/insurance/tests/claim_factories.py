"""Building claims for tests through the real services: a programme with hospital cover for
the conftest's villages, its policies, an adjuster assigned to it, and documents recorded
as recognition returns them (``documents.types``)."""

from __future__ import annotations

import datetime as dt
import io
import random
from typing import Any

from django.utils import timezone
from PIL import Image, ImageDraw

from tuopin.documents.types import DocType, Field, Recognition
from tuopin.insurance import services as insurance
from tuopin.insurance.claims import processing
from tuopin.insurance.claims import services as claims
from tuopin.insurance.models import Claim, CoverageItem, Policy, Programme

PERIOD = dt.date(timezone.localdate().year, 1, 1)


def day(month: int, d: int) -> str:
    return dt.date(PERIOD.year, month, d).isoformat()


def programme(
    by: Any, *, slug: str = "dlz", adjusters: tuple[Any, ...] = (), campaign: Any = None
) -> Programme:
    prog = insurance.save_programme(
        by=by,
        programme=Programme(
            slug=slug,
            name=f"顶梁柱 {slug}",
            sponsor="中国扶贫基金会",
            insurer="某保险",
            premium_fen=100,
            min_age=18,
            max_age=60,
            starts_on=PERIOD,
            ends_on=PERIOD.replace(month=12, day=31),
            claim_audit_bp=0,
            campaign=campaign,
        ),
        counties=[],
        coverage=[
            CoverageItem(
                benefit="hospitalisation",
                per_claim_limit_fen=1_000_000,
                yearly_limit_fen=2_000_000,
                deductible_fen=50_000,
                reimbursement_bp=8_000,
            )
        ],
    )
    insurance.enroll(programme_slug=slug, period_start=PERIOD)
    prog.adjusters.set(adjusters)
    return prog


def policy_of(name: str, slug: str = "dlz") -> Policy:
    return Policy.objects.select_related("programme").get(person__name=name, programme__slug=slug)


def picture(seed: int) -> bytes:
    rng = random.Random(seed)
    img = Image.new("RGB", (700, 500), (235, 232, 225))
    draw = ImageDraw.Draw(img)
    for row in range(12):
        x = 20
        while x < 640:
            w = rng.randint(8, 60)
            draw.rectangle([x, 20 + row * 36, x + w, 40 + row * 36], fill=(30, 30, 40))
            x += w + rng.randint(6, 30)
    out = io.BytesIO()
    img.save(out, "JPEG")
    return out.getvalue()


def invoice_values(name: str = "唐俊", number: str = "42000123", **kw: str) -> dict[str, str]:
    return {
        "patient_name": name,
        "hospital": "巴东县人民医院",
        "invoice_number": number,
        "admission_date": day(3, 2),
        "discharge_date": day(3, 9),
        "total_amount": "12345.60",
        "insurance_paid": "8000.00",
        "self_paid": "4345.60",
    } | kw


def summary_values(name: str = "唐俊", **kw: str) -> dict[str, str]:
    return {
        "patient_name": name,
        "hospital": "巴东县人民医院",
        "admission_date": day(3, 2),
        "discharge_date": day(3, 9),
        "diagnosis": "肺炎",
    } | kw


def recognition(doc_type: DocType, values: dict[str, str], words: str | None = None) -> Recognition:
    return Recognition(
        doc_type,
        {k: Field(v, 0.97, ((10, 10), (100, 10), (100, 30), (10, 30))) for k, v in values.items()},
        width=700,
        height=500,
        amount_in_words=words,
    )


def add_read(by: Any, claim: Claim, seed: int, rec: Recognition, data: bytes | None = None):  # type: ignore[no-untyped-def]
    """A photo added to the claim, then what the recogniser read of it recorded."""
    doc = claims.add_document(by=by, claim_id=claim.pk, data=data or picture(seed))
    processing.record_recognition(doc, rec)
    return doc


def filed(
    by: Any,
    *,
    name: str = "唐俊",
    seed: int = 1,
    invoice: dict[str, str] | None = None,
    words: str | None = "12345.60",
    summary: bool = True,
    photo: bytes | None = None,
    submit: bool = True,
    check: bool = True,
) -> Claim:
    """A claim for ``name`` with an inpatient invoice (and its discharge summary), submitted
    and checked (the task's work, run here with a seeded generator)."""
    claim = claims.create_claim(
        by=by, policy_no=policy_of(name).policy_no, benefit="hospitalisation"
    )
    values = invoice if invoice is not None else invoice_values(name)
    add_read(by, claim, seed, recognition(DocType.INPATIENT_INVOICE, values, words), photo)
    if summary:
        add_read(
            by, claim, seed + 1000, recognition(DocType.DISCHARGE_SUMMARY, summary_values(name))
        )
    if submit:
        claims.submit_claim(by=by, claim_id=claim.pk)
        if check:
            processing.check_claim(claim.pk, rng=random.Random(0))
    claim.refresh_from_db()
    return claim
