"""What each kind of change request asks for, checked with the import's own rules: the row
validator of ``importing.rows`` (ID number with its check digit, birth date and sex from it,
code lists, phone, lengths) and the import's rule that an ID number lives in one household.

``check(kind, household, payload)`` runs when a request is filed and again, on locked rows,
when the last approval applies it; it returns the cleaned payload or raises ``BadRequest``
with every problem in ``detail``.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext as _

from tuopin.areas import selectors as area_selectors

from ..choices import ClosedReason, HouseholdType, MemberStatus, PovertyCause, Relation
from ..errors import BadRequest
from ..importing.columns import COLUMNS, choice
from ..importing.rows import CleanRow, RowValidator
from ..models import Household, Person
from .models import IdVerification, Kind

PERSON_FACTS = ("name", "id_number", "relation", "education", "health", "student_status", "phone")
ADD_CAUSES = {"birth": _("出生"), "marriage_in": _("婚入"), "return": _("回流")}
REMOVE_CAUSES = {"death": _("死亡"), "marriage_out": _("婚出"), "moving_out": _("迁出")}
_COLUMN_INDEX = {name: i for i, name in enumerate(COLUMNS)}


def _fail(errors: list[str]) -> None:
    if errors:
        raise BadRequest(errors[0], detail=errors)


def validate_person(household: Household, facts: dict[str, str]) -> CleanRow:
    """One person's facts through the import's row validator, as if they were a row of the
    household's file (the same messages as an import's report)."""
    values = [""] * len(COLUMNS)
    facts = {**facts, "household_no": household.household_no, "village_code": household.village_id}
    for name, value in facts.items():
        if name in _COLUMN_INDEX:
            values[_COLUMN_INDEX[name]] = str(value or "").strip()
    result = RowValidator(_COLUMN_INDEX, timezone.localdate()).validate(1, values)
    if isinstance(result, CleanRow):
        return result
    _fail([e.message for e in result] or [_("信息不完整")])
    raise AssertionError  # unreachable


def _id_free(row: CleanRow, own: int) -> None:
    """The import's rule: an ID number is registered in one household only."""
    taken = Person.objects.filter(id_hash=row.id_hash).exclude(pk=own).first()
    if taken is not None:
        raise BadRequest(_("证件号码已登记在其他户"), code="duplicate_id")


def _member(household: Household, person_id: Any, *, present: bool = True) -> Person:
    person = Person.objects.filter(pk=_int(person_id), household=household).first()
    if person is None:
        raise BadRequest(_("该户没有此成员"), code="no_such_member")
    if present and person.status != MemberStatus.PRESENT:
        raise BadRequest(_("此成员已不在册"), code="member_not_present")
    return person


def _int(value: Any) -> int:
    try:
        return int(value)
    except (TypeError, ValueError):
        return -1


def _facts_of(person: Person) -> dict[str, str]:
    return {f: getattr(person, f) for f in PERSON_FACTS}


def _head_of(household: Household) -> Person | None:
    return Person.objects.filter(household=household, relation=Relation.HEAD).first()


def check(kind: str, household: Household, payload: dict[str, Any]) -> dict[str, Any]:
    """The cleaned payload of a request of ``kind`` for ``household``, or ``BadRequest``."""
    checker = CHECKS.get(kind)  # type: ignore[call-overload]
    if checker is None:
        raise BadRequest(_("未知的变更类别：%(k)s") % {"k": str(kind)[:40]}, code="bad_kind")
    if household.closed_on is not None and not (
        kind == Kind.ADD_MEMBER
        and payload.get("cause") == "return"
        and household.closed_reason == ClosedReason.NO_MEMBERS
    ):  # only a returning member reopens a household closed for having none
        raise BadRequest(_("此户已销户，不能再变更"), code="household_closed")
    return checker(household, payload)


