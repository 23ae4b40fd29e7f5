"""Filing, validation and the approval chain of field reports, through the real services."""

from __future__ import annotations

import json

import pytest

from tuopin.accounts import roles
from tuopin.accounts import services as accounts
from tuopin.casework import services
from tuopin.casework.errors import (
    BadDecision,
    BelowNotApproved,
    InvalidReport,
    Locked,
    NotYourTurn,
)
from tuopin.casework.models import Decision, Submission, Value
from tuopin.conftest import COUNTY, TOWNSHIP, VILLAGE_A, VILLAGE_B
from tuopin.ledger.models import Entry
from tuopin.registry.models import Person

from .factories import IN_JUNE, JUNE, chicken, photo, student


def test_it_files_a_report_with_typed_values_and_a_ledger_entry(types, households, cadre_a) -> None:  # type: ignore[no-untyped-def]
    s = chicken(types, cadre_a)
    assert s.status == "pending" and s.step_area == TOWNSHIP
    assert s.steps == f"{TOWNSHIP},{COUNTY}"
    birds = Value.objects.get(submission=s, field__key="birds")
    assert birds.number == 120 and birds.area_code == VILLAGE_A and birds.period_start == JUNE
    assert Value.objects.get(submission=s, field__key="growth").text == "良好"
    assert s.household.household_no == "A001"
    entry = Entry.objects.get(index=Decision.objects.get(submission=s).ledger_index)
    body = json.loads(bytes(entry.data))
    assert body["content_hash"] == s.content_hash and body["action"] == "submit"


@pytest.mark.parametrize(
    ("values", "field", "message"),
    [
        ({"household": "A001", "growth": "良好"}, "birds", "请填写存栏数"),
        ({"household": "A001", "birds": "很多", "growth": "良好"}, "birds", "应填数字"),
        ({"household": "A001", "birds": "12.5", "growth": "良好"}, "birds", "应填整数"),
        ({"household": "A001", "birds": "-3", "growth": "良好"}, "birds", "不能小于"),
        ({"household": "A001", "birds": "3", "growth": "很好"}, "growth", "只能是"),
        ({"household": "B001", "birds": "3", "growth": "良好"}, "household", "本村没有"),
        ({"household": "A001", "birds": "3", "growth": "良好", "x": "1"}, "x", "没有这个字段"),
    ],
)
def test_bad_values_are_refused_with_a_message_for_the_field_and_nothing_is_stored(
    types, households, cadre_a, values, field, message
) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(InvalidReport) as e:
        services.file_submission(
            report_type=types["black-chicken"],
            village=VILLAGE_A,
            values=values,
            photos={"photo": [photo(1)]},
            by=cadre_a,
        )
    assert message in e.value.detail[field]
    assert Submission.objects.count() == 0 and Entry.objects.count() == 0


def test_a_missing_photo_and_a_file_that_is_not_an_image_are_refused(
    types, households, cadre_a
) -> None:  # type: ignore[no-untyped-def]
    values = {"household": "A001", "birds": "3", "growth": "良好"}
    for photos, message in (({}, "请拍摄或上传现场照片"), ({"photo": [b"not a jpeg"]}, "不是照片")):
        with pytest.raises(InvalidReport) as e:
            services.file_submission(
                report_type=types["black-chicken"],
                village=VILLAGE_A,
                values=values,
                photos=photos,
                by=cadre_a,
            )
        assert message in e.value.detail["photo"]
    assert Submission.objects.count() == 0


def test_text_fields_refuse_a_bare_number_and_dates_must_be_dates(
    types, households, cadre_a
) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(InvalidReport) as e:
        student(types, cadre_a, school="12345", amount="abc")
    assert "应填文字" in e.value.detail["school"] and "应填数字" in e.value.detail["amount"]


def test_a_cadre_cannot_file_for_another_village_or_name_its_people(
    types, households, cadre_a, cadre_b
) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(NotYourTurn):
        chicken(types, cadre_a, village=VILLAGE_B, household="B001")
    with pytest.raises(InvalidReport):
        chicken(types, cadre_b, village=VILLAGE_B, household="A001")


def test_a_one_off_case_climbs_the_chain_in_order_and_is_locked_once_approved(
    types, households, cadre_a, township, county_officer
) -> None:  # type: ignore[no-untyped-def]
    s = student(types, cadre_a)
    with pytest.raises(NotYourTurn):  # the county before the township: out of turn
        services.decide(submission=s, action="approve", by=county_officer)
    with pytest.raises(NotYourTurn):  # the filer is no approver
        services.decide(submission=s, action="approve", by=cadre_a)
    s = services.decide(submission=s, action="approve", by=township, comment="属实").submission
    assert s.status == "pending" and s.step_area == COUNTY
    with pytest.raises(NotYourTurn):
        services.decide(submission=s, action="approve", by=township)
    s = services.decide(submission=s, action="approve", by=county_officer).submission
    assert s.status == "approved" and s.step_area == ""
    with pytest.raises(Locked):
        services.decide(submission=s, action="reject", by=county_officer, comment="x")
    with pytest.raises(Locked):
        services.refile_submission(submission=s, values={}, by=cadre_a)
    assert list(s.decisions.values_list("action", flat=True)) == ["submit", "approve", "approve"]


