"""Running centres: enrolment, attendance rules, moving on at three, screenings at set ages,
staff who see only their centre, and the monthly figures."""

from __future__ import annotations

import datetime as dt

import pytest
from django.test import Client
from django.urls import reverse

from tuopin.accounts import roles
from tuopin.accounts import services as accounts
from tuopin.childcare import centres, reporting
from tuopin.childcare.errors import BadCentreRecord, CentreNotFound
from tuopin.childcare.models import Centre, CentreChild, LeftReason, Session
from tuopin.conftest import COUNTY, VILLAGE_A, VILLAGE_B
from tuopin.core.errors import PermissionDenied
from tuopin.registry.models import Person

from .conftest import ON

pytestmark = pytest.mark.usefixtures("young_families")
OPENED = dt.date(2018, 1, 1)
ALL_NORMAL = dict.fromkeys(("gross_motor", "fine_motor", "language", "social"), "normal")


@pytest.fixture
def staff(db: None):  # type: ignore[no-untyped-def]
    return accounts.create_user(username="ayi", role=roles.CENTRE_STAFF)


@pytest.fixture
def centre(county_officer, staff) -> Centre:  # type: ignore[no-untyped-def]
    return centres.open_centre(
        by=county_officer,
        name="溪丘湾养育中心",
        county_code=COUNTY,
        village_code=VILLAGE_A,
        opened_on=OPENED,
        staff=[staff],
    )


def child(name: str) -> Person:
    return Person.objects.get(name=name)


@pytest.fixture
def enrolled(centre: Centre, county_officer) -> list[CentreChild]:  # type: ignore[no-untyped-def]
    return [
        centres.enrol_child(
            by=county_officer,
            centre=centre,
            person_id=child(f"子YA{i:02d}").pk,
            carer_id=child(f"母YA{i:02d}").pk,
            on=ON - dt.timedelta(days=60),
        )
        for i in range(3)
    ]


def test_an_officer_enrols_a_child_with_their_mother(enrolled: list[CentreChild]) -> None:
    assert enrolled[0].carer is not None and enrolled[0].carer.name == "母YA00"


def test_a_child_of_three_is_not_enrolled(centre: Centre, county_officer) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(BadCentreRecord) as exc:
        centres.enrol_child(
            by=county_officer, centre=centre, person_id=child("子YA99").pk, carer_id=None, on=ON
        )
    assert exc.value.code == "too_old"


def test_a_child_cannot_be_at_two_centres(enrolled: list[CentreChild], county_officer) -> None:  # type: ignore[no-untyped-def]
    other = centres.open_centre(
        by=county_officer, name="红岩", county_code=COUNTY, village_code=VILLAGE_B, opened_on=OPENED
    )
    with pytest.raises(BadCentreRecord) as exc:
        centres.enrol_child(
            by=county_officer, centre=other, person_id=child("子YA00").pk, carer_id=None, on=ON
        )
    assert exc.value.code == "already_enrolled"


def test_a_carer_from_another_household_is_refused(centre: Centre, county_officer) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(BadCentreRecord):
        centres.enrol_child(
            by=county_officer,
            centre=centre,
            person_id=child("子YA05").pk,
            carer_id=child("母YA06").pk,
            on=ON,
        )


def test_attendance_is_recorded_for_the_roster(enrolled: list[CentreChild], staff) -> None:  # type: ignore[no-untyped-def]
    session = centres.record_session(
        by=staff, centre=enrolled[0].centre, held_on=ON, topic="亲子阅读", present=[enrolled[0].pk]
    )
    assert list(session.attendance.values_list("child_id", flat=True)) == [enrolled[0].pk]


def test_attendance_for_a_child_not_enrolled_is_refused(enrolled: list[CentreChild], staff) -> None:  # type: ignore[no-untyped-def]
    stranger = CentreChild.objects.order_by("-pk").first()
    assert stranger is not None
    with pytest.raises(BadCentreRecord) as exc:
        centres.record_session(
            by=staff,
            centre=enrolled[0].centre,
            held_on=ON,
            topic="唱歌",
            present=[stranger.pk + 99],
        )
    assert exc.value.code == "not_enrolled" and not Session.objects.exists()