def _add_member(household: Household, p: dict[str, Any]) -> dict[str, Any]:
    if p.get("cause") not in ADD_CAUSES:
        raise BadRequest(_("请选择增员原因（出生、婚入、回流）"), code="bad_cause")
    row = validate_person(household, {f: p.get(f, "") for f in PERSON_FACTS})
    head = _head_of(household)
    if row.relation == Relation.HEAD and head is not None and head.id_hash != row.id_hash:
        raise BadRequest(_("该户已有户主"), code="many_heads")  # (a returning head is theirs)
    former = Person.objects.filter(id_hash=row.id_hash).first()
    if former is not None and not (
        p["cause"] == "return"
        and former.household_id == household.pk
        and former.status != MemberStatus.PRESENT
    ):
        raise BadRequest(_("证件号码已登记在其他户"), code="duplicate_id")
    out = {
        f: row.get(f) if f in ("education", "health", "student_status", "phone") else ""
        for f in PERSON_FACTS
    }
    out.update(name=row.name, id_number=row.id_number, relation=row.relation, cause=p["cause"])
    return out


def _remove_member(household: Household, p: dict[str, Any]) -> dict[str, Any]:
    person = _member(household, p.get("person_id"))
    if p.get("cause") not in REMOVE_CAUSES:
        raise BadRequest(_("请选择减员原因（死亡、婚出、迁出）"), code="bad_cause")
    try:
        on = dt.date.fromisoformat(str(p.get("on", "")))
    except ValueError:
        raise BadRequest(_("请填写减员日期"), code="bad_date") from None
    if on > timezone.localdate():
        raise BadRequest(_("减员日期不能晚于今天"), code="date_in_future")
    status = MemberStatus.DIED if p["cause"] == "death" else MemberStatus.MOVED_OUT
    out: dict[str, Any] = {"person_id": person.pk, "cause": p["cause"], "on": on.isoformat()}
    out["status"] = status
    others = Person.objects.filter(household=household, status=MemberStatus.PRESENT).exclude(
        pk=person.pk
    )
    if person.relation == Relation.HEAD and others.exists():
        new_head = _member(household, p.get("new_head_id"))
        if new_head.pk == person.pk:
            raise BadRequest(_("请另选新户主"), code="no_head")
        out["new_head_id"] = new_head.pk
    return out


def _correct_person(household: Household, p: dict[str, Any]) -> dict[str, Any]:
    person = _member(household, p.get("person_id"), present=False)
    given = {**p, **(p.get("fields") or {})}  # a cleaned payload checks again unchanged
    wanted = {f: str(given[f]).strip() for f in PERSON_FACTS if given.get(f) is not None}
    facts = _facts_of(person) | wanted
    row = validate_person(household, facts)
    changed = {
        f: (
            row.get(f)
            if f in ("education", "health", "student_status", "phone")
            else getattr(row, f)
        )
        for f in wanted
    }
    changed = {f: v for f, v in changed.items() if v != getattr(person, f)}
    if "relation" in changed and row.relation == Relation.HEAD:
        head = _head_of(household)
        if head is not None and head.pk != person.pk:
            raise BadRequest(_("该户已有户主"), code="many_heads")
    if "id_number" in changed:
        _id_free(row, person.pk)
        if hasattr(person, "id_verification"):
            raise BadRequest(_("此人的证件号码已核验，不能更改"), code="id_verified")
    if not changed and not p.get("verify"):
        raise BadRequest(_("没有要更正的内容"), code="nothing_to_change")
    out: dict[str, Any] = {"person_id": person.pk, "fields": changed}
    if p.get("verify"):
        out["verify"] = True
    return out


def _move_household(household: Household, p: dict[str, Any]) -> dict[str, Any]:
    to = str(p.get("to_village", "")).strip()
    if not to or to not in area_selectors.existing_village_codes({to}):
        raise BadRequest(_("村代码不存在：%(v)s") % {"v": to[:20]}, code="unknown_village")
    if to == household.village_id:
        raise BadRequest(_("该户已在此村"), code="same_village")
    return {"to_village": to}


