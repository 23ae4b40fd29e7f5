"""API of the forest app: partners report actions; a user's forest, collecting and adopting;
the public progress of a project and a certificate; county figures; approving work."""

from __future__ import annotations

import datetime as dt
import uuid

from django.conf import settings
from django.http import HttpRequest
from django.urls import get_script_prefix, get_urlconf, reverse
from django.utils.translation import get_language
from ninja import Field, Router, Schema, Status
from pydantic import AwareDatetime

from tuopin.accounts.selectors import acting_user

from . import selectors, services
from .models import MAX_UNITS

router = Router(tags=["forest"])


class ActionIn(Schema):
    key: str = Field(min_length=1, max_length=64, description="idempotency key of the partner")
    user: str = Field(min_length=1, max_length=150, description="username of the actor")
    type: str = Field(min_length=1, max_length=32, description="action type code, e.g. bus")
    units: int = Field(description="rides, bills, steps…")
    at: AwareDatetime | None = None


class ActionOut(Schema):
    key: str
    user: str
    type: str
    units: int
    grams: int
    occurred_at: dt.datetime


@router.post(
    "/actions",
    response={200: ActionOut, 201: ActionOut},
    summary="Report a user's low-carbon action (partners; idempotent on key, 409 on a "
    "replayed key with another body)",
)
def report_action(request: HttpRequest, body: ActionIn) -> Status:  # type: ignore[type-arg]
    done = services.report_action(
        by=acting_user(request),
        key=body.key,
        username=body.user,
        action_type=body.type,
        units=body.units,
        at=body.at,
    )
    a = done.action
    return Status(
        201 if done.created else 200,
        {
            "key": a.key,
            "user": body.user,
            "type": body.type,
            "units": a.units,
            "grams": a.grams,
            "occurred_at": a.occurred_at,
        },
    )


class BallOut(Schema):
    id: int
    grams: int
    ripe_at: dt.datetime
    expires_at: dt.datetime


class ForestCertificateOut(Schema):
    number: str
    project: str
    project_name: str
    kind: str
    species: str
    county: str
    units: int
    energy_g: int
    adopted_at: dt.datetime
    pending: bool = Field(description="true until the certificate's ledger entry is appended")
    ledger_index: int | None
    url: str
    matches_ledger: bool | None = None


class ForestOut(Schema):
    balance_g: int
    pending_g: int
    ripe: list[BallOut]
    growing: list[BallOut]
    trees: int
    square_metres: int
    certificates: list[ForestCertificateOut]


def _ball(b: object) -> dict[str, object]:
    return {
        "id": b.pk,  # type: ignore[attr-defined]
        "grams": b.remaining_g,  # type: ignore[attr-defined]
        "ripe_at": b.ripe_at,  # type: ignore[attr-defined]
        "expires_at": b.expires_at,  # type: ignore[attr-defined]
    }


def _certificate(request: HttpRequest, a: object) -> dict[str, object]:
    from .models import Adoption

    assert isinstance(a, Adoption)
    return {
        "number": a.number,
        "project": a.project.slug,
        "project_name": a.project.name,
        "kind": a.project.kind,
        "species": a.project.species,
        "county": a.project.county.name,
        "units": a.units,
        "energy_g": a.energy_g,
        "adopted_at": a.created_at,
        "pending": a.pending,
        "ledger_index": a.ledger_index,
        "url": certificate_url(request, a.token),
    }


_PATHS: dict[tuple[object, ...], str] = {}
_SOME_TOKEN = uuid.UUID(int=0)


def certificate_url(request: HttpRequest, token: uuid.UUID) -> str:
    """The certificate page's absolute URL. Its path is reversed once per script prefix,
    URLconf and language, then the token put in: a flash answer is ~20 % cheaper."""
    key = (get_script_prefix(), get_urlconf(), get_language())
    path = _PATHS.get(key)
    if path is None:
        path = _PATHS[key] = reverse("forest:certificate", args=[_SOME_TOKEN])
    return request.build_absolute_uri(path.replace(str(_SOME_TOKEN), str(token)))


@router.get("/me", response=ForestOut, summary="The caller's forest: energy, balls, certificates")
def my_forest(request: HttpRequest) -> dict[str, object]:
    forest = selectors.forest_of(acting_user(request))
    return {
        "balance_g": forest.balance_g,
        "pending_g": forest.pending_g,
        "ripe": [_ball(b) for b in forest.ripe],
        "growing": [_ball(b) for b in forest.growing],
        "trees": forest.trees,
        "square_metres": forest.square_metres,
        "certificates": [_certificate(request, a) for a in forest.adoptions],
    }


class CollectOut(Schema):
    balls: int
    grams: int


@router.post("/me/collect", response=CollectOut, summary="Collect every ripe ball of energy")
def collect(request: HttpRequest) -> dict[str, int]:
    balls, grams = services.collect_all(by=acting_user(request))
    return {"balls": balls, "grams": grams}


class AdoptIn(Schema):
    units: int = Field(1, ge=1, le=MAX_UNITS)
    key: str = Field(min_length=1, max_length=64, description="idempotency key of the caller")


@router.post(
    "/projects/{project_slug}/adoptions",
    response={200: ForestCertificateOut, 201: ForestCertificateOut},
    summary="Adopt units of a project with energy (idempotent on key; 409 when sold out, "
    "over the cap, short of energy or not open)",
)
def adopt(request: HttpRequest, project_slug: str, body: AdoptIn) -> Status:  # type: ignore[type-arg]
    done = services.adopt(
        by=acting_user(request), project_slug=project_slug, units=body.units, key=body.key
    )
    return Status(201 if done.created else 200, _certificate(request, done.adoption))


