"""API of the insurance app: the village's cover for the cadre's phone app, a villager's
cover, programme progress (aggregates), enrollment runs."""

from __future__ import annotations

import datetime as dt
from urllib.parse import urlencode

from django.http import HttpRequest
from ninja import Field, Query, Router, Schema, Status
from pydantic import BaseModel, ConfigDict

from tuopin.accounts.selectors import acting_user

from . import progress, runs, selectors, services
from .claims import api as claims_api

router = Router(tags=["insurance"])
router.add_router("/claims", claims_api.router)


class Out(BaseModel):
    """Output models for big answers (a village): plain pydantic reading attributes, without
    ninja's per-object Django getter, which took most of a 2,000-person answer's time."""

    model_config = ConfigDict(from_attributes=True)


class BenefitOut(Out):
    benefit: str
    used_fen: int
    remaining_fen: int


class PolicyOut(Out):
    policy_no: str
    programme: str
    period_start: dt.date
    status: str
    exit_reason: str
    benefits: list[BenefitOut]


class LimitOut(Out):
    benefit: str
    label: str
    per_claim_limit_fen: int
    yearly_limit_fen: int
    deductible_fen: int
    reimbursement_bp: int
    waiting_days: int


class ProgrammeOut(Out):
    slug: str
    name: str
    insurer: str
    coverage: list[LimitOut]


class GapOut(Out):
    programme: str  # slug
    reason: str  # left, age, sex, household_status, county, or eligible (the next run enrols)
    label: str


class VillagerOut(Out):
    id: int
    name: str
    sex: str
    age: int
    relation: str
    status: str
    household_no: str
    id_number: str  # always masked here
    policies: list[PolicyOut]
    # Programmes without a policy this period and why (the village view only).
    uninsured: list[GapOut] = []


class VillageCoverOut(Out):
    village: str
    name: str
    on: dt.date
    programmes: list[ProgrammeOut]  # limits and labels once, not once per person
    count: int = Field(description="People matching q and uncovered, on every page")
    limit: int
    offset: int
    next: str | None = Field(
        description="The URL of the next page (same search), null on the last page"
    )
    people: list[VillagerOut] = Field(
        description="A page of the village in household order (household number, then person)"
    )


# The village's people a page at a time: a 2,000-person village was one 1.4 MB answer.
VILLAGE_PAGE = 100
VILLAGE_PAGE_MAX = 500


class VillageCoverQuery(Schema):
    q: str = Field("", description="Name contains")
    uncovered: bool = Field(False, description="Only the people without an active policy")
    limit: int = Field(VILLAGE_PAGE, ge=1, le=VILLAGE_PAGE_MAX, description="People per page")
    offset: int = Field(0, ge=0, description="People before the page, in household order")


def _programmes(programmes) -> list[dict[str, object]]:  # type: ignore[no-untyped-def]
    return [
        {
            "slug": p.slug,
            "name": p.name,
            "insurer": p.insurer,
            "coverage": [
                {
                    "benefit": c.benefit,
                    "label": c.get_benefit_display(),
                    "per_claim_limit_fen": c.per_claim_limit_fen,
                    "yearly_limit_fen": c.yearly_limit_fen,
                    "deductible_fen": c.deductible_fen,
                    "reimbursement_bp": c.reimbursement_bp,
                    "waiting_days": c.waiting_days,
                }
                for c in p.coverage.all()
            ],
        }
        for p in programmes
    ]


def _villager(person, age: int, policies, gaps=()) -> dict[str, object]:  # type: ignore[no-untyped-def]
    return {
        "id": person.pk,
        "name": person.name,
        "sex": person.sex,
        "age": age,
        "relation": person.relation,
        "status": person.status,
        "household_no": person.household.household_no,
        "id_number": person.masked_id,
        "policies": policies,
        "uninsured": [
            {"programme": g.programme, "reason": g.reason, "label": g.label} for g in gaps
        ],
    }


