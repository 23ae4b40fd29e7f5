"""Change requests (变更申请): each kind applied at the last approval, refused with a clear
message when wrong, the chain's order, atomic application, history and ledger entries."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from tuopin.accounts.approvals import Status
from tuopin.conftest import VILLAGE_A, VILLAGE_B
from tuopin.ledger.models import Entry
from tuopin.registry.errors import BadRequest, Locked, NotYourTurn
from tuopin.registry.models import (
    ChangeRequest,
    HistoryEvent,
    Household,
    KindChain,
    Person,
)
from tuopin.registry.upkeep import services

from .upkeep_factories import approve_all, file, new_id

pytestmark = pytest.mark.django_db


@pytest.fixture
def officers(township_officer, county_officer):  # type: ignore[no-untyped-def]
    return township_officer, county_officer


def test_it_adds_a_newborn_only_at_the_last_approval(households, cadre_a, officers) -> None:
    req = file(
        cadre_a,
        "add_member",
        {"name": "朱小宝", "id_number": new_id(13), "relation": "之孙子", "cause": "birth"},
    )
    assert req.steps.split(",") == ["422823101000", "422823000000"]
    services.decide(request=req, action="approve", by=officers[0])
    assert not Person.objects.filter(name="朱小宝").exists()
    outcome = services.decide(request=req, action="approve", by=officers[1])
    assert outcome.applied and outcome.request.status == Status.APPROVED
    baby = Person.objects.get(name="朱小宝")
    assert baby.birth_date == dt.date(2020, 2, 2) and baby.sex == "M"
    assert Household.objects.get(household_no="A001").member_count == 4


def test_it_refuses_an_id_number_that_fails_the_import_checks(households, cadre_a) -> None:
    bad = new_id(13)[:-1] + ("0" if new_id(13)[-1] != "0" else "1")
    with pytest.raises(BadRequest) as exc:
        file(
            cadre_a,
            "add_member",
            {"name": "朱小宝", "id_number": bad, "relation": "之孙子", "cause": "birth"},
        )
    assert "校验" in exc.value.message or exc.value.detail
    assert ChangeRequest.objects.count() == 0


def test_it_refuses_an_id_number_registered_elsewhere(households, cadre_a) -> None:
    other = Person.objects.get(name="李华").id_number
    with pytest.raises(BadRequest) as exc:
        file(
            cadre_a,
            "add_member",
            {"name": "李华", "id_number": other, "relation": "其他", "cause": "marriage_in"},
        )
    assert exc.value.code == "duplicate_id"


def test_it_refuses_a_request_outside_the_filers_village(households, cadre_a) -> None:
    with pytest.raises(NotYourTurn):
        file(cadre_a, "change_household", {"poverty_cause": "因学"}, household="B001")


def test_it_removes_a_member_with_the_date(households, cadre_a, officers) -> None:
    daughter = Person.objects.get(name="朱婷婷")
    req = file(
        cadre_a,
        "remove_member",
        {"person_id": daughter.pk, "cause": "marriage_out", "on": "2024-05-01"},
    )
    approve_all(req, *officers)
    daughter.refresh_from_db()
    assert daughter.status == "moved_out" and daughter.left_on == dt.date(2024, 5, 1)


def test_it_refuses_a_removal_date_in_the_future(households, cadre_a) -> None:
    daughter = Person.objects.get(name="朱婷婷")
    later = (timezone.localdate() + dt.timedelta(days=2)).isoformat()
    with pytest.raises(BadRequest) as exc:
        file(cadre_a, "remove_member", {"person_id": daughter.pk, "cause": "death", "on": later})
    assert exc.value.code == "date_in_future"


def test_removing_the_head_names_a_new_one(households, cadre_a, officers) -> None:
    head = Person.objects.get(name="唐俊")
    with pytest.raises(BadRequest):
        file(cadre_a, "remove_member", {"person_id": head.pk, "cause": "death", "on": "2024-01-01"})
    spouse = Person.objects.get(name="朱明")
    req = file(
        cadre_a,
        "remove_member",
        {"person_id": head.pk, "cause": "death", "on": "2024-01-01", "new_head_id": spouse.pk},
    )
    approve_all(req, *officers)
    spouse.refresh_from_db()
    assert spouse.relation == "head"
    assert Household.objects.get(household_no="A001").head_name == "朱明"


def test_it_corrects_an_id_number_and_derives_birth_and_sex(households, cadre_a, officers) -> None:
    person = Person.objects.get(name="朱婷婷")
    fixed = new_id(24, dt.date(1995, 3, 4))
    req = file(
        cadre_a,
        "correct_person",
        {"person_id": person.pk, "id_number": fixed, "phone": "13800001111"},
    )
    approve_all(req, *officers)
    person.refresh_from_db()
    assert person.id_number == fixed and person.birth_date == dt.date(1995, 3, 4)
    assert person.phone == "13800001111"
    event = HistoryEvent.objects.get(person=person)
    assert fixed not in str(event.changes)  # masked in the history


def test_it_moves_a_household_to_another_village(households, cadre_a, officers) -> None:
    req = file(cadre_a, "move_household", {"to_village": VILLAGE_B})
    approve_all(req, *officers)
    assert Household.objects.get(household_no="A001").village_id == VILLAGE_B
    assert set(
        Person.objects.filter(household__household_no="A001").values_list("village_code", flat=True)
    ) == {VILLAGE_B}


def test_it_refuses_a_move_into_an_unknown_village(households, cadre_a) -> None:
    with pytest.raises(BadRequest) as exc:
        file(cadre_a, "move_household", {"to_village": "422823101299"})
    assert exc.value.code == "unknown_village"


def test_it_splits_a_household(households, cadre_a, officers) -> None:
    daughter = Person.objects.get(name="朱婷婷")
    req = file(
        cadre_a,
        "split_household",
        {"new_household_no": "A001-2", "person_ids": [daughter.pk], "new_head_id": daughter.pk},
    )
    approve_all(req, *officers)
    new = Household.objects.get(household_no="A001-2")
    assert new.member_count == 1 and new.head_name == "朱婷婷"
    assert Household.objects.get(household_no="A001").member_count == 2


def test_it_merges_two_households_of_the_village(households, cadre_a, officers) -> None:
    req = file(cadre_a, "merge_households", {"other_household_no": "A002"})
    approve_all(req, *officers)
    assert Household.objects.get(household_no="A001").member_count == 4
    assert Person.objects.get(name="王强").relation == "other"
    assert HistoryEvent.objects.filter(household_no="A002", what="merge_households").exists()


def test_it_changes_type_and_cause(households, cadre_a, officers) -> None:
    req = file(
        cadre_a, "change_household", {"household_type": "低保贫困户", "poverty_cause": "因学"}
    )
    approve_all(req, *officers)
    h = Household.objects.get(household_no="A001")
    assert (h.household_type, h.poverty_cause) == ("dibao", "schooling")


def test_the_county_cannot_approve_before_the_township(households, cadre_a, officers) -> None:
    req = file(cadre_a, "change_household", {"poverty_cause": "因学"})
    with pytest.raises(NotYourTurn):
        services.decide(request=req, action="approve", by=officers[1])


def test_an_officer_of_another_area_cannot_decide(households, cadre_b, officers) -> None:
    from tuopin.accounts import roles
    from tuopin.accounts import services as accounts

    other = accounts.create_user(
        username="t2", role=roles.TOWNSHIP_OFFICER, area_codes=["621102100000"]
    )
    req = file(cadre_b, "change_household", {"poverty_cause": "因学"}, household="B001")
    with pytest.raises(NotYourTurn):
        services.decide(request=req, action="approve", by=other)


def test_an_applied_request_cannot_be_decided_again(households, cadre_a, officers) -> None:
    req = file(cadre_a, "change_household", {"poverty_cause": "因学"})
    approve_all(req, *officers)
    with pytest.raises(Locked):
        services.decide(request=req, action="approve", by=officers[1])
    with pytest.raises(Locked):
        services.decide(request=req, action="send_back", comment="再看", by=officers[1])


def test_application_is_atomic_when_the_facts_changed_meanwhile(
    households, cadre_a, officers
) -> None:
    """Two requests add the same person: the second fails at its last approval and leaves
    the request pending and the registry untouched."""
    payload = {"name": "朱小宝", "id_number": new_id(13), "relation": "之孙子", "cause": "birth"}
    first = file(cadre_a, "add_member", payload)
    second = file(cadre_a, "add_member", payload, household="A002")
    approve_all(first, *officers)
    services.decide(request=second, action="approve", by=officers[0])
    entries = Entry.objects.count()
    with pytest.raises(BadRequest):
        services.decide(request=second, action="approve", by=officers[1])
    second.refresh_from_db()
    assert second.status == Status.PENDING and second.applied_at is None
    assert Person.objects.filter(name="朱小宝").count() == 1
    assert Entry.objects.count() == entries


def test_a_returned_request_says_why_and_can_be_refiled(households, cadre_a, officers) -> None:
    req = file(cadre_a, "change_household", {"poverty_cause": "因学"})
    with pytest.raises(BadRequest):
        services.decide(request=req, action="return", by=officers[0])
    services.decide(request=req, action="return", comment="缺少证明", by=officers[0])
    req.refresh_from_db()
    assert req.status == Status.RETURNED
    assert req.decisions.last().comment == "缺少证明"
    services.refile_request(
        request=req,
        payload={"poverty_cause": "因残"},
        reason="补充证明",
        evidence=[b"photo"],
        by=cadre_a,
    )
    req.refresh_from_db()
    assert req.status == Status.PENDING and req.payload == {"poverty_cause": "disability"}
    assert req.evidence.count() == 1


def test_a_rejected_request_changes_nothing(households, cadre_a, officers) -> None:
    req = file(cadre_a, "change_household", {"poverty_cause": "因学"})
    services.decide(request=req, action="reject", comment="不属实", by=officers[0])
    assert Household.objects.get(household_no="A001").poverty_cause == "illness"


def test_a_kind_can_have_a_shorter_chain(households, cadre_a, officers) -> None:
    KindChain.objects.create(kind="correct_person", chain="village,township")
    person = Person.objects.get(name="朱婷婷")
    req = file(cadre_a, "correct_person", {"person_id": person.pk, "phone": "13800002222"})
    outcome = services.decide(request=req, action="approve", by=officers[0])
    assert outcome.applied


def test_every_step_goes_on_the_ledger_without_personal_data(households, cadre_a, officers) -> None:
    before = Entry.objects.count()
    req = file(
        cadre_a,
        "add_member",
        {"name": "朱小宝", "id_number": new_id(13), "relation": "之孙子", "cause": "birth"},
    )
    approve_all(req, *officers)
    entries = list(Entry.objects.order_by("index")[before:])
    assert len(entries) == 3
    assert all("朱小宝" not in bytes(e.data).decode() for e in entries)


def test_evidence_is_stored_once_by_content(households, cadre_a) -> None:
    req = file(cadre_a, "change_household", {"poverty_cause": "因学"}, evidence=[b"same", b"same"])
    paths = {e.path for e in req.evidence.all()}
    assert len(paths) == 1


def test_merging_two_people_with_different_verified_ids_is_refused(
    households, cadre_a, officers
) -> None:
    a, b = Person.objects.get(name="朱婷婷"), Person.objects.get(name="唐俊")
    for p in (a, b):
        approve_all(file(cadre_a, "correct_person", {"person_id": p.pk, "verify": True}), *officers)
    with pytest.raises(BadRequest) as exc:
        file(cadre_a, "merge_people", {"keep_id": b.pk, "drop_id": a.pk})
    assert exc.value.code == "different_verified_ids"


def test_merging_people_keeps_the_dropped_one_in_history(households, cadre_a, officers) -> None:
    a, b = Person.objects.get(name="朱婷婷"), Person.objects.get(name="唐俊")
    approve_all(file(cadre_a, "merge_people", {"keep_id": b.pk, "drop_id": a.pk}), *officers)
    a.refresh_from_db()
    assert a.status == "merged"
    assert HistoryEvent.objects.filter(person=a, what="merge_people").exists()
    assert VILLAGE_A
