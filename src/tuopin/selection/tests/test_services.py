"""Applications, eligibility, assignment with conflicts of interest, scoring, normalisation."""

import pytest

from tuopin.accounts import roles
from tuopin.accounts import services as accounts
from tuopin.conftest import VILLAGE_A, VILLAGE_C
from tuopin.core.errors import PermissionDenied
from tuopin.selection import selectors, services
from tuopin.selection.errors import (
    ApplicationNotFound,
    AssignmentNotFound,
    BadApplication,
    BadScore,
    ConflictOfInterest,
    MissingEvidence,
    NoDeclaration,
)
from tuopin.selection.models import Application, Assignment, Programme, Status

from .conftest import apply


def test_an_eligible_application_is_submitted_with_its_county_facts(programme, applicant):
    app = apply(programme, applicant)
    assert app.status == Status.SUBMITTED
    assert app.facts["county_kind"] == "poor"
    assert app.facts["province"] == "42"
    assert app.evidence.count() == 1


def test_too_few_rural_years_is_ineligible_with_the_reason(programme, applicant):
    app = apply(programme, applicant, years=2)
    assert app.status == Status.INELIGIBLE
    assert app.reasons[0]["code"] == "too_low"
    text = services.failure_text(app.reasons[0], services.field_labels(programme))
    assert text == "乡村任教年限 应不少于 3"


def test_a_blind_programme_hides_the_name_from_the_reviewer(
    programme, applicant, operator, reviewers
):
    programme.blind = True
    programme.save()
    _assigned(programme, applicant, operator, reviewers)
    a = Assignment.objects.filter(reviewer=reviewers[2]).first()
    services.declare(assignment_id=a.pk, conflict=False, by=reviewers[2])
    a.refresh_from_db()
    shown = selectors.review_material(a)
    assert "name" not in shown and "school" not in shown and shown["answers"]


def test_missing_evidence_saves_nothing(programme, applicant):
    with pytest.raises(MissingEvidence):
        services.submit_application(
            programme=programme,
            name="王",
            area_code=VILLAGE_A,
            answers={"rural_years": 5},
            evidence={},
            by=applicant,
        )
    assert Application.objects.count() == 0


def test_a_required_field_missing_is_refused(programme, applicant):
    with pytest.raises(BadApplication):
        services.submit_application(
            programme=programme,
            name="王",
            area_code=VILLAGE_A,
            answers={},
            evidence={"证书": [b"x"]},
            by=applicant,
        )


def test_an_applicant_sees_only_their_own(programme, applicant, area_tree):
    mine = apply(programme, applicant)
    other = accounts.create_user(username="other", role=roles.DONOR)
    theirs = apply(programme, other, name="张", seed=2)
    assert list(selectors.applications_for(applicant)) == [mine]
    with pytest.raises(ApplicationNotFound):
        selectors.get_application_for(applicant, theirs.pk)


def _assigned(programme, applicant, operator, reviewers):
    apply(programme, applicant)  # in 巴东县 (the COUNTY): reviewer0 is from there
    apply(programme, applicant, name="赵", area=VILLAGE_C, seed=2)  # 安定区: reviewer1
    return services.assign_reviewers(programme=programme, by=operator)


def test_assignment_never_gives_a_reviewer_their_own_county(
    programme, applicant, operator, reviewers
):
    plan = _assigned(programme, applicant, operator, reviewers)
    assert not plan.short
    for a in Assignment.objects.select_related("application"):
        assert a.reviewer.reviewer_profile.area_code[:6] != a.application.area_code[:6]
    assert Assignment.objects.count() == 4


def test_a_reviewers_own_nominee_is_not_assigned_to_them(programme, operator, reviewers):
    apply(programme, reviewers[2], nominate=True, area=VILLAGE_C)
    services.assign_reviewers(programme=programme, by=operator)
    assert set(Assignment.objects.values_list("reviewer__username", flat=True)) == {
        "reviewer0",
        "reviewer3",
    }


