"""The key claim factors, each passing and failing, from documents as recognition returns
them (``documents.types``), without a database."""

from __future__ import annotations

import dataclasses
import datetime as dt
import random

import pytest

from tuopin.documents.types import DocType, Field, Recognition
from tuopin.insurance.claims import checks
from tuopin.insurance.limits import Limits

PERIOD = dt.date(2026, 1, 1)
INVOICE = {
    "patient_name": "唐俊",
    "hospital": "巴东县人民医院",
    "invoice_number": "42000123",
    "admission_date": "2026-03-02",
    "discharge_date": "2026-03-09",
    "total_amount": "12345.60",
    "insurance_paid": "8000.00",
    "self_paid": "4345.60",
}
SUMMARY = {
    "patient_name": "唐俊",
    "hospital": "巴东县人民医院",
    "admission_date": "2026-03-02",
    "discharge_date": "2026-03-09",
    "diagnosis": "肺炎",
}


def recognition(doc_type: DocType, values: dict[str, str], words: str | None = None) -> Recognition:
    return Recognition(
        doc_type, {k: Field(v, 0.99) for k, v in values.items()}, amount_in_words=words
    )


def facts(*docs: checks.Document, **kw) -> checks.Facts:  # type: ignore[no-untyped-def]
    base = checks.Facts(
        insured_name="唐俊",
        insured_id_number="42282319700501001X",
        policy_active=True,
        period_start=PERIOD,
        benefit="hospitalisation",
        waiting_days=30,
        limits=Limits(
            per_claim_fen=1_000_000, yearly_fen=2_000_000, deductible_fen=50_000, rate_bp=8_000
        ),
        used_fen=0,
        documents=list(docs),
    )
    return dataclasses.replace(base, **kw)


def invoice(doc_id: int = 1, words: str | None = "12345.60", **values: str) -> checks.Document:
    return checks.Document.of(
        doc_id, recognition(DocType.INPATIENT_INVOICE, INVOICE | values, words)
    )


def summary(doc_id: int = 2, **values: str) -> checks.Document:
    return checks.Document.of(doc_id, recognition(DocType.DISCHARGE_SUMMARY, SUMMARY | values))


def outcome(result: checks.Result, name: str) -> str:
    return next(c.outcome for c in result.checks if c.name == name)


def test_a_clean_claim_passes_every_check_and_is_recommended_at_the_computed_amount() -> None:
    result = checks.evaluate(facts(invoice(), summary()))
    assert {c.name: c.outcome for c in result.checks} == dict.fromkeys(checks.TITLES, "pass")
    assert result.recommendation == "approve"
    assert result.claimed_fen == 434_560  # the self-paid part
    assert result.recommended_fen == (434_560 - 50_000) * 8_000 // 10_000
    assert result.service_start == dt.date(2026, 3, 2)


def test_a_name_that_is_not_the_insured_fails_and_recommends_rejection() -> None:
    result = checks.evaluate(facts(invoice(patient_name="唐军"), summary()))
    assert outcome(result, "name") == "fail"
    assert result.recommendation == "reject"


def test_an_id_number_that_is_not_the_insured_fails() -> None:
    card = checks.Document.of(
        3, recognition(DocType.ID_CARD, {"name": "唐俊", "id_number": "110101199003074517"})
    )
    assert outcome(checks.evaluate(facts(invoice(), summary(), card)), "name") == "fail"
    ok = checks.Document.of(
        3, recognition(DocType.ID_CARD, {"name": "唐俊", "id_number": "42282319700501001x"})
    )
    assert outcome(checks.evaluate(facts(invoice(), summary(), ok)), "name") == "pass"


@pytest.mark.parametrize(
    ("day", "code"), [("2026-01-20", "waiting_period"), ("2027-01-05", "outside_period")]
)
def test_a_visit_in_the_waiting_days_or_outside_the_period_fails_the_cover(
    day: str, code: str
) -> None:
    result = checks.evaluate(facts(invoice(admission_date=day), summary(admission_date=day)))
    check = next(c for c in result.checks if c.name == "cover")
    assert (check.outcome, check.reason_code) == ("fail", code)
    assert result.recommendation == "reject"


