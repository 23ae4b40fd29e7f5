"""Claims through their services: filing, checking, deciding, paying; duplicates, states,
scope, bad photos, amounts in fen and the ledger."""

from __future__ import annotations

import io
import json
import random

import pytest
from PIL import Image

from tuopin.accounts import roles
from tuopin.accounts import services as accounts
from tuopin.conftest import VILLAGE_A
from tuopin.core.errors import NotFound, PermissionDenied
from tuopin.documents.errors import BadImage
from tuopin.documents.models import Photo
from tuopin.documents.types import DocType
from tuopin.insurance.claims import processing, selectors
from tuopin.insurance.claims import services as claims
from tuopin.insurance.claims.states import TRANSITIONS, BadTransition, ClaimState
from tuopin.insurance.models import Claim, Payout
from tuopin.ledger.models import Entry

from .claim_factories import (
    add_read,
    filed,
    invoice_values,
    picture,
    policy_of,
    programme,
    recognition,
)


@pytest.fixture
def setup(households, operator, cadre_a, adjuster):  # type: ignore[no-untyped-def]
    programme(operator, adjusters=(adjuster,))
    return {"operator": operator, "cadre": cadre_a, "adjuster": adjuster}


def outcomes(claim: Claim) -> dict[str, str]:
    return dict(claim.checks.values_list("name", "outcome"))


def test_a_clean_claim_is_checked_approved_and_paid_in_fen_end_to_end(setup) -> None:  # type: ignore[no-untyped-def]
    cadre, adjuster = setup["cadre"], setup["adjuster"]
    claim = filed(cadre)
    assert claim.state == ClaimState.CHECKED
    assert set(outcomes(claim).values()) == {"pass"}
    assert claim.recommendation == "approve"
    assert claim.claimed_fen == 434_560  # 4345.60 元 self-paid
    assert claim.recommended_fen == (434_560 - 50_000) * 8_000 // 10_000 == 307_648
    assert (claim.service_start.month, claim.service_start.day) == (3, 2)
    claims.decide_claim(by=adjuster, claim_id=claim.pk, approve=True)
    paid = claims.pay_claim(by=adjuster, claim_id=claim.pk)
    assert paid.state == ClaimState.PAID
    assert paid.paid_fen == paid.approved_fen == 307_648
    payout = Payout.objects.get()
    assert (payout.amount_fen, payout.loss_fen, payout.benefit) == (
        307_648,
        434_560,
        "hospitalisation",
    )
    assert paid.payout_id == payout.pk


def test_an_adjuster_may_lower_the_amount_but_not_pay_beyond_the_cover(setup) -> None:  # type: ignore[no-untyped-def]
    claim = filed(setup["cadre"])
    with pytest.raises(Exception) as caught:
        claims.decide_claim(
            by=setup["adjuster"], claim_id=claim.pk, approve=True, amount_fen=307_649
        )
    assert getattr(caught.value, "code", "") == "bad_amount"
    claims.decide_claim(by=setup["adjuster"], claim_id=claim.pk, approve=True, amount_fen=200_000)
    assert claims.pay_claim(by=setup["adjuster"], claim_id=claim.pk).paid_fen == 200_000


def test_ledger_entries_of_decisions_and_payouts_hold_no_personal_data(setup) -> None:  # type: ignore[no-untyped-def]
    claim = filed(setup["cadre"])
    claims.decide_claim(by=setup["adjuster"], claim_id=claim.pk, approve=True)
    claims.pay_claim(by=setup["adjuster"], claim_id=claim.pk)
    rejected = filed(setup["cadre"], name="朱明", seed=5, invoice=invoice_values("朱明", "777"))
    claims.decide_claim(
        by=setup["adjuster"],
        claim_id=rejected.pk,
        approve=False,
        reasons=["other"],
        note="唐俊 说明",
    )
    policy = policy_of("唐俊")
    entries = [bytes(e.data) for e in Entry.objects.filter(kind__in=["decision", "payout"])]
    decisions = [json.loads(d) for d in entries if b"claim_" in d]
    assert [d["decision"] for d in decisions] == ["claim_approved", "claim_rejected"]
    assert decisions[0]["amount_fen"] == 307_648 and "insured" in decisions[0]["commitments"]
    for data in entries:
        text = data.decode()
        for secret in (
            "唐俊",
            "朱明",
            policy.person.id_number,
            policy.policy_no,
            "说明",
            VILLAGE_A,
        ):
            assert secret not in text


def test_a_duplicate_invoice_is_caught_and_cannot_be_approved_twice(setup) -> None:  # type: ignore[no-untyped-def]
    first = filed(setup["cadre"])
    second = filed(setup["cadre"], seed=7)  # the same invoice number, another photo
    check = second.checks.get(name="invoice")
    assert (check.outcome, check.reason_code) == ("fail", "duplicate_invoice")
    assert first.number in check.message
    assert second.recommendation == "reject"
    claims.decide_claim(by=setup["adjuster"], claim_id=first.pk, approve=True)
    with pytest.raises(claims.BadClaim) as caught:
        claims.decide_claim(
            by=setup["adjuster"], claim_id=second.pk, approve=True, amount_fen=1_000
        )
    assert caught.value.code == "duplicate_invoice"
    second.refresh_from_db()
    assert second.state == ClaimState.CHECKED


def test_a_reused_photo_is_caught_even_resized_and_recompressed(setup) -> None:  # type: ignore[no-untyped-def]
    first = filed(setup["cadre"])
    img = Image.open(io.BytesIO(picture(1)))
    copy = io.BytesIO()
    img.resize((560, 400)).save(copy, "JPEG", quality=55)
    again = filed(
        setup["cadre"],
        name="朱明",
        seed=40,
        invoice=invoice_values("朱明", "99001"),
        photo=copy.getvalue(),
    )
    check = again.checks.get(name="photo")
    assert (check.outcome, check.reason_code) == ("fail", "reused_photo")
    assert first.number in check.message
    assert again.recommendation == "review"