class ForestProgressOut(Schema):
    slug: str
    name: str
    kind: str
    species: str
    county: str
    partner: str
    status: str
    opens_at: dt.datetime
    units_total: int
    taken: int
    remaining: int
    adopters: int
    workers: int
    wages_fen: int
    survival_percent: float | None


@router.get(
    "/projects/{project_slug}",
    response=ForestProgressOut,
    auth=None,
    summary="A project's public progress (units taken, jobs, wages, survival)",
)
def project_progress(request: HttpRequest, project_slug: str) -> dict[str, object]:
    p = selectors.get_public_project(project_slug)
    g = selectors.progress(p)
    return {
        "slug": p.slug,
        "name": p.name,
        "kind": p.kind,
        "species": p.species,
        "county": p.county.name,
        "partner": p.partner_name,
        "status": p.status,
        "opens_at": p.opens_at,
        "units_total": g.units_total,
        "taken": g.taken,
        "remaining": g.remaining,
        "adopters": g.adopters,
        "workers": g.workers,
        "wages_fen": g.wages_fen,
        "survival_percent": g.survival_percent,
    }


@router.get(
    "/certificates/{certificate_token}",
    response=ForestCertificateOut,
    auth=None,
    summary="A certificate by its token, checked against the ledger (no name on it)",
)
def certificate(request: HttpRequest, certificate_token: str) -> dict[str, object]:
    a = selectors.certificate(certificate_token)
    out = _certificate(request, a)
    out["matches_ledger"] = selectors.certificate_matches_ledger(a, origin=settings.LEDGER_ORIGIN)
    return out


class FiguresOut(Schema):
    county: str
    name: str
    trees: int
    square_metres: int
    workers: int
    wages_fen: int


@router.get("/figures", response=list[FiguresOut], summary="Per county: trees, m², jobs, wages")
def figures(request: HttpRequest) -> list[object]:
    return list(selectors.county_figures(acting_user(request)))


class ApprovedOut(Schema):
    id: int
    wage_fen: int
    ledger_index: int | None


@router.post(
    "/work/{log_id}/approval",
    response=ApprovedOut,
    summary="The project's partner approves a day's work; the wage is paid (ledger entry)",
)
def approve_work(request: HttpRequest, log_id: int) -> dict[str, object]:
    log = services.approve_work(by=acting_user(request), log_id=log_id)
    return {"id": log.pk, "wage_fen": log.wage_fen, "ledger_index": log.ledger_index}


class HireIn(Schema):
    person_id: int = Field(description="a registered poor person of the project's county")
    kind: str = Field(description="plant, tend or patrol")
    basis: str = Field(description="day or piece")
    rate_fen: int = Field(description="wage per day or per piece, in fen")


class WorkOrderOut(Schema):
    id: int
    project: str
    person_id: int
    village_code: str
    kind: str
    basis: str
    rate_fen: int


def _order(o: object) -> dict[str, object]:
    from .models import WorkOrder

    assert isinstance(o, WorkOrder)
    return {
        "id": o.pk,
        "project": o.project.slug,
        "person_id": o.person_id,
        "village_code": o.village_code,
        "kind": o.kind,
        "basis": o.basis,
        "rate_fen": o.rate_fen,
    }


@router.get(
    "/projects/{project_slug}/work-orders",
    response=list[WorkOrderOut],
    summary="A project's work orders (its partner, officers of the county, the operator)",
)
def work_orders(request: HttpRequest, project_slug: str) -> list[dict[str, object]]:
    user = acting_user(request)
    project = selectors.get_project_for(user, project_slug)
    orders = selectors.work_orders_for(user).filter(project=project).order_by("id")[:500]
    return [_order(o) for o in orders]


@router.post(
    "/projects/{project_slug}/work-orders",
    response={201: WorkOrderOut},
    summary="Hire a registered poor person of the project's county (officers, the operator)",
)
def hire(request: HttpRequest, project_slug: str, body: HireIn) -> Status:  # type: ignore[type-arg]
    order = services.hire(
        by=acting_user(request),
        project_slug=project_slug,
        person_id=body.person_id,
        kind=body.kind,
        basis=body.basis,
        rate_fen=body.rate_fen,
    )
    return Status(201, _order(order))


class WorkIn(Schema):
    on: dt.date
    quantity: int = Field(description="1 for a day (按天), or the pieces (按件: trees planted)")


class WorkLogOut(Schema):
    id: int
    order: int
    on: dt.date
    quantity: int
    wage_fen: int
    approved: bool
    ledger_index: int | None


@router.post(
    "/work-orders/{order_id}/logs",
    response={201: WorkLogOut},
    summary="Record a day's attendance or pieces, waiting for the partner's approval",
)
def record_work(request: HttpRequest, order_id: int, body: WorkIn) -> Status:  # type: ignore[type-arg]
    log = services.record_work(
        by=acting_user(request), order_id=order_id, on=body.on, quantity=body.quantity
    )
    return Status(
        201,
        {
            "id": log.pk,
            "order": log.order_id,
            "on": log.on,
            "quantity": log.quantity,
            "wage_fen": log.wage_fen,
            "approved": log.approved_at is not None,
            "ledger_index": log.ledger_index,
        },
    )