def _split_household(household: Household, p: dict[str, Any]) -> dict[str, Any]:
    number = str(p.get("new_household_no", "")).strip()
    if not number or len(number) > 32:
        raise BadRequest(_("请填写新户的户编号"), code="missing_field")
    if Household.objects.filter(household_no=number).exists():
        raise BadRequest(_("户编号已存在：%(no)s") % {"no": number}, code="household_conflict")
    ids = sorted({_member(household, i).pk for i in p.get("person_ids") or []})
    if not ids:
        raise BadRequest(_("请选择分出的成员"), code="no_members")
    new_head = _member(household, p.get("new_head_id"))
    if new_head.pk not in ids:
        raise BadRequest(_("新户主须是分出的成员"), code="no_head")
    staying = Person.objects.filter(household=household, status=MemberStatus.PRESENT).exclude(
        pk__in=ids
    )
    if not staying.exists():
        raise BadRequest(_("原户不能没有成员"), code="no_members")
    out: dict[str, Any] = {
        "new_household_no": number,
        "person_ids": ids,
        "new_head_id": new_head.pk,
    }
    head = _head_of(household)
    if head is not None and head.pk in ids:
        stay_head = _member(household, p.get("remaining_head_id"))
        if stay_head.pk in ids:
            raise BadRequest(_("请为原户另选户主"), code="no_head")
        out["remaining_head_id"] = stay_head.pk
    return out


def _merge_households(household: Household, p: dict[str, Any]) -> dict[str, Any]:
    number = str(p.get("other_household_no", "")).strip()
    other = Household.objects.filter(household_no=number).first()
    if other is None or other.pk == household.pk:
        raise BadRequest(
            _("贫困户不存在：%(no)s") % {"no": number[:32]}, code="household_not_found"
        )
    if other.closed_on is not None:
        raise BadRequest(
            _("户 %(no)s 已销户") % {"no": other.household_no}, code="household_closed"
        )
    if other.village_id != household.village_id:
        raise BadRequest(_("只能合并同村的户，请先迁户"), code="village_mismatch")
    return {"other_household_no": other.household_no}


def _change_household(household: Household, p: dict[str, Any]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for field, choices in (("household_type", HouseholdType), ("poverty_cause", PovertyCause)):
        value = str(p.get(field) or "").strip()
        if not value:
            continue
        code = choice(field, value)
        if code is None or code not in choices.values:
            raise BadRequest(_("取值无效：%(v)s") % {"v": value[:40]}, code="bad_choice")
        if code != getattr(household, field):
            out[field] = code
    if not out:
        raise BadRequest(_("没有要变更的内容"), code="nothing_to_change")
    return out


def _merge_people(household: Household, p: dict[str, Any]) -> dict[str, Any]:
    drop = _member(household, p.get("drop_id"), present=False)
    keep = Person.objects.filter(pk=_int(p.get("keep_id"))).first()
    if keep is None or keep.pk == drop.pk:
        raise BadRequest(_("此人不存在"), code="person_not_found")
    if MemberStatus.MERGED in (drop.status, keep.status):
        raise BadRequest(_("此人已合并"), code="already_merged")
    if keep.household.closed_on is not None:
        raise BadRequest(
            _("户 %(no)s 已销户") % {"no": keep.household.household_no}, code="household_closed"
        )
    verified = IdVerification.objects.filter(person_id__in=[keep.pk, drop.pk]).count()
    if verified == 2 and keep.id_number != drop.id_number:
        raise BadRequest(_("两人的证件号码都已核验且不同，不能合并"), code="different_verified_ids")
    return {"keep_id": keep.pk, "drop_id": drop.pk}


CHECKS: dict[str, Any] = {
    Kind.ADD_MEMBER: _add_member,
    Kind.REMOVE_MEMBER: _remove_member,
    Kind.CORRECT_PERSON: _correct_person,
    Kind.MOVE_HOUSEHOLD: _move_household,
    Kind.SPLIT_HOUSEHOLD: _split_household,
    Kind.MERGE_HOUSEHOLDS: _merge_households,
    Kind.CHANGE_HOUSEHOLD: _change_household,
    Kind.MERGE_PEOPLE: _merge_people,
}