@router.get(
    "/villages/{code}/cover",
    response=VillageCoverOut,
    summary="The villagers' cover and what remains of each benefit, a page at a time",
)
def village_cover(
    request: HttpRequest, code: str, filters: Query[VillageCoverQuery]
) -> dict[str, object]:
    q = filters.q.strip()
    cover = selectors.village_cover(
        request.user,
        code,
        q=q,
        uncovered=filters.uncovered,
        offset=filters.offset,
        limit=filters.limit,
    )
    after = filters.offset + filters.limit
    next_url = None
    if after < cover.total:
        query: dict[str, object] = {"q": q} if q else {}
        if filters.uncovered:
            query["uncovered"] = "true"
        query |= {"limit": filters.limit, "offset": after}
        next_url = request.build_absolute_uri(f"{request.path}?{urlencode(query)}")
    return {
        "village": cover.village.code,
        "name": cover.village.name,
        "on": cover.on,
        "programmes": _programmes(cover.programmes),
        "count": cover.total,
        "limit": filters.limit,
        "offset": filters.offset,
        "next": next_url,
        "people": [_villager(v.person, v.age, v.policies, v.gaps) for v in cover.villagers],
    }


class PayoutOut(Out):
    programme: str
    benefit: str
    loss_fen: int
    amount_fen: int
    paid_at: dt.datetime
    ledger_index: int


class PersonCoverOut(VillagerOut):
    programmes: list[ProgrammeOut]
    payouts: list[PayoutOut]


@router.get("/people/{person_id}/cover", response=PersonCoverOut, summary="A villager's cover")
def person_cover(request: HttpRequest, person_id: int) -> dict[str, object]:
    c = selectors.person_cover(request.user, person_id)
    programmes = {x.programme for x in c.policy_objects}
    return _villager(c.person, c.age, c.policies) | {
        "programmes": _programmes(sorted(programmes, key=lambda p: p.name)),
        "payouts": [
            {
                "programme": x.policy.programme.slug,
                "benefit": x.benefit,
                "loss_fen": x.loss_fen,
                "amount_fen": x.amount_fen,
                "paid_at": x.paid_at,
                "ledger_index": x.ledger_index,
            }
            for x in c.payouts
        ],
    }


class CountyOut(Schema):
    code: str
    name: str
    insured: int
    exited: int


class ProgressOut(Schema):
    programme: str
    name: str
    period_start: dt.date | None
    insured: int
    exited: int
    premiums_fen: int
    payouts_fen: int
    payouts: int
    by_county: list[CountyOut]
    by_age: list[tuple[str, int]]


@router.get(
    "/programmes/{slug}/progress",
    response=ProgressOut,
    summary="A programme's progress: aggregates only (observers)",
)
def programme_progress(
    request: HttpRequest, slug: str, period: dt.date | None = None
) -> dict[str, object]:
    progress.require_progress(request.user)  # before the look-up: no existence oracle
    g = progress.programme_progress(request.user, services.get_programme(slug), period)
    return {
        "programme": g.programme.slug,
        "name": g.programme.name,
        "period_start": g.period_start,
        "insured": g.insured,
        "exited": g.exited,
        "premiums_fen": g.premiums_fen,
        "payouts_fen": g.payouts_fen,
        "payouts": g.payouts,
        "by_county": [c.__dict__ for c in g.by_county],
        "by_age": g.by_age,
    }


class EnrollIn(Schema):
    period_start: dt.date
    override_reason: str = ""


class RunOut(Schema):
    id: int
    programme: str
    period_start: dt.date
    status: str
    percent: int
    counties_done: int
    counties_total: int
    eligible: int
    enrolled: int
    exited: int
    premium_fen: int
    error: str


@router.post(
    "/programmes/{slug}/runs",
    response={201: RunOut},
    summary="Start an enrollment run (county by county, in the background)",
    description=(
        "Refused before any run is created: 409 `insufficient_funds` when the premiums exceed"
        " the campaign's available funds and no `override_reason` is given (`detail`: people,"
        " need_fen, available_fen); 400 `period_closed` outside the programme's dates."
    ),
)
def start_run(request: HttpRequest, slug: str, body: EnrollIn) -> Status:  # type: ignore[type-arg]
    run = services.start_run(  # checks the permission itself
        user=acting_user(request),
        programme_slug=slug,
        period_start=body.period_start,
        override_reason=body.override_reason,
    )
    run.refresh_from_db()
    return Status(201, runs.summary(run))


@router.post(
    "/runs/{run_id}/resume",
    response=RunOut,
    summary="Resume an interrupted or failed enrollment run (idempotent: done counties are skipped)",
)
def resume_run(request: HttpRequest, run_id: int) -> dict[str, object]:
    run = runs.resume_run(by=acting_user(request), run_id=run_id)
    run.refresh_from_db()
    return runs.summary(run)


@router.get("/runs/{run_id}", response=RunOut, summary="An enrollment run's progress")
def get_run(request: HttpRequest, run_id: int) -> dict[str, object]:
    return runs.summary(progress.get_run_for(request.user, run_id))