def test_an_exited_policy_fails_the_cover() -> None:
    assert (
        outcome(checks.evaluate(facts(invoice(), summary(), policy_active=False)), "cover")
        == "fail"
    )


def test_a_benefit_the_programme_does_not_cover_fails() -> None:
    result = checks.evaluate(facts(invoice(), summary(), limits=None, waiting_days=None))
    assert outcome(result, "benefit") == "fail"
    assert result.recommended_fen == 0
    assert result.recommendation == "reject"


def test_figures_that_do_not_add_up_fail_and_need_a_person() -> None:
    words_differ = checks.evaluate(facts(invoice(words="12346.60"), summary()))
    assert outcome(words_differ, "figures") == "fail"
    assert words_differ.recommendation == "review"
    parts_differ = checks.evaluate(facts(invoice(self_paid="4000.00"), summary()))
    assert outcome(parts_differ, "figures") == "fail"
    unread = checks.evaluate(facts(invoice(words=None), summary()))
    assert outcome(unread, "figures") == "unknown"
    assert unread.recommendation == "review"


def test_a_claim_over_the_limit_fails_the_limit_check_and_is_approved_at_the_limit() -> None:
    big = invoice(
        total_amount="50000.00", insurance_paid="10000.00", self_paid="40000.00", words="50000.00"
    )
    result = checks.evaluate(facts(big, summary()))
    check = next(c for c in result.checks if c.name == "payout")
    assert (check.outcome, check.reason_code) == ("fail", "over_limit")
    assert result.recommendation == "approve"
    assert result.recommended_fen == 1_000_000  # the per-claim limit


def test_an_exhausted_yearly_limit_pays_nothing_and_recommends_rejection() -> None:
    result = checks.evaluate(facts(invoice(), summary(), used_fen=2_000_000))
    assert outcome(result, "payout") == "fail"
    assert result.recommended_fen == 0
    assert result.recommendation == "reject"


def test_an_invoice_claimed_before_fails() -> None:
    result = checks.evaluate(
        facts(invoice(), summary(), invoices_elsewhere={"42000123": "LP00000007"})
    )
    check = next(c for c in result.checks if c.name == "invoice")
    assert check.outcome == "fail" and "LP00000007" in check.message
    assert result.recommendation == "reject"
    twice = checks.evaluate(facts(invoice(1), invoice(3), summary()))
    assert outcome(twice, "invoice") == "fail"


def test_a_photo_used_in_another_claim_fails_and_needs_a_person() -> None:
    result = checks.evaluate(facts(invoice(), summary(), photos_elsewhere={1: "LP00000003"}))
    assert outcome(result, "photo") == "fail"
    assert result.recommendation == "review"


def test_a_discharge_summary_with_other_dates_fails_and_none_at_all_is_unknown() -> None:
    result = checks.evaluate(facts(invoice(), summary(discharge_date="2026-03-12")))
    assert outcome(result, "discharge") == "fail"
    assert outcome(checks.evaluate(facts(invoice())), "discharge") == "unknown"
    outpatient = checks.Document.of(
        1,
        recognition(
            DocType.OUTPATIENT_INVOICE,
            {
                "patient_name": "唐俊",
                "invoice_number": "9",
                "visit_date": "2026-03-02",
                "total_amount": "800.00",
            },
            "800.00",
        ),
    )
    assert outcome(checks.evaluate(facts(outpatient)), "discharge") == "pass"


def test_no_invoice_at_all_needs_a_person() -> None:
    result = checks.evaluate(facts(summary()))
    assert outcome(result, "documents") == "unknown"
    assert result.recommendation == "review"


def test_the_sampling_audit_sends_its_share_with_a_seeded_generator() -> None:
    rng = random.Random(7)
    picks = [checks.sampled(2_500, rng) for _ in range(8)]
    again = random.Random(7)
    assert picks == [again.randrange(10_000) < 2_500 for _ in range(8)]
    assert not any(checks.sampled(0, rng) for _ in range(50))
    assert all(checks.sampled(10_000, rng) for _ in range(50))
