"""One claim end to end through the background tasks, with real rendered photos and the real
recogniser: photos in, recognised on commit, checked, approved, paid (amounts in fen)."""

from __future__ import annotations

from tuopin.documents.synthetic import render_document
from tuopin.documents.types import DocType
from tuopin.insurance.claims import services as claims
from tuopin.insurance.claims.states import ClaimState
from tuopin.insurance.models import Claim, Payout

from .claim_factories import day, policy_of, programme


def test_a_claim_from_rendered_photos_is_read_checked_and_paid(
    households, operator, cadre_a, adjuster, django_capture_on_commit_callbacks
) -> None:  # type: ignore[no-untyped-def]
    programme(operator, adjusters=(adjuster,))
    stay = {"admission_date": day(3, 2), "discharge_date": day(3, 9)}
    invoice = render_document(
        DocType.INPATIENT_INVOICE,
        {"patient_name": "唐俊", "invoice_number": "42190001", "total_amount": "12345.60", **stay},
        seed=3,
    )
    summary = render_document(DocType.DISCHARGE_SUMMARY, {"patient_name": "唐俊", **stay}, seed=4)
    claim = claims.create_claim(
        by=cadre_a, policy_no=policy_of("唐俊").policy_no, benefit="hospitalisation"
    )
    with django_capture_on_commit_callbacks(execute=True):  # the immediate task backend
        claims.add_document(by=cadre_a, claim_id=claim.pk, data=invoice)
        claims.add_document(by=cadre_a, claim_id=claim.pk, data=summary)
    read = {d.doc_type: d.values() for d in claim.documents.all()}
    assert read[DocType.INPATIENT_INVOICE]["invoice_number"] == "42190001"
    assert read[DocType.DISCHARGE_SUMMARY]["discharge_date"] == day(3, 9)
    with django_capture_on_commit_callbacks(execute=True):
        claims.submit_claim(by=cadre_a, claim_id=claim.pk)
    claim = Claim.objects.get(pk=claim.pk)
    assert claim.state == ClaimState.CHECKED
    outcomes = dict(claim.checks.values_list("name", "outcome"))
    assert set(outcomes.values()) == {"pass"}, list(claim.checks.values_list("name", "message"))
    # render_document splits a total 60/40: 自付 4938.24 元.
    assert claim.claimed_fen == 493_824
    assert claim.recommended_fen == (493_824 - 50_000) * 8_000 // 10_000
    claims.decide_claim(by=adjuster, claim_id=claim.pk, approve=True)
    claims.pay_claim(by=adjuster, claim_id=claim.pk)
    assert Payout.objects.get().amount_fen == claim.recommended_fen
