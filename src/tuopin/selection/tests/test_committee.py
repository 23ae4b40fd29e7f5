"""The committee: the optimiser's proposal, confirm or override, publication on the ledger,
award instalments as ledger disbursements."""

import json

import pytest

from tuopin.accounts import roles
from tuopin.accounts import services as accounts
from tuopin.conftest import VILLAGE_A, VILLAGE_C
from tuopin.ledger import receipt
from tuopin.ledger import services as ledger
from tuopin.ledger.models import Entry
from tuopin.selection import committee as deciding
from tuopin.selection import services
from tuopin.selection.errors import BadRun, InfeasibleQuotas
from tuopin.selection.models import Application, Assignment, Instalment, Status

from .conftest import apply


@pytest.fixture
def scored(programme, applicant, operator, reviewers, committee):  # type: ignore[no-untyped-def]
    """Four applications: two from the poor county (scored 3 and 2), two from elsewhere (5, 4)."""
    marks = {"甲": 3, "乙": 2, "丙": 5, "丁": 4}
    for i, name in enumerate(marks):
        apply(programme, applicant, name=name, area=VILLAGE_A if i < 2 else VILLAGE_C, seed=i)
    services.assign_reviewers(programme=programme, by=operator)
    for a in Assignment.objects.select_related("application", "reviewer"):
        services.declare(assignment_id=a.pk, conflict=False, by=a.reviewer)
        m = marks[a.application.name]
        services.score(assignment_id=a.pk, scores={"师德": m, "教学": m}, by=a.reviewer)
    programme.normalise = False
    programme.save()
    services.recompute_scores(programme=programme, by=committee)
    return {a.name: a.pk for a in Application.objects.all()}


def test_the_proposal_meets_the_quota_and_shows_its_cost(programme, committee, scored):
    run = deciding.propose(programme=programme, by=committee)
    assert sorted(run.selected) == sorted([scored["丙"], scored["甲"]])
    assert run.result["quota_cost"]["贫困县至少50%"] == pytest.approx(1.0)
    assert run.result["forced_in"] == [scored["甲"]]


def test_an_infeasible_quota_set_is_named(programme, committee, scored):
    programme.quotas = programme.quotas + [
        {"name": "其他县至少2人", "family": "county_kind", "values": ["other"], "at_least": 2}
    ]
    programme.save()
    with pytest.raises(InfeasibleQuotas) as e:
        deciding.propose(programme=programme, by=committee)
    assert e.value.detail["clash"] == ["贫困县至少50%", "其他县至少2人"]


def test_an_applicant_cannot_run_the_selection(programme, applicant, scored):
    with pytest.raises(Exception) as e:
        deciding.propose(programme=programme, by=applicant)
    assert getattr(e.value, "code", "") == "permission_denied"


def test_an_override_needs_a_reason(programme, committee, scored):
    run = deciding.propose(programme=programme, by=committee)
    with pytest.raises(BadRun):
        deciding.publish(run_id=run.pk, selected=[scored["丙"], scored["丁"]], by=committee)
    assert Entry.objects.count() == 0


def test_an_override_of_the_wrong_size_is_refused(programme, committee, scored):
    run = deciding.propose(programme=programme, by=committee)
    with pytest.raises(BadRun):
        deciding.publish(run_id=run.pk, selected=[scored["丙"]], reason="只选一人", by=committee)


def test_publication_sets_statuses_and_schedules_instalments(programme, committee, scored):
    run = deciding.propose(programme=programme, by=committee)
    deciding.publish(run_id=run.pk, by=committee)
    assert Application.objects.filter(status=Status.SELECTED).count() == 2
    assert Application.objects.filter(status=Status.NOT_SELECTED).count() == 2
    assert sorted(set(Instalment.objects.values_list("amount_fen", flat=True))) == [
        3_333_333,
        3_333_334,
    ]
    assert Instalment.objects.count() == 6


def test_the_published_entry_verifies_and_commits_to_the_ranking(
    programme, committee, scored, settings, tmp_path
):
    settings.LEDGER_KEY_FILE = tmp_path / "ledger.key"
    signer = ledger.generate_key(path=settings.LEDGER_KEY_FILE, name=settings.LEDGER_ORIGIN)
    run = deciding.propose(programme=programme, by=committee)
    run = deciding.publish(run_id=run.pk, by=committee)
    ledger.integrate(signer=signer)
    _checkpoint, data = receipt.verify(ledger.receipt_for(run.ledger_index), signer.verifier)
    body = json.loads(data)
    assert body["shares"]["quotas"]["贫困县至少50%"]["share"] == 0.5
    assert body["ranked_sha256"] == deciding.ranked_digest(run.result["salt"], run.result["ranked"])
    assert len(body["commitments"]) == 2
    assert "甲" not in data.decode()


def test_instalments_are_paid_once_as_ledger_disbursements(programme, committee, operator, scored):
    run = deciding.propose(programme=programme, by=committee)
    deciding.publish(run_id=run.pk, by=committee)
    assert deciding.pay_instalment(programme=programme, number=1, by=operator) == 2
    assert deciding.pay_instalment(programme=programme, number=1, by=operator) == 0
    assert Entry.objects.filter(kind="disbursement").count() == 2


def test_a_committee_member_cannot_pay(programme, committee, scored):
    other = accounts.create_user(username="c2", role=roles.COMMITTEE)
    with pytest.raises(Exception) as e:
        deciding.pay_instalment(programme=programme, number=1, by=other)
    assert getattr(e.value, "code", "") == "permission_denied"


def test_an_override_with_a_reason_is_published_as_overridden(programme, committee, scored):
    run = deciding.propose(programme=programme, by=committee)
    run = deciding.publish(
        run_id=run.pk,
        selected=[scored["甲"], scored["乙"]],
        reason="两位都在深度贫困县",
        by=committee,
    )
    body = json.loads(bytes(Entry.objects.get(index=run.ledger_index).data))
    assert body["overridden"] is True
    assert run.override_reason == "两位都在深度贫困县"
    assert Application.objects.get(pk=scored["丙"]).status == Status.NOT_SELECTED
