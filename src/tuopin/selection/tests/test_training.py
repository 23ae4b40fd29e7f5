"""Cohorts, certificates and their verification; the campus hiring funnel."""

import datetime as dt

import pytest

from tuopin.conftest import VILLAGE_A, VILLAGE_C
from tuopin.core.errors import PermissionDenied
from tuopin.selection import hiring, selectors, training
from tuopin.selection.errors import BadCohortRecord, CertificateNotFound
from tuopin.selection.funnel import funnel
from tuopin.selection.models import Cohort, Stage

DAY = dt.date(2018, 6, 1)


@pytest.fixture
def cohort(operator):  # type: ignore[no-untyped-def]
    return training.create_cohort(
        slug="aca-1",
        name="ACA云计算一期",
        course="阿里云ACA",
        starts_on=DAY,
        min_attendance=1,
        by=operator,
    )


def test_a_cohort_code_is_used_once(cohort, operator) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(BadCohortRecord):
        training.create_cohort(
            slug="aca-1", name="另一期", course="ACA", starts_on=DAY, by=operator
        )
    assert Cohort.objects.count() == 1


def test_a_pass_mark_above_100_is_refused(operator) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(BadCohortRecord):
        training.create_cohort(
            slug="x", name="一期", course="ACA", starts_on=DAY, pass_mark=120, by=operator
        )


def test_a_county_officer_opens_no_cohort(county_officer) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(PermissionDenied):
        training.create_cohort(
            slug="x", name="一期", course="ACA", starts_on=DAY, by=county_officer
        )


def _trained(cohort, operator):  # type: ignore[no-untyped-def]
    people = training.enrol(
        cohort=cohort, people=[("王小红", VILLAGE_A), ("李明", VILLAGE_C)], by=operator
    )
    training.record_session(
        cohort=cohort,
        held_on=DAY,
        topic="云服务器",
        present=[people[0].pk, people[1].pk],
        by=operator,
    )
    training.record_exam(cohort=cohort, scores={people[0].pk: 85, people[1].pk: 40}, by=operator)
    return people


def test_only_those_who_passed_get_a_certificate(cohort, operator):
    _trained(cohort, operator)
    assert training.issue_certificates(cohort=cohort, on=DAY, by=operator) == 1
    assert training.issue_certificates(cohort=cohort, on=DAY, by=operator) == 0


def test_an_exam_score_over_100_saves_nothing(cohort, operator):
    people = _trained(cohort, operator)
    with pytest.raises(BadCohortRecord):
        training.record_exam(
            cohort=cohort, scores={people[0].pk: 70, people[1].pk: 101}, by=operator
        )
    people[0].refresh_from_db()
    assert people[0].exam_score == 85


def test_verification_shows_the_masked_holder(cohort, operator):
    _trained(cohort, operator)
    training.issue_certificates(cohort=cohort, on=DAY, by=operator)
    cert = cohort.trainees.get(name="王小红").certificate
    shown = training.verification(selectors.get_certificate(cert.number.lower()))
    assert shown["holder"] == "王**"
    assert shown["course"] == "阿里云ACA"


def test_an_unknown_certificate_number_is_not_found(cohort):
    with pytest.raises(CertificateNotFound):
        selectors.get_certificate("2018DEADBEEF")


def test_the_verification_page_has_a_qr_code(cohort, operator, client):
    _trained(cohort, operator)
    training.issue_certificates(cohort=cohort, on=DAY, by=operator)
    number = cohort.trainees.get(name="王小红").certificate.number
    page = client.get(f"/selection/certificates/{number}/").content.decode()
    assert "王**" in page and "<svg" in page and "王小红" not in page
    assert client.get("/selection/certificates/NOPE/").status_code == 404


def test_placements_are_counted_per_follow_up(cohort, operator):
    people = _trained(cohort, operator)
    training.follow_up(
        trainee=people[0],
        months=3,
        employed=True,
        employer="阿里云",
        wage_band="5000-8000",
        by=operator,
    )
    training.follow_up(trainee=people[1], months=3, employed=False, by=operator)
    assert training.cohort_summary(cohort)["placements"][3]["employed"] == 1
    with pytest.raises(BadCohortRecord):
        training.follow_up(trainee=people[0], months=4, employed=True, by=operator)


def test_the_employer_sees_origin_only_from_the_interview(area_tree, operator, donor):
    pos = hiring.post_position(employer="钉钉", title="前端", by=operator)
    c = hiring.apply_to(position=pos, name="张三", origin_code=VILLAGE_A, by=donor)
    assert hiring.employer_view(c)["origin"] is None
    c = hiring.move(candidacy_id=c.pk, stage=Stage.INTERVIEWED, by=operator)
    assert hiring.employer_view(c)["poor_origin"] is True


def test_the_funnel_counts_each_stage_by_origin(area_tree, operator, donor):
    pos = hiring.post_position(employer="钉钉", title="前端", by=operator)
    a = hiring.apply_to(position=pos, name="甲", origin_code=VILLAGE_A, by=donor)
    hiring.apply_to(position=pos, name="乙", origin_code=VILLAGE_A, by=donor)
    b = hiring.apply_to(position=pos, name="丙", origin_code=VILLAGE_C, by=donor)
    for c in (a, b):
        hiring.move(candidacy_id=c.pk, stage=Stage.INTERVIEWED, by=operator)
    hiring.move(candidacy_id=b.pk, stage=Stage.OFFERED, by=operator)
    hiring.move(candidacy_id=a.pk, stage=Stage.REJECTED, by=operator)
    rows = hiring.funnels()["钉钉"]
    assert [(r.poor, r.others) for r in rows] == [(2, 1), (1, 1), (0, 1), (0, 0)]


def test_a_stage_cannot_be_skipped(area_tree, operator, donor):
    pos = hiring.post_position(employer="钉钉", title="前端", by=operator)
    c = hiring.apply_to(position=pos, name="甲", origin_code=VILLAGE_A, by=donor)
    with pytest.raises(BadCohortRecord):
        hiring.move(candidacy_id=c.pk, stage=Stage.HIRED, by=operator)


def test_a_low_selection_rate_ratio_is_flagged():
    rows = funnel([10, 2, 1, 1], [10, 5, 3, 2])
    assert rows[1].ratio == pytest.approx(0.4) and rows[1].flagged
    assert not rows[0].flagged
