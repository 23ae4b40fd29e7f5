"""Helpers and pledges: forwarding, the masked view, pledge → disbursement → approval →
paid, with ledger entries that name no one."""

from __future__ import annotations

import json

import pytest

from tuopin.casework import services, support
from tuopin.casework.errors import BadDecision, Locked, NotYourTurn
from tuopin.core.errors import PermissionDenied
from tuopin.ledger.models import Entry

from .factories import student


@pytest.fixture
def approved(types, households, cadre_a, township, county_officer):  # type: ignore[no-untyped-def]
    s = student(types, cadre_a)
    services.decide(submission=s, action="approve", by=township)
    return services.decide(submission=s, action="approve", by=county_officer).submission


def test_only_the_last_level_forwards_an_approved_case(
    approved, township, county_officer, helper
) -> None:  # type: ignore[no-untyped-def]
    assert support.masked_cases_for(helper) == []
    with pytest.raises(NotYourTurn):
        support.forward_case(submission=approved, by=township)
    support.forward_case(submission=approved, by=county_officer)
    [case] = support.masked_cases_for(helper)
    assert case.student == "朱同学" and case.county == "巴东县" and case.requested_fen == 150_000
    assert "朱婷婷" not in repr(case) and "溪丘湾" not in repr(case)


def test_a_pending_case_cannot_be_forwarded(types, households, cadre_a, county_officer) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(BadDecision):
        support.forward_case(submission=student(types, cadre_a), by=county_officer)


def test_a_pledge_is_paid_only_after_the_county_approves_it(
    approved, county_officer, township, helper, cadre_a
) -> None:  # type: ignore[no-untyped-def]
    support.forward_case(submission=approved, by=county_officer)
    p = support.pledge(case_id=approved.pk, amount_fen=100_000, note="加油", by=helper)
    with pytest.raises(BadDecision):  # over what was asked for
        support.pledge(case_id=approved.pk, amount_fen=60_000, by=helper)
    with pytest.raises(PermissionDenied):
        support.pledge(case_id=approved.pk, amount_fen=100, by=cadre_a)
    d = p.disbursement
    with pytest.raises(Locked):
        support.mark_paid(disbursement=d, payment_ref="BANK-1", by=county_officer)
    with pytest.raises(NotYourTurn):
        support.approve_disbursement(disbursement=d, by=township)
    support.approve_disbursement(disbursement=d, by=county_officer)
    d = support.mark_paid(disbursement=d, payment_ref="BANK-1", by=county_officer)
    assert d.paid_at is not None
    body = json.loads(bytes(Entry.objects.get(index=d.ledger_index).data))
    assert body["kind"] == "disbursement" and body["amount_fen"] == 100_000
    assert "recipient" in body["commitments"]
    with pytest.raises(Locked):
        support.mark_paid(disbursement=d, payment_ref="BANK-2", by=county_officer)
    [row] = support.support_for_household(county_officer, approved.household)
    assert (row.pledged_fen, row.paid_fen) == (100_000, 100_000)
    for entry in Entry.objects.all():
        data = bytes(entry.data).decode()
        assert "朱婷婷" not in data and "BANK-1" not in data and "加油" not in data


def test_it_shows_support_received_on_the_household_page(
    client, approved, county_officer, helper
) -> None:  # type: ignore[no-untyped-def]
    support.forward_case(submission=approved, by=county_officer)
    support.pledge(case_id=approved.pk, amount_fen=100_000, by=helper)
    client.force_login(county_officer)
    page = client.get(f"/registry/households/{approved.household.household_no}/")
    html = page.content.decode()
    assert page.status_code == 200 and "受助情况" in html and "1,000.00" in html


def test_it_leaves_the_support_panel_out_for_a_household_without_support(
    client, households, county_officer
) -> None:  # type: ignore[no-untyped-def]
    client.force_login(county_officer)
    page = client.get("/registry/households/A002/")
    assert page.status_code == 200 and "受助情况" not in page.content.decode()
