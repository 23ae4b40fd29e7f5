"""Near-duplicates of an area's people (``registry.neardup``): blocked in SQL over the access
layer's query set (``candidates``), the few candidates scored in Python; an officer compares
two side by side, marks them as different, or files a merge as a change request."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from tuopin.accounts import permissions
from tuopin.areas import codes

from .. import neardup, selectors
from ..errors import BadRequest, PersonNotFound
from ..models import Household, Person
from . import candidates
from .models import NotDuplicate

VIEW = "registry.view_duplicates"
REASONS = {
    "name": _("姓名相同"),
    "birth": _("出生日期相同"),
    "id_transposed": _("证件号码两位颠倒"),
    "id_typo": _("证件号码一两位不同"),
    "phone": _("电话相同"),
}


@dataclass
class Found:
    pairs: list[tuple[neardup.Pair, Person, Person]]
    contained: list[tuple[str, str]]
    compared: int


def find_for(user: Any, *, area: str | None = None, limit: int = 200) -> Found:
    """Candidate duplicates among the people the user may see (present or left, not merged):
    blocked and pre-filtered in one SQL statement over the access layer's query set."""
    permissions.require(user, VIEW, _("没有查找疑似重复人员的权限"))
    qs = selectors.people_for(user).select_related(None).exclude(status="merged")
    if area:
        qs = qs.filter(village_code__startswith=codes.prefix_of(codes.normalise(area)))
    found = candidates.candidate_pairs(qs)
    different = set(NotDuplicate.objects.values_list("low_id", "high_id"))
    pairs = neardup.score_candidates(found, different=different)
    household_of = {r.id: r.household for pair in found for r in pair}
    sizes = candidates.present_sizes(
        {household_of[p.a] for p in pairs} | {household_of[p.b] for p in pairs}
    )
    inner = neardup.contained(pairs, household_of, sizes)
    shown = pairs[:limit]
    people = Person.objects.in_bulk({p.a for p in shown} | {p.b for p in shown})
    numbers = dict(
        Household.objects.filter(pk__in={h for pair in inner for h in pair}).values_list(
            "pk", "household_no"
        )
    )
    return Found(
        [(p, people[p.a], people[p.b]) for p in shown],
        [(numbers[a], numbers[b]) for a, b in inner],
        qs.count(),
    )


def compare_for(user: Any, a: int, b: int) -> tuple[Person, Person, neardup.Pair | None]:
    """Two people side by side, both through the access function."""
    permissions.require(user, VIEW, _("没有查找疑似重复人员的权限"))
    x, y = selectors.get_person_for(user, a), selectors.get_person_for(user, b)
    if x.pk == y.pk:
        raise PersonNotFound(_("此人不存在"))
    return x, y, neardup.compare(_rec(x), _rec(y))


def _rec(p: Person) -> neardup.Rec:
    return neardup.Rec(p.pk, p.household_id, p.name, str(p.birth_date), p.id_number, p.phone)


def mark_different(*, a: int, b: int, by: Any) -> NotDuplicate:
    """An officer compared the two and they are different people: no longer proposed."""
    x, y, _pair = compare_for(by, a, b)
    low, high = sorted((x.pk, y.pk))
    try:
        with transaction.atomic():
            return NotDuplicate.objects.create(low_id=low, high_id=high, by=by)
    except IntegrityError:
        raise BadRequest(_("已标记为不同的人"), code="already_marked") from None


def reason_labels(pair: neardup.Pair | None) -> list[str]:
    return [str(REASONS.get(r, r)) for r in (pair.reasons if pair else ())]
