"""The pages: applying on a phone, the reviewer's declaration and rubric, the committee's
proposal and publication, the public results."""

import re

from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from tuopin.conftest import VILLAGE_A
from tuopin.selection.models import Application, Assignment, SelectionRun, Status

from .conftest import apply, picture


def _client(user):  # type: ignore[no-untyped-def]
    c = Client()
    c.force_login(user)
    return c


def test_an_applicant_applies_with_a_photo_and_sees_the_status(programme, applicant):
    c = _client(applicant)
    page = c.get("/selection/p/teachers-2018/apply/").content.decode()
    assert 'capture="environment"' in page
    response = c.post(
        "/selection/p/teachers-2018/apply/",
        {
            "name": "李老师",
            "area_code": VILLAGE_A,
            "rural_years": "6",
            "evidence_0": SimpleUploadedFile("cert.jpg", picture(3), "image/jpeg"),
        },
    )
    app = Application.objects.get()
    assert response.status_code == 302
    assert "已提交" in c.get(f"/selection/applications/{app.pk}/").content.decode()


def test_a_missing_photo_is_said_and_nothing_is_saved(programme, applicant):
    page = _client(applicant).post(
        "/selection/p/teachers-2018/apply/",
        {"name": "李老师", "area_code": VILLAGE_A, "rural_years": "6"},
        follow=True,
    )
    assert "缺少必需材料" in page.content.decode()
    assert Application.objects.count() == 0


def test_the_reviewer_declares_then_scores_on_the_page(programme, applicant, operator, reviewers):
    apply(programme, applicant)
    _client(operator).post("/selection/p/teachers-2018/committee/", {"action": "assign"})
    task = Assignment.objects.filter(reviewer=reviewers[2]).get()
    c = _client(reviewers[2])
    before = c.get(f"/selection/reviews/{task.pk}/").content.decode()
    assert "坚守山村" not in before and "利益冲突声明" in before
    c.post(f"/selection/reviews/{task.pk}/", {"declare": "none"})
    assert "坚守山村" in c.get(f"/selection/reviews/{task.pk}/").content.decode()
    c.post(f"/selection/reviews/{task.pk}/", {"c0": "4", "c1": "5", "comment": "好"})
    task.refresh_from_db()
    assert task.total == 4.5


def test_a_reviewer_cannot_open_another_reviewers_task(programme, applicant, operator, reviewers):
    apply(programme, applicant)
    _client(operator).post("/selection/p/teachers-2018/committee/", {"action": "assign"})
    theirs = Assignment.objects.exclude(reviewer=reviewers[2]).first()
    assert _client(reviewers[2]).get(f"/selection/reviews/{theirs.pk}/").status_code == 404


def test_the_committee_proposes_and_publishes_and_the_public_sees_shares(
    programme, applicant, operator, reviewers, committee
):
    for i, area in enumerate([VILLAGE_A, VILLAGE_A, "621102100201"]):
        apply(programme, applicant, name=f"教师{i}", area=area, seed=i)
    _client(operator).post("/selection/p/teachers-2018/committee/", {"action": "assign"})
    for a in Assignment.objects.select_related("reviewer"):
        c = _client(a.reviewer)
        c.post(f"/selection/reviews/{a.pk}/", {"declare": "none"})
        c.post(f"/selection/reviews/{a.pk}/", {"c0": "3", "c1": "4"})
    chair = _client(committee)
    chair.post("/selection/p/teachers-2018/committee/", {"action": "propose"})
    run = SelectionRun.objects.get()
    assert "评选方案" in chair.get("/selection/p/teachers-2018/committee/").content.decode()
    chair.post("/selection/p/teachers-2018/committee/", {"action": "publish", "run": run.pk})
    assert Application.objects.filter(status=Status.SELECTED).count() == 2
    public = Client().get("/selection/p/teachers-2018/").content.decode()
    assert "贫困县至少50%" in public and "教师0" not in public
    assert 'id="chart-selected-provinces' in public or "selected-provinces" in public


def test_an_applicant_cannot_open_the_committee_page(programme, applicant):
    assert _client(applicant).get("/selection/p/teachers-2018/committee/").status_code == 403


def test_the_queue_lists_only_the_reviewers_own_tasks(programme, applicant, operator, reviewers):
    apply(programme, applicant)
    _client(operator).post("/selection/p/teachers-2018/committee/", {"action": "assign"})
    mine = Assignment.objects.filter(reviewer=reviewers[2]).get()
    page = _client(reviewers[2]).get("/selection/reviews/").content.decode()
    assert re.findall(r'href="/selection/reviews/(\d+)/"', page) == [str(mine.pk)]


def test_a_members_award_shows_on_the_household_page(programme, households, cadre_a):
    from tuopin.registry.models import Person

    head = Person.objects.get(name="唐俊")
    from tuopin.selection import services

    app = services.submit_application(
        programme=programme,
        name=head.name,
        area_code=VILLAGE_A,
        answers={"rural_years": 9},
        evidence={"证书": [picture(5)]},
        person_id=head.pk,
        nominate=True,
        by=cadre_a,
    )
    page = _client(cadre_a).get(f"/registry/households/{head.household.household_no}/")
    assert "评选与奖励" not in page.content.decode()
    Application.objects.filter(pk=app.pk).update(status=Status.SELECTED)
    page = _client(cadre_a).get(f"/registry/households/{head.household.household_no}/")
    assert "评选与奖励" in page.content.decode() and "马云乡村教师奖" in page.content.decode()


def test_the_queue_reads_the_same_number_of_queries_for_more_tasks(
    programme, applicant, operator, reviewers
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    def queries() -> int:
        c = _client(reviewers[2])
        with CaptureQueriesContext(connection) as ctx:
            c.get("/selection/reviews/")
        return len(ctx.captured_queries)

    apply(programme, applicant)
    _client(operator).post("/selection/p/teachers-2018/committee/", {"action": "assign"})
    one = queries()
    for i in range(3):
        apply(programme, applicant, name=f"乙{i}", area="621102100201", seed=10 + i)
    _client(operator).post("/selection/p/teachers-2018/committee/", {"action": "assign"})
    assert Assignment.objects.filter(reviewer=reviewers[2]).count() > 1
    assert queries() == one
