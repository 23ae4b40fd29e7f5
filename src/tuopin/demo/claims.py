"""Demo claims: the demo cadre files claims for women of their village (蚂蚁好保险's health
cover) with rendered photos of invoices and discharge summaries carrying the villagers' demo
names; the real recogniser reads them and the real checks run. Some are clean (one is paid),
and one each has a duplicate invoice, a reused photo, an amount over the limit, a visit in the
waiting days with a discharge summary that disagrees, a benefit the programme does not cover
with figures that do not add up, and a photo that is not a claim document: every check shows
both outcomes on the adjuster's page. Runs once (a second run finds the claims there)."""

from __future__ import annotations

import datetime as dt
import io
import random
from dataclasses import dataclass, field

from PIL import Image

DEMO_PROGRAMME = "haobaoxian"


@dataclass
class DemoClaim:
    name: str
    benefit: str = "health"
    invoice: dict[str, str] | None = field(default_factory=dict)
    summary: dict[str, str] | None = field(default_factory=dict)
    other: bool = False  # a photo of something that is not a claim document
    reuse_photo_of: int | None = None  # the index of a claim whose invoice photo is reused
    decide: str = ""  # "pay": approve and pay it


def _stay(year: int, month: int, day: int, nights: int) -> dict[str, str]:
    start = dt.date(year, month, day)
    return {
        "admission_date": start.isoformat(),
        "discharge_date": (start + dt.timedelta(days=nights)).isoformat(),
    }


def plan(names: list[str], year: int) -> list[DemoClaim]:
    """What to file for the women ``names`` (at least six) of the cadre's village."""
    a, b, c, d, e, f = names[:6]
    return [
        DemoClaim(  # 0: clean, approved and paid
            a,
            invoice={
                "invoice_number": "52010001",
                "total_amount": "8000.00",
                **_stay(year, 5, 6, 7),
            },
            summary={**_stay(year, 5, 6, 7), "diagnosis": "社区获得性肺炎"},
            decide="pay",
        ),
        DemoClaim(  # 1: clean, waiting for the adjuster
            b,
            invoice={
                "invoice_number": "52010002",
                "total_amount": "5230.40",
                **_stay(year, 6, 12, 5),
            },
            summary={**_stay(year, 6, 12, 5), "diagnosis": "2型糖尿病"},
        ),
        DemoClaim(  # 2: the invoice of claim 0 again
            c,
            invoice={
                "invoice_number": "52010001",
                "total_amount": "6100.00",
                **_stay(year, 7, 1, 4),
            },
            summary={**_stay(year, 7, 1, 4), "diagnosis": "高血压"},
        ),
        DemoClaim(c, reuse_photo_of=1, summary=None),  # 3: claim 1's photo, re-sent
        DemoClaim(  # 4: over the per-claim limit
            d,
            invoice={
                "invoice_number": "52010005",
                "total_amount": "40000.00",
                **_stay(year, 8, 3, 21),
            },
            summary={**_stay(year, 8, 3, 21), "diagnosis": "股骨颈骨折"},
        ),
        DemoClaim(  # 5: in the waiting days; the discharge summary says another day
            e,
            invoice={
                "invoice_number": "52010006",
                "total_amount": "3000.00",
                **_stay(year, 1, 10, 5),
            },
            summary={**_stay(year, 1, 10, 8), "diagnosis": "急性胃肠炎"},
        ),
        DemoClaim(  # 6: hospitalisation is not 好保险's cover; the parts do not add up
            f,
            benefit="hospitalisation",
            invoice={
                "invoice_number": "52010007",
                "total_amount": "4500.00",
                "insurance_paid": "2000.00",
                "self_paid": "2200.00",
                **_stay(year, 9, 9, 3),
            },
            summary=None,
        ),
        DemoClaim(b, other=True, invoice=None, summary=None),  # 7: not a claim document
    ]


def _recompressed(jpeg: bytes) -> bytes:
    """The same picture as another phone would send it again: smaller, more compressed."""
    img = Image.open(io.BytesIO(jpeg))
    out = io.BytesIO()
    img.resize((img.width * 3 // 4, img.height * 3 // 4)).save(out, "JPEG", quality=60)
    return out.getvalue()


def build_claims(seed: int) -> int:
    """File, read, check and (for one) decide and pay the demo claims. Returns how many were
    filed (0 when they exist already or no CJK font is there to render them)."""
    from django.utils import timezone

    from tuopin.accounts.selectors import get_user
    from tuopin.documents.synthetic import render_document
    from tuopin.documents.synthetic.fonts import FontMissing
    from tuopin.documents.types import DocType
    from tuopin.insurance.claims import processing
    from tuopin.insurance.claims import services as claims
    from tuopin.insurance.models import Claim, Policy, PolicyStatus, Programme
    from tuopin.ledger import services as ledger

    cadre, adjuster = get_user("cadre"), get_user("adjuster")
    for programme in Programme.objects.all():
        programme.adjusters.add(adjuster)
    if Claim.objects.filter(filed_by=cadre).exists():
        return 0
    year = timezone.localdate().year
    village = cadre.area_scopes.values_list("area_id", flat=True).first()
    policies = list(
        Policy.objects.filter(
            programme__slug=DEMO_PROGRAMME,
            village_code=village,
            period_start=dt.date(year, 1, 1),
            status=PolicyStatus.ACTIVE,
            person__birth_date__lte=dt.date(year - 18, 1, 1),
        )
        .select_related("person", "programme")
        .order_by("person__household__household_no", "person_id")[:6]
    )
    if len(policies) < 6:
        return 0
    by_name = {p.person.name: p for p in policies}
    rng = random.Random(seed)  # noqa: S311 - the sampling audit, repeatable in the demo
    invoices: dict[int, bytes] = {}
    filed = 0
    try:
        for i, spec in enumerate(plan([p.person.name for p in policies], year)):
            policy = by_name[spec.name]
            claim = claims.create_claim(by=cadre, policy_no=policy.policy_no, benefit=spec.benefit)
            photos: list[bytes] = []
            if spec.invoice is not None and spec.reuse_photo_of is None and not spec.other:
                values = {"patient_name": spec.name, **spec.invoice}
                invoices[i] = render_document(DocType.INPATIENT_INVOICE, values, seed=seed + i)
                photos.append(invoices[i])
            if spec.reuse_photo_of is not None:
                photos.append(_recompressed(invoices[spec.reuse_photo_of]))
            if spec.summary is not None:
                values = {"patient_name": spec.name, **spec.summary}
                photos.append(
                    render_document(DocType.DISCHARGE_SUMMARY, values, seed=seed + 100 + i)
                )
            if spec.other:
                photos.append(render_document(DocType.OTHER, {}, seed=seed + 200 + i))
            for data in photos:
                doc = claims.add_document(by=cadre, claim_id=claim.pk, data=data)
                processing.recognise_document(doc.pk)  # done already by an immediate task
            claims.submit_claim(by=cadre, claim_id=claim.pk)
            processing.check_claim(claim.pk, rng=rng)
            claim.refresh_from_db()
            if spec.decide == "pay" and claim.recommended_fen > 0:
                claims.decide_claim(by=adjuster, claim_id=claim.pk, approve=True)
                claims.pay_claim(by=adjuster, claim_id=claim.pk)
            filed += 1
    except FontMissing:
        pass
    if filed:
        ledger.integrate()  # the paid claim's receipt can be fetched at once
    return filed