def test_signing_in_twice_is_refused(enrolled: list[CentreChild], staff) -> None:  # type: ignore[no-untyped-def]
    session = centres.record_session(
        by=staff, centre=enrolled[0].centre, held_on=ON, topic="游戏", present=[enrolled[0].pk]
    )
    with pytest.raises(BadCentreRecord) as exc:
        centres.add_attendance(by=staff, session=session, child_id=enrolled[0].pk)
    assert exc.value.code == "twice"


def test_a_closed_centre_records_no_session(enrolled: list[CentreChild], staff) -> None:  # type: ignore[no-untyped-def]
    Centre.objects.filter(pk=enrolled[0].centre_id).update(closed_on=ON - dt.timedelta(days=1))
    with pytest.raises(BadCentreRecord) as exc:
        centres.record_session(
            by=staff, centre=enrolled[0].centre, held_on=ON, topic="游戏", present=[]
        )
    assert exc.value.code == "centre_closed"


def test_children_move_on_at_three(enrolled: list[CentreChild]) -> None:
    first = enrolled[0]
    third_birthday = first.birth_date.replace(year=first.birth_date.year + 3)
    centres.graduate(first.centre, third_birthday)
    first.refresh_from_db()
    assert first.left_on == third_birthday and first.left_reason == LeftReason.AGED_OUT
    assert first not in centres.roster(first.centre, third_birthday)


def test_a_screening_must_be_at_the_childs_age(enrolled: list[CentreChild], staff) -> None:  # type: ignore[no-untyped-def]
    k = enrolled[0]
    with pytest.raises(BadCentreRecord) as exc:
        centres.record_screening(
            by=staff, child_id=k.pk, age_months=36, screened_on=ON, outcomes=ALL_NORMAL
        )
    assert exc.value.code == "wrong_age"


def test_staff_see_only_their_centre(enrolled: list[CentreChild], county_officer) -> None:  # type: ignore[no-untyped-def]
    other_staff = accounts.create_user(username="other", role=roles.CENTRE_STAFF)
    with pytest.raises(CentreNotFound):
        centres.get_centre_for(other_staff, enrolled[0].centre_id)


def test_staff_may_not_enrol(centre: Centre, staff) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(PermissionDenied):
        centres.enrol_child(
            by=staff, centre=centre, person_id=child("子YA00").pk, carer_id=None, on=ON
        )


def test_the_month_figures_match_a_count_by_hand(enrolled: list[CentreChild], staff) -> None:  # type: ignore[no-untyped-def]
    c = enrolled[0].centre
    centres.record_session(by=staff, centre=c, held_on=ON, topic="a", present=[enrolled[0].pk])
    centres.record_session(
        by=staff,
        centre=c,
        held_on=ON - dt.timedelta(days=3),
        topic="b",
        present=[k.pk for k in enrolled],
    )
    centres.record_visit(by=staff, child_id=enrolled[1].pk, visited_on=ON, notes="喂养指导")
    f = reporting.monthly(Centre.objects.filter(pk=c.pk), ON.year, ON.month)[c.pk]
    assert (f.children, f.sessions, f.attendances, f.visits) == (3, 2, 4, 1)
    assert f.attendance_rate == round(4 / 6, 3)


def test_the_centre_page_records_a_session(enrolled: list[CentreChild], staff) -> None:  # type: ignore[no-untyped-def]
    client = Client()
    client.force_login(staff)
    url = reverse("childcare:centre", args=[enrolled[0].centre_id])
    client.post(
        url, {"action": "session", "held_on": ON, "topic": "绘本", "present": [enrolled[0].pk]}
    )
    assert Session.objects.get().topic == "绘本"
    assert "绘本" in client.get(url).content.decode()


def test_the_api_gives_each_centres_month(enrolled: list[CentreChild], staff) -> None:  # type: ignore[no-untyped-def]
    client = Client()
    client.force_login(staff)
    (row,) = client.get("/api/v1/childcare/centres", {"month": "2018-06"}).json()
    assert row["name"] == "溪丘湾养育中心" and row["children"] == 3


def test_a_bad_month_is_refused(staff) -> None:  # type: ignore[no-untyped-def]
    client = Client()
    client.force_login(staff)
    response = client.get("/api/v1/childcare/centres", {"month": "2018-13"})
    assert response.status_code == 422 and response.json()["code"] == "bad_month"