def test_transitions_out_of_order_are_refused_with_a_stable_code(setup) -> None:  # type: ignore[no-untyped-def]
    cadre, adjuster = setup["cadre"], setup["adjuster"]
    draft = filed(cadre, submit=False)
    with pytest.raises(BadTransition) as caught:
        claims.decide_claim(by=adjuster, claim_id=draft.pk, approve=True)
    assert (caught.value.code, caught.value.status) == ("bad_transition", 409)
    claims.submit_claim(by=cadre, claim_id=draft.pk)
    with pytest.raises(BadTransition):
        claims.submit_claim(by=cadre, claim_id=draft.pk)
    with pytest.raises(claims.BadClaim) as not_editable:
        claims.add_document(by=cadre, claim_id=draft.pk, data=picture(77))
    assert not_editable.value.code == "claim_not_editable"
    processing.check_claim(draft.pk, rng=random.Random(0))
    with pytest.raises(BadTransition):
        claims.pay_claim(by=adjuster, claim_id=draft.pk)
    claims.decide_claim(by=adjuster, claim_id=draft.pk, approve=False, reasons=["other"])
    with pytest.raises(BadTransition):
        claims.decide_claim(by=adjuster, claim_id=draft.pk, approve=True)
    with pytest.raises(BadTransition):
        claims.pay_claim(by=adjuster, claim_id=draft.pk)
    assert TRANSITIONS[ClaimState.PAID] == frozenset()


def test_a_cadre_files_only_for_their_village(setup, cadre_b) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(NotFound):
        claims.create_claim(
            by=cadre_b, policy_no=policy_of("唐俊").policy_no, benefit="hospitalisation"
        )
    claim = filed(setup["cadre"])
    with pytest.raises(NotFound):
        selectors.get_claim_for(cadre_b, claim.pk)
    with pytest.raises(NotFound):
        claims.add_document(by=cadre_b, claim_id=claim.pk, data=picture(3))
    assert list(selectors.claims_for(cadre_b)) == []
    assert list(selectors.claims_for(setup["cadre"])) == [claim]


def test_an_adjuster_sees_only_the_claims_of_their_programmes(setup, donor) -> None:  # type: ignore[no-untyped-def]
    claim = filed(setup["cadre"])
    other = accounts.create_user(username="adjuster2", role=roles.ADJUSTER)
    with pytest.raises(NotFound):
        selectors.get_claim_for(other, claim.pk)
    with pytest.raises(NotFound):
        claims.decide_claim(by=other, claim_id=claim.pk, approve=True)
    assert selectors.get_claim_for(setup["adjuster"], claim.pk) == claim
    assert selectors.get_claim_for(setup["operator"], claim.pk) == claim
    with pytest.raises(PermissionDenied):
        claims.decide_claim(by=setup["operator"], claim_id=claim.pk, approve=True)
    with pytest.raises(PermissionDenied):
        selectors.claims_for(donor)
    with pytest.raises(PermissionDenied):
        claims.create_claim(
            by=setup["adjuster"], policy_no=policy_of("唐俊").policy_no, benefit="hospitalisation"
        )


def test_a_bad_photo_leaves_the_claim_as_it_was_and_editable(setup) -> None:  # type: ignore[no-untyped-def]
    cadre = setup["cadre"]
    claim = filed(cadre, submit=False, summary=False)
    before = Photo.objects.count()
    for data in (b"", b"%PDF-1.4\n", b"not an image", picture(9)[:500]):
        with pytest.raises(BadImage):
            claims.add_document(by=cadre, claim_id=claim.pk, data=data)
    assert Photo.objects.count() == before
    assert claim.documents.count() == 1
    claim.refresh_from_db()
    assert claim.state == ClaimState.DRAFT
    add_read(cadre, claim, 12, recognition(DocType.DISCHARGE_SUMMARY, {"patient_name": "唐俊"}))
    assert claim.documents.count() == 2


def test_corrections_are_kept_beside_the_reading_and_checked(setup) -> None:  # type: ignore[no-untyped-def]
    cadre = setup["cadre"]
    claim = filed(cadre, submit=False, invoice=invoice_values(name="唐後"))
    doc = claim.documents.get(doc_type="inpatient_invoice")
    claims.correct_document(
        by=cadre, claim_id=claim.pk, document_id=doc.pk, corrections={"patient_name": "唐俊"}
    )
    doc.refresh_from_db()
    assert doc.fields["patient_name"] == "唐後" and doc.values()["patient_name"] == "唐俊"
    with pytest.raises(Exception) as bad:
        claims.correct_document(
            by=cadre, claim_id=claim.pk, document_id=doc.pk, corrections={"self_paid": "12.345"}
        )
    assert getattr(bad.value, "code", "") == "bad_amount"
    claims.submit_claim(by=cadre, claim_id=claim.pk)
    processing.check_claim(claim.pk, rng=random.Random(0))
    claim.refresh_from_db()
    assert outcomes(claim)["name"] == "pass"


def test_the_sampling_audit_sends_a_recommended_approval_to_review(setup) -> None:  # type: ignore[no-untyped-def]
    claim = filed(setup["cadre"], check=False)
    claim.programme.claim_audit_bp = 10_000
    claim.programme.save()
    processing.check_claim(claim.pk, rng=random.Random(1))
    claim.refresh_from_db()
    assert (claim.recommendation, claim.sampled) == ("review", True)
    assert set(outcomes(claim).values()) == {"pass"}