def test_an_officer_of_another_township_cannot_decide(types, households, cadre_a) -> None:  # type: ignore[no-untyped-def]
    other = accounts.create_user(
        username="other", role=roles.COUNTY_OFFICER, area_codes=["621102000000"]
    )
    s = student(types, cadre_a)
    with pytest.raises(NotYourTurn):
        services.decide(submission=s, action="approve", by=other)
    assert Submission.objects.get(pk=s.pk).step_index == 0


def test_returned_reports_can_be_corrected_and_filed_again_from_the_first_step(
    types, households, cadre_a, township
) -> None:  # type: ignore[no-untyped-def]
    s = student(types, cadre_a)
    with pytest.raises(BadDecision):  # a return says why
        services.decide(submission=s, action="return", by=township)
    s = services.decide(submission=s, action="return", by=township, comment="金额核实").submission
    assert s.status == "returned"
    values = {
        k: v
        for k, v in [
            ("student", str(s.person_id)),
            ("school", "溪丘湾中学"),
            ("grade", "初二"),
            ("family", "同上"),
            ("need", "学费"),
            ("amount", "800"),
        ]
    }
    s = services.refile_submission(submission=s, values=values, by=cadre_a)
    assert s.status == "pending" and s.step_index == 0
    assert Value.objects.get(submission=s, field__key="amount").number == 800


def test_a_higher_level_sends_an_approved_case_back_down(
    types, households, cadre_a, township, county_officer
) -> None:  # type: ignore[no-untyped-def]
    s = student(types, cadre_a)
    services.decide(submission=s, action="approve", by=township)
    services.decide(submission=s, action="approve", by=county_officer)
    with pytest.raises(NotYourTurn):  # the township has not reached… it is below the county
        services.decide(submission=s, action="send_back", by=township, comment="x", to_step=0)
    s = services.decide(
        submission=s, action="send_back", by=county_officer, comment="请乡镇复核", to_step=0
    ).submission
    assert s.status == "pending" and s.step_area == TOWNSHIP
    with pytest.raises(BadDecision):  # not up to its own level
        services.decide(submission=s, action="send_back", by=township, comment="x", to_step=0)
    s = services.decide(
        submission=s, action="send_back", by=township, comment="请村里补充"
    ).submission
    assert s.status == "returned"


def test_a_rejected_report_no_longer_counts(types, households, cadre_a, township) -> None:  # type: ignore[no-untyped-def]
    s = student(types, cadre_a)
    services.decide(submission=s, action="reject", by=township, comment="不符合条件")
    assert not Value.objects.filter(submission=s, counted=True).exists()


def test_periodic_reports_are_approved_bottom_up_by_area(
    types, households, cadre_a, cadre_b, township, county_officer
) -> None:  # type: ignore[no-untyped-def]
    a = chicken(types, cadre_a)
    b = chicken(types, cadre_b, village=VILLAGE_B, household="B001", seed=2)
    rt = types["black-chicken"]
    with pytest.raises(BadDecision):  # not one by one
        services.decide(submission=a, action="approve", by=township)
    with pytest.raises(BelowNotApproved):  # the township has not approved yet
        services.approve_area(
            report_type=rt, period_start=JUNE, area_code=COUNTY, by=county_officer
        )
    services.decide(submission=b, action="return", by=township, comment="照片不清")
    with pytest.raises(BelowNotApproved) as e:  # village B's report is back with the cadre
        services.approve_area(report_type=rt, period_start=JUNE, area_code=TOWNSHIP, by=township)
    assert e.value.detail == {"waiting": 1}
    with pytest.raises(NotYourTurn):
        services.approve_area(
            report_type=rt, period_start=JUNE, area_code=TOWNSHIP, by=county_officer
        )
    services.refile_submission(
        submission=b,
        values={"household": "B001", "birds": "80", "growth": "一般"},
        photos={"photo": [photo(3, taken=IN_JUNE)]},
        by=cadre_b,
    )
    done = services.approve_area(report_type=rt, period_start=JUNE, area_code=TOWNSHIP, by=township)
    assert {s.pk for s in done} == {a.pk, b.pk}
    assert Submission.objects.get(pk=a.pk).step_area == COUNTY
    services.approve_area(report_type=rt, period_start=JUNE, area_code=COUNTY, by=county_officer)
    assert set(Submission.objects.values_list("status", flat=True)) == {"approved"}
    with pytest.raises(Locked):
        services.refile_submission(submission=a, values={}, by=cadre_a)


def test_ledger_entries_hold_no_personal_data(types, households, cadre_a, township) -> None:  # type: ignore[no-untyped-def]
    s = student(types, cadre_a)
    services.decide(submission=s, action="return", by=township, comment="核实")
    person = Person.objects.get(pk=s.person_id)
    for entry in Entry.objects.all():
        data = bytes(entry.data).decode()
        for secret in (person.name, person.id_number, "A001", "溪丘湾中学", "1500", "核实"):
            assert secret not in data
