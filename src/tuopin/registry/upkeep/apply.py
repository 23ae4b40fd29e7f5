"""Applying an approved change request: the registry's rows change and each change leaves a
``HistoryEvent`` (before → after, who, why, which request). Called by the last approval inside
its transaction, on locked households, after the request's checks ran again."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.utils import timezone

from .. import closing
from ..choices import ClosedReason, MemberStatus, Relation
from ..idcard_facts import birth_and_sex
from ..idhash import id_hash
from ..importing import refresh_household_summaries
from ..models import Household, Person
from .models import ChangeRequest, HistoryEvent, IdVerification, Kind, Source


class Applier:
    """Applies one request; ``events`` collects its history rows (written at the end)."""

    def __init__(self, request: ChangeRequest, household: Household, by: Any) -> None:
        self.request = request
        self.household = household
        self.by = by
        self.at = timezone.now()
        self.events: list[HistoryEvent] = []
        self.touched: set[int] = {household.pk}

    def event(
        self, household: Household, what: str, changes: dict[str, Any], person: Person | None = None
    ) -> None:
        self.events.append(
            HistoryEvent.of(
                household,
                what,
                changes,
                person,
                reason=self.request.reason,
                source=Source.REQUEST,
                request=self.request,
                by=self.by,
                at=self.at,
            )
        )

    def run(self) -> list[HistoryEvent]:
        getattr(self, f"_{self.request.kind}")(self.request.payload)
        refresh_household_summaries(sorted(self.touched))
        HistoryEvent.objects.bulk_create(self.events)
        return self.events

    def _add_member(self, p: dict[str, Any]) -> None:
        h = self.household
        former = Person.objects.filter(id_hash=id_hash(p["id_number"]), household=h).first()
        birth, sex = birth_and_sex(p["id_number"])
        facts = {
            k: p[k] for k in ("name", "relation", "education", "health", "student_status", "phone")
        }
        if former is not None:  # a member who left and came back (回流)
            before = {"status": former.status}
            for k, v in facts.items():
                setattr(former, k, v)
            former.status, former.left_on = MemberStatus.PRESENT, None
            former.save()
            reopened = closing.reopen_if_closed(h, at=self.at)  # the last member came back
            if reopened:
                self.event(h, "reopened", reopened)
            self.event(
                h,
                Kind.ADD_MEMBER,
                {"status": [before["status"], "present"], "cause": p["cause"]},
                former,
            )
            return
        person = Person.objects.create(
            household=h,
            village_code=h.village_id,
            id_number=p["id_number"],
            id_hash=id_hash(p["id_number"]),
            birth_date=birth,
            sex=sex,
            **facts,
        )
        self.event(h, Kind.ADD_MEMBER, {"cause": p["cause"], "name": [None, person.name]}, person)

    def _remove_member(self, p: dict[str, Any]) -> None:
        h = self.household
        person = Person.objects.get(pk=p["person_id"])
        if "new_head_id" in p:
            self._set_head(h, person, Person.objects.get(pk=p["new_head_id"]))
        person.status, person.left_on = p["status"], dt.date.fromisoformat(p["on"])
        person.save(update_fields=["status", "left_on", "updated_at"])
        self.event(
            h,
            Kind.REMOVE_MEMBER,
            {"status": ["present", p["status"]], "cause": p["cause"], "on": p["on"]},
            person,
        )
        self._close_if_empty(h, person.left_on, ClosedReason.NO_MEMBERS)

    def _close_if_empty(self, h: Household, on: Any, reason: str, into: str = "") -> None:
        changes = closing.close_if_empty(h, on=on, reason=reason, into=into, at=self.at)
        if changes:
            self.event(h, "closed", changes)

    def _set_head(self, h: Household, old: Person, new: Person) -> None:
        old.relation = Relation.OTHER
        old.save(update_fields=["relation", "updated_at"])
        new_before = new.relation
        new.relation = Relation.HEAD
        new.save(update_fields=["relation", "updated_at"])
        self.event(h, Kind.CORRECT_PERSON, {"relation": [Relation.HEAD, Relation.OTHER]}, old)
        self.event(h, Kind.CORRECT_PERSON, {"relation": [new_before, Relation.HEAD]}, new)

    def _correct_person(self, p: dict[str, Any]) -> None:
        person = Person.objects.get(pk=p["person_id"])
        changes: dict[str, Any] = {}
        for field, value in p["fields"].items():
            before = getattr(person, field)
            # ID numbers are never copied whole into the history: masked before and after.
            shown = [_masked(before), _masked(value)] if field == "id_number" else [before, value]
            changes[field] = shown
            setattr(person, field, value)
        if "id_number" in p["fields"]:
            person.id_hash = id_hash(person.id_number)
            person.birth_date, person.sex = birth_and_sex(person.id_number)
        person.save()
        if p.get("verify"):
            IdVerification.objects.update_or_create(
                person=person,
                defaults={"id_hash": person.id_hash, "request": self.request, "at": self.at},
            )
            changes["verified"] = True
        self.event(self.household, Kind.CORRECT_PERSON, changes, person)

    def _move_household(self, p: dict[str, Any]) -> None:
        h = self.household
        before = h.village_id
        Household.objects.filter(pk=h.pk).update(village_id=p["to_village"], updated_at=self.at)
        Person.objects.filter(household=h).update(village_code=p["to_village"], updated_at=self.at)
        h.village_id = p["to_village"]
        self.event(h, Kind.MOVE_HOUSEHOLD, {"village": [before, p["to_village"]]})

    def _split_household(self, p: dict[str, Any]) -> None:
        h = self.household
        new = Household.objects.create(
            household_no=p["new_household_no"],
            village_id=h.village_id,
            address=h.address,
            household_type=h.household_type,
            poverty_cause=h.poverty_cause,
            status=h.status,
            status_year=h.status_year,
        )
        self.touched.add(new.pk)
        if "remaining_head_id" in p:
            stay = Person.objects.get(pk=p["remaining_head_id"])
            Person.objects.filter(household=h, relation=Relation.HEAD).update(
                relation=Relation.OTHER
            )
            stay.relation = Relation.HEAD
            stay.save(update_fields=["relation", "updated_at"])
        movers = Person.objects.filter(pk__in=p["person_ids"])
        movers.exclude(pk=p["new_head_id"]).exclude(relation=Relation.HEAD).update(household=new)
        movers.filter(relation=Relation.HEAD).update(household=new, relation=Relation.OTHER)
        Person.objects.filter(pk=p["new_head_id"]).update(household=new, relation=Relation.HEAD)
        names = list(Person.objects.filter(pk__in=p["person_ids"]).values_list("name", flat=True))
        self.event(h, Kind.SPLIT_HOUSEHOLD, {"to": new.household_no, "members": names})
        self.event(new, Kind.SPLIT_HOUSEHOLD, {"from": h.household_no, "members": names})

    def _merge_households(self, p: dict[str, Any]) -> None:
        h = self.household
        other = Household.objects.select_for_update().get(household_no=p["other_household_no"])
        self.touched.add(other.pk)
        members = Person.objects.filter(household=other)
        names = list(members.values_list("name", flat=True))
        members.filter(relation=Relation.HEAD).update(relation=Relation.OTHER)
        members.update(household=h, village_code=h.village_id, updated_at=self.at)
        self.event(h, Kind.MERGE_HOUSEHOLDS, {"from": other.household_no, "members": names})
        self.event(other, Kind.MERGE_HOUSEHOLDS, {"into": h.household_no, "members": names})
        closed = closing.close(
            other,
            on=timezone.localdate(),
            reason=ClosedReason.MERGED,
            into=h.household_no,
            at=self.at,
        )
        self.event(other, "closed", closed)

    def _change_household(self, p: dict[str, Any]) -> None:
        h = self.household
        changes = {f: [getattr(h, f), v] for f, v in p.items()}
        Household.objects.filter(pk=h.pk).update(**p, updated_at=self.at)
        self.event(h, Kind.CHANGE_HOUSEHOLD, changes)

    def _merge_people(self, p: dict[str, Any]) -> None:
        drop = Person.objects.get(pk=p["drop_id"])
        keep = Person.objects.select_related("household").get(pk=p["keep_id"])
        before = drop.status
        drop.status, drop.left_on = MemberStatus.MERGED, timezone.localdate()
        if drop.relation == Relation.HEAD:
            drop.relation = Relation.OTHER
        drop.save(update_fields=["status", "left_on", "relation", "updated_at"])
        self.touched.add(keep.household_id)
        self.event(
            self.household,
            Kind.MERGE_PEOPLE,
            {"status": [before, MemberStatus.MERGED], "into": keep.household.household_no},
            drop,
        )
        self.event(
            keep.household, Kind.MERGE_PEOPLE, {"merged_from": self.household.household_no}, keep
        )
        if keep.household_id != self.household.pk:  # a duplicate registration, left empty
            self._close_if_empty(
                self.household, drop.left_on, ClosedReason.MERGED, keep.household.household_no
            )


def _masked(value: str) -> str:
    from tuopin.core import idcard

    return idcard.mask(value) if value else value
