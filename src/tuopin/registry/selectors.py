"""Reads of the registry: the access layer for households and people.

Every function that returns people's data takes the user, checks the permission (403 without
it, before anything is looked up) and filters through :mod:`tuopin.accounts.scoping`
(out-of-scope objects look exactly like missing ones). Pages, API, admin, export and CLI all
read through here, so none of them can check the scope and forget the permission.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django.db.models import Case, Count, Q, QuerySet, Sum, Value, When
from django.utils.translation import gettext as _

from tuopin.accounts import permissions, scoping
from tuopin.areas import codes as area_codes
from tuopin.core import idcard

from .choices import MemberStatus
from .errors import HouseholdNotFound, PersonNotFound
from .idhash import id_hash
from .models import Household, Person, StatusChange

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

    from tuopin.accounts.models import User

    AnyUser = User | AnonymousUser

VIEW_HOUSEHOLD = "registry.view_household"
VIEW_PERSON = "registry.view_person"
VIEW_AGGREGATES = "registry.view_aggregates"


def _scoped_households(user: AnyUser) -> QuerySet[Household]:
    """Households in scope, without a permission check: only for the functions below, which
    check the permission themselves."""
    return scoping.scope(Household.objects.all(), user, "village__code")


def _in_area(qs: QuerySet[Household], area: str | None) -> QuerySet[Household]:
    """Keep the households of ``area`` and all below it (an unreadable code keeps none)."""
    if not area:
        return qs
    try:
        prefix = area_codes.prefix_of(area_codes.normalise(area))
    except area_codes.AreaCodeError:
        return qs.none()
    return qs.filter(village__code__startswith=prefix)


def households_for(
    user: AnyUser,
    *,
    area: str | None = None,
    status: str | None = None,
    cause: str | None = None,
    household_type: str | None = None,
    q: str | None = None,
    closed: bool | None = False,
) -> QuerySet[Household]:
    """Households the user may see, filtered; ``area`` matches the area and all below it.
    Closed households (销户) are left out unless ``closed`` is True (only them) or None (all).

    Needs ``registry.view_household``.
    """
    permissions.require(user, VIEW_HOUSEHOLD, _("没有查看贫困户的权限"))
    qs = _in_area(_scoped_households(user), area)
    if closed is not None:
        qs = qs.filter(closed_on__isnull=not closed)
    if status:
        qs = qs.filter(status=status)
    if cause:
        qs = qs.filter(poverty_cause=cause)
    if household_type:
        qs = qs.filter(household_type=household_type)
    if q:
        qs = qs.filter(Q(household_no__startswith=q) | Q(head_name__startswith=q))
    return qs.select_related("village")


AREA_CHOICES_LIMIT = 300


@dataclass(frozen=True)
class AreaChoice:
    code: str
    name: str
    depth: int  # levels below the shallowest area offered

    @property
    def indented(self) -> str:
        """The name indented by its depth (full-width spaces: a select shows no markup)."""
        return "\u3000" * self.depth + self.name


def area_choices_for(user: AnyUser) -> list[AreaChoice]:
    """The areas the household filter offers ``user``: those of their scope, from the scope's
    own areas down to the villages, in tree order. While that would be more than
    ``AREA_CHOICES_LIMIT`` choices the deepest level is left out (a county officer picks any
    village of the county; a nationwide user picks a province or a prefecture). Two queries.

    Needs ``registry.view_household``.
    """
    permissions.require(user, VIEW_HOUSEHOLD, _("没有查看贫困户的权限"))
    from tuopin.areas import selectors as areas

    prefixes = scoping.area_prefixes(user)
    by_level = areas.count_by_level(prefixes)
    if not by_level:
        return []
    levels = sorted(by_level)
    max_level, total = levels[0], 0
    for level in levels:
        total += by_level[level]
        if total > AREA_CHOICES_LIMIT and level > levels[0]:
            break
        max_level = level
    return [
        AreaChoice(a.code, a.name, a.level - levels[0])
        for a in areas.areas_under(prefixes, max_level=max_level)
    ]


def get_household_for(user: AnyUser, household_no: str) -> Household:
    """Fetch-and-authorize: the household if it exists and lies in scope, else not found."""
    household = households_for(user, closed=None).filter(household_no=household_no).first()
    if household is None:
        raise HouseholdNotFound(_("贫困户不存在：%(no)s") % {"no": household_no})
    return household


def members_of(user: AnyUser, household: Household) -> QuerySet[Person]:
    """The members of a household fetched with :func:`get_household_for`: the head first,
    then the others from oldest to youngest. Needs ``registry.view_person``."""
    permissions.require(user, VIEW_PERSON, _("没有查看家庭成员的权限"))
    head_first = Case(When(relation="head", then=Value(0)), default=Value(1))
    return scoping.scope(household.members.all(), user, "village_code").order_by(
        head_first, "birth_date", "id"
    )


def status_history(user: AnyUser, household: Household) -> QuerySet[StatusChange]:
    """The status changes of a household fetched with :func:`get_household_for`."""
    permissions.require(user, VIEW_HOUSEHOLD, _("没有查看贫困户的权限"))
    return household.status_changes.select_related("by").order_by("at", "id")


def people_for(
    user: AnyUser, *, name: str | None = None, id_number: str | None = None
) -> QuerySet[Person]:
    """People in scope, by name prefix or by exact ID number through its keyed hash.

    Needs ``registry.view_person``.
    """
    permissions.require(user, VIEW_PERSON, _("没有查看家庭成员的权限"))
    qs = scoping.scope(Person.objects.all(), user, "village_code")
    if id_number:
        qs = qs.filter(id_hash=id_hash(idcard.normalise(id_number)))
    if name:
        qs = qs.filter(name__startswith=name.strip())
    return qs.select_related("household")


def get_person_for(user: AnyUser, person_id: int) -> Person:
    """Fetch-and-authorize one person: missing and out of scope are the same not-found."""
    person = people_for(user).filter(pk=person_id).first()
    if person is None:
        raise PersonNotFound(_("此人不存在"))
    return person


def may_see_aggregates(user: AnyUser) -> bool:
    """Counts (no person) are for whoever may see households, or aggregates only (observers)."""
    return permissions.has(user, VIEW_HOUSEHOLD) or permissions.has(user, VIEW_AGGREGATES)


@dataclass
class RegistryCounts:
    households: int
    people: int
    by_status: list[Any]
    by_cause: list[Any]


def counts_for(user: AnyUser, *, area: str | None = None) -> RegistryCounts:
    """Key figures for the user's scope: households, people, by status and by cause.

    Aggregates: needs ``registry.view_household`` or ``registry.view_aggregates``.
    """
    if not may_see_aggregates(user):
        permissions.require(user, VIEW_AGGREGATES, _("没有查看汇总数据的权限"))
    qs = _in_area(_scoped_households(user), area).order_by()
    by_status = list(qs.values("status").annotate(n=Count("id"), people=Sum("member_count")))
    by_cause = list(qs.values("poverty_cause").annotate(n=Count("id")).order_by("-n"))
    return RegistryCounts(
        households=sum(r["n"] for r in by_status),
        people=sum(r["people"] or 0 for r in by_status),
        by_status=by_status,
        by_cause=by_cause,
    )


@dataclass
class AreaRow:
    area: Any
    households: int
    people: int


def area_breakdown(user: AnyUser, code: str | None) -> tuple[Any, list[Any], list[AreaRow]]:
    """An area in scope, its ancestors and its children with household and people counts.

    With no ``code``: the user's own scope areas (provinces for nationwide users). An area
    outside the user's scope is not found, exactly like a missing one. Needs
    ``registry.view_household`` (the area browser leads to the households).
    """
    permissions.require(user, VIEW_HOUSEHOLD, _("没有查看贫困户的权限"))
    from django.db.models.functions import Substr

    from tuopin.areas import selectors as areas
    from tuopin.areas.errors import AreaNotFound

    crumbs: list[Any] = []
    if code is None:
        prefixes = scoping.area_prefixes(user)
        if prefixes is None:
            area, children = None, list(areas.children_of(None))
        else:
            area = None
            found = areas.areas_by_codes([p.ljust(12, "0") for p in prefixes])
            children = [found[c] for c in sorted(found)]
    else:
        area = areas.get_area(code)
        if not scoping.covers(user, area.code):
            raise AreaNotFound(_("区划不存在：%(code)s") % {"code": code})
        crumbs = [a for a in areas.ancestors_of(area) if scoping.covers(user, a.code)]
        children = list(areas.children_of(area))
    base = households_for(user, area=area.code if area else None).select_related(None).order_by()
    counts: dict[str, tuple[int, int]] = {}
    for length in {len(c.prefix) for c in children}:
        for row in (
            base.annotate(p=Substr("village_id", 1, length))
            .values("p")
            .annotate(n=Count("id"), people=Sum("member_count"))
        ):
            counts[row["p"]] = (row["n"], row["people"] or 0)
    rows = [AreaRow(c, *counts.get(c.prefix, (0, 0))) for c in children]
    return area, crumbs, rows


@dataclass
class YoungChildren:
    """Present children under ``max_age`` and their carers (present women of working age in
    the same households) in one village."""

    children: int
    carers: int


def young_children_by_village(
    user: AnyUser,
    *,
    area: str,
    children_born: tuple[Any, Any],
    carers_born: tuple[Any, Any],
) -> dict[str, YoungChildren]:
    """Aggregates for siting: per village under ``area`` (a code prefix), present people born
    in ``children_born`` and the carers born in ``carers_born`` (each ``(after, on or
    before)``) in households that have such a child. Two grouped queries; needs the aggregates permission
    and reads only the user's scope."""
    if not may_see_aggregates(user):
        permissions.require(user, VIEW_AGGREGATES, _("没有查看汇总数据的权限"))
    present = scoping.scope(
        Person.objects.filter(status=MemberStatus.PRESENT, village_code__startswith=area),
        user,
        "village_code",
    )
    kids = present.filter(birth_date__gt=children_born[0], birth_date__lte=children_born[1])
    out = {
        r["village_code"]: YoungChildren(r["n"], 0)
        for r in kids.values("village_code").annotate(n=Count("id")).order_by()
    }
    carers = present.filter(
        sex="F",
        birth_date__gt=carers_born[0],
        birth_date__lte=carers_born[1],
        household_id__in=kids.values("household_id"),
    )
    for r in carers.values("village_code").annotate(n=Count("id")).order_by():
        if r["village_code"] in out:
            out[r["village_code"]].carers = r["n"]
    return out
