"""API of the registry: households and people, through the same access functions as the pages
(permission and scope), masked the same way."""

from __future__ import annotations

import datetime as dt

from django.core.paginator import Paginator
from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema

from tuopin.accounts import scoping
from tuopin.accounts import services as account_services
from tuopin.accounts.selectors import acting_user
from tuopin.core.errors import ValidationFailed

from . import selectors, services
from .choices import PovertyStatus
from .models import Household, Person

router = Router(tags=["registry"])
PAGE_SIZE = 50


class PersonOut(Schema):
    name: str
    id_number: str = Field(
        description="Masked (region and check character) unless the caller may unmask"
    )
    sex: str
    age: int
    birth_date: dt.date | None = Field(
        description="Only with the whole ID number (unmask permission); null beside a masked one"
    )
    relation: str
    education: str
    health: str
    student_status: str
    household_no: str


class HouseholdOut(Schema):
    household_no: str
    village_code: str
    village_name: str
    household_type: str
    poverty_cause: str
    status: str
    status_year: int | None
    head_name: str
    member_count: int
    closed_on: dt.date | None = Field(description="销户: the date the household was closed")
    closed_reason: str = Field(description="merged (into closed_into) or no_members; else empty")
    closed_into: str = Field(description="The household number it was merged into, if merged")


class StatusChangeOut(Schema):
    from_status: str
    to_status: str
    year: int | None
    reason: str
    at: dt.datetime


class HouseholdDetail(HouseholdOut):
    address: str
    members: list[PersonOut]
    status_history: list[StatusChangeOut]


class HouseholdPage(Schema):
    count: int
    page: int
    pages: int
    results: list[HouseholdOut]


class HouseholdFilters(Schema):
    area: str | None = None
    status: str | None = None
    cause: str | None = None
    household_type: str | None = None
    closed: bool | None = Field(
        False, description="false: households in the register (default); true: closed only"
    )
    page: int = 1


def _household(h: Household) -> dict[str, object]:
    return {
        "household_no": h.household_no,
        "village_code": h.village_id,
        "village_name": h.village.name,
        "household_type": h.household_type,
        "poverty_cause": h.poverty_cause,
        "status": h.status,
        "status_year": h.status_year,
        "head_name": h.head_name,
        "member_count": h.member_count,
        "closed_on": h.closed_on,
        "closed_reason": h.closed_reason,
        "closed_into": h.closed_into,
        "address": h.address,
    }


def _person(request: HttpRequest, p: Person, household_no: str, unmask: bool) -> dict[str, object]:
    return {
        "name": p.name,
        "id_number": p.id_number if unmask else p.masked_id,
        "sex": p.sex,
        "age": p.age,
        # Never the birth date beside a masked number: with it the number can be rebuilt.
        "birth_date": p.birth_date if unmask else None,
        "relation": p.relation,
        "education": p.education,
        "health": p.health,
        "student_status": p.student_status,
        "household_no": household_no,
    }


@router.get("/households", response=HouseholdPage, summary="Households in scope (paged)")
def list_households(request: HttpRequest, filters: Query[HouseholdFilters]) -> dict[str, object]:
    qs = selectors.households_for(
        request.user,
        area=filters.area,
        status=filters.status,
        cause=filters.cause,
        household_type=filters.household_type,
        closed=filters.closed,
    )
    paginator = Paginator(qs.order_by("household_no"), PAGE_SIZE)
    page = paginator.get_page(filters.page)
    return {
        "count": paginator.count,
        "page": page.number,
        "pages": paginator.num_pages,
        "results": [_household(h) for h in page.object_list],
    }


@router.get("/households/{household_no}", response=HouseholdDetail, summary="A household")
def get_household(request: HttpRequest, household_no: str) -> dict[str, object]:
    h = selectors.get_household_for(request.user, household_no)
    unmask = scoping.may_unmask(request.user)
    members = list(selectors.members_of(request.user, h))
    if unmask:
        account_services.log_unmask(
            user=acting_user(request), subject=h.household_no, context="api"
        )
    return _household(h) | {
        "members": [_person(request, p, h.household_no, unmask) for p in members],
        "status_history": list(selectors.status_history(request.user, h)),
    }


def _found(request: HttpRequest, people: list[Person]) -> list[dict[str, object]]:
    unmask = scoping.may_unmask(request.user)
    if unmask and people:
        account_services.log_unmask(user=acting_user(request), subject="search", context="api")
    return [_person(request, p, p.household.household_no, unmask) for p in people]


@router.get("/people", response=list[PersonOut], summary="Find people by name (prefix)")
def find_people(request: HttpRequest, name: str = "") -> list[dict[str, object]]:
    if "id_number" in request.GET:  # refused loudly: a client must stop putting it in URLs
        raise ValidationFailed(
            _("按证件号码查找请用 POST /api/v1/people/search（号码放在请求体中）"),
            code="id_number_in_url",
        )
    qs = selectors.people_for(request.user, name=name)  # 403 before anything else
    if not name.strip():
        return []
    return _found(request, list(qs[:PAGE_SIZE]))


class PeopleSearchIn(Schema):
    id_number: str = Field("", max_length=32, description="A whole ID number (exact match)")
    name: str = Field("", max_length=50, description="A name prefix")


@router.post(
    "/people/search",
    response=list[PersonOut],
    summary="Find people by whole ID number or name, in the body (never in the URL)",
)
def search_people(request: HttpRequest, body: PeopleSearchIn) -> list[dict[str, object]]:
    qs = selectors.people_for(
        request.user, name=body.name or None, id_number=body.id_number or None
    )
    if not body.id_number.strip() and not body.name.strip():
        return []
    return _found(request, list(qs[:PAGE_SIZE]))


class StatusChangeIn(Schema):
    to_status: PovertyStatus
    year: int | None = Field(None, ge=services.FIRST_STATUS_YEAR, le=2100)
    reason: str = Field(max_length=200)


@router.post(
    "/households/{household_no}/status",
    response=StatusChangeOut,
    summary="Change a household's poverty status (needs registry.change_household)",
)
def change_household_status(
    request: HttpRequest, household_no: str, body: StatusChangeIn
) -> object:
    household = selectors.get_household_for(request.user, household_no)
    return services.change_status(  # checks the permission and the scope itself
        household=household,
        to_status=body.to_status.value,
        year=body.year,
        reason=body.reason,
        by=acting_user(request),
    )
