"""API of the childcare app: siting plans (ask for one, read it)."""

from __future__ import annotations

import datetime as dt

from django.http import HttpRequest
from django.utils import timezone
from ninja import Field, Router, Schema, Status

from tuopin.accounts.selectors import acting_user

from . import planning, selectors

router = Router(tags=["childcare"])


class PlanIn(Schema):
    county: str = Field(max_length=12, description="county code, 6 or 12 digits")
    centres: int = Field(ge=1, le=planning.MAX_CENTRES)
    radius_m: int = Field(1000, ge=planning.MIN_RADIUS_M, le=planning.MAX_RADIUS_M)
    min_children: int = Field(10, ge=0, le=1000)
    on: dt.date | None = None


class PlanSiteOut(Schema):
    rank: int
    code: str
    name: str
    longitude: float
    latitude: float
    children_covered: int
    floor_area_m2: int
    villages: list[str]


class PlanOut(Schema):
    id: int
    county: str
    on: dt.date
    centres: int
    radius_m: int
    min_children: int
    status: str
    error: str
    eligible_children: int
    children_covered: int
    optimal: bool
    gap: float
    marginal_children: int | None
    cover_all_centres: int | None
    worst_distance_m: float | None
    sites: list[PlanSiteOut]


def _out(p: object) -> dict[str, object]:
    from .models import SitingPlan

    assert isinstance(p, SitingPlan)
    return {
        "id": p.pk,
        "county": p.county_code,
        "on": p.on,
        "centres": p.centres,
        "radius_m": p.radius_m,
        "min_children": p.min_children,
        "status": p.status,
        "error": p.error,
        "eligible_children": p.eligible_children,
        "children_covered": p.children_covered,
        "optimal": p.optimal,
        "gap": p.gap,
        "marginal_children": p.marginal_children,
        "cover_all_centres": p.cover_all_centres,
        "worst_distance_m": p.worst_distance_m,
        "sites": [
            {
                "rank": s.rank,
                "code": s.code,
                "name": s.name,
                "longitude": float(s.longitude),
                "latitude": float(s.latitude),
                "children_covered": s.children_covered,
                "floor_area_m2": s.floor_area_m2,
                "villages": s.villages,
            }
            for s in p.sites.all()
        ],
    }


@router.post(
    "/plans",
    response={202: PlanOut},
    summary="Ask for a siting plan for a county (solved in the background; poll its URL)",
)
def start_plan(request: HttpRequest, body: PlanIn) -> Status:  # type: ignore[type-arg]
    plan = planning.start_plan(
        by=acting_user(request),
        county_code=body.county,
        centres=body.centres,
        radius_m=body.radius_m,
        min_children=body.min_children,
        on=body.on,
    )
    plan.refresh_from_db()  # solved already when tasks run immediately
    return Status(202, _out(plan))


@router.get("/plans/{plan_id}", response=PlanOut, summary="A siting plan and its chosen sites")
def get_plan(request: HttpRequest, plan_id: int) -> dict[str, object]:
    return _out(selectors.get_plan_for(request.user, plan_id))


class CentreMonthOut(Schema):
    id: int
    name: str
    county: str
    village: str
    opened_on: dt.date
    closed_on: dt.date | None
    children: int
    sessions: int
    attendances: int
    attendance_rate: float | None
    visits: int
    screenings: int
    referrals: int


@router.get(
    "/centres",
    response=list[CentreMonthOut],
    summary="The centres the caller may see, with a month's figures (month=YYYY-MM)",
)
def centre_months(request: HttpRequest, month: str | None = None) -> list[dict[str, object]]:
    from tuopin.core.errors import ValidationFailed

    from . import centres, reporting

    try:
        first = (
            dt.date.fromisoformat(f"{month}-01") if month else timezone.localdate().replace(day=1)
        )
    except ValueError:
        raise ValidationFailed("month: YYYY-MM", code="bad_month") from None
    found = centres.centres_for(request.user).order_by("county_code", "name")
    figures = reporting.monthly(found, first.year, first.month)
    return [
        {
            "id": c.pk,
            "name": c.name,
            "county": c.county_code,
            "village": c.village_code,
            "opened_on": c.opened_on,
            "closed_on": c.closed_on,
            "attendance_rate": figures[c.pk].attendance_rate,
            **{
                k: getattr(figures[c.pk], k)
                for k in (
                    "children",
                    "sessions",
                    "attendances",
                    "visits",
                    "screenings",
                    "referrals",
                )
            },
        }
        for c in found
    ]