def test_a_reviewer_must_declare_before_seeing_or_scoring(
    programme, applicant, operator, reviewers
):
    _assigned(programme, applicant, operator, reviewers)
    a = Assignment.objects.filter(reviewer=reviewers[2]).first()
    assert selectors.review_material(a) == {}
    with pytest.raises(NoDeclaration):
        services.score(assignment_id=a.pk, scores={"师德": 4, "教学": 4}, by=reviewers[2])
    services.declare(assignment_id=a.pk, conflict=False, by=reviewers[2])
    a.refresh_from_db()
    assert selectors.review_material(a)["answers"]["rural_years"] in (5,)


def test_a_declared_conflict_blocks_scoring(programme, applicant, operator, reviewers):
    _assigned(programme, applicant, operator, reviewers)
    a = Assignment.objects.filter(reviewer=reviewers[2]).first()
    services.declare(assignment_id=a.pk, conflict=True, by=reviewers[2])
    with pytest.raises(ConflictOfInterest):
        services.score(assignment_id=a.pk, scores={"师德": 4, "教学": 4}, by=reviewers[2])


def test_a_score_outside_the_rubric_is_refused(programme, applicant, operator, reviewers):
    _assigned(programme, applicant, operator, reviewers)
    a = Assignment.objects.filter(reviewer=reviewers[2]).first()
    services.declare(assignment_id=a.pk, conflict=False, by=reviewers[2])
    with pytest.raises(BadScore):
        services.score(assignment_id=a.pk, scores={"师德": 6, "教学": 4}, by=reviewers[2])
    a.refresh_from_db()
    assert a.total is None


def test_a_reviewer_sees_only_their_assignments(programme, applicant, operator, reviewers):
    _assigned(programme, applicant, operator, reviewers)
    theirs = Assignment.objects.filter(reviewer=reviewers[3]).first()
    assert all(a.reviewer_id == reviewers[2].pk for a in selectors.assignments_for(reviewers[2]))
    with pytest.raises(AssignmentNotFound):
        selectors.get_assignment_for(reviewers[2], theirs.pk)


def test_an_applicant_cannot_score(programme, applicant, operator, reviewers):
    _assigned(programme, applicant, operator, reviewers)
    a = Assignment.objects.first()
    with pytest.raises(PermissionDenied):
        services.score(assignment_id=a.pk, scores={}, by=applicant)


def test_scores_are_averaged_and_normalised(programme, applicant, operator, reviewers, committee):
    _assigned(programme, applicant, operator, reviewers)
    for a in Assignment.objects.all():
        services.declare(assignment_id=a.pk, conflict=False, by=a.reviewer)
        services.score(assignment_id=a.pk, scores={"师德": 4, "教学": 3}, by=a.reviewer)
    services.recompute_scores(programme=programme, by=committee)
    assert set(Application.objects.values_list("score", flat=True)) == {3.5}


def test_the_registrys_health_wins_over_what_the_form_says(households, operator, cadre_a):
    from tuopin.registry.models import Person

    from .conftest import picture

    modou = services.save_programme(
        by=operator,
        programme=Programme(
            slug="modou",
            name="魔豆妈妈",
            kind="contest",
            year=2018,
            select_count=1,
            eligibility=[{"rule": "any_of", "fields": ["disabled", "serious_illness"]}],
            form_fields=[{"name": "disabled", "label": "残疾", "kind": "boolean"}],
        ),
    )
    her = Person.objects.get(name="朱婷婷")  # 健康 in the registry
    app = services.submit_application(
        programme=modou,
        name=her.name,
        area_code=VILLAGE_A,
        answers={"disabled": "1"},
        evidence={},
        person_id=her.pk,
        nominate=True,
        by=cadre_a,
    )
    assert app.status == Status.INELIGIBLE
    assert app.facts["sex"] == "female"
    stranger = services.submit_application(
        programme=modou,
        name="某",
        area_code=VILLAGE_A,
        answers={"disabled": "1"},
        evidence={"x": [picture(1)]},
        by=cadre_a,
    )
    assert stranger.status == Status.SUBMITTED  # no registry record: the form is all there is
