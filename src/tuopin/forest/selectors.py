"""Reads of the forest app. One access function per resource: the permission, then the scope.

Who sees a project: its planting partner (their own projects only), officers of its county
(area scope on the county code), nationwide roles (the operator). Everyone sees the public
page of a project that is not a draft, and a certificate by its unguessable token.
"""

from __future__ import annotations

import datetime as dt
import uuid
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Count, Q, QuerySet, Sum
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext as _

from tuopin.accounts import permissions, scoping
from tuopin.ledger.models import Entry, Opening
from tuopin.ledger.receipt import commitment

from .errors import AdoptionNotFound, ProjectNotFound, WorkNotFound
from .models import (
    Adoption,
    EnergyAccount,
    EnergyBall,
    EnergyEntry,
    Friendship,
    Project,
    ProjectKind,
    ProjectStatus,
    Shard,
    SurvivalCheck,
    WorkLog,
    WorkOrder,
)

VIEW = "forest.view_project"
VIEW_WORK = "forest.view_workorder"
FIGURES = "forest.view_forest_figures"


def projects_for(user: Any) -> QuerySet[Project]:
    """The projects ``user`` manages or oversees: a partner's own, a county's, or all."""
    permissions.require(user, VIEW, _("没有查看认种认养项目的权限"))
    qs = Project.objects.select_related("county")
    if scoping.area_prefixes(user) is None:
        return qs  # nationwide (an empty Q would swallow the OR below)
    return qs.filter(Q(partner=user) | scoping.scope_q(user, "county__code"))


def get_project_for(user: Any, slug: str) -> Project:
    project = projects_for(user).filter(slug=slug).first()
    if project is None:
        raise ProjectNotFound(_("项目不存在：%(s)s") % {"s": slug})
    return project


def public_projects() -> QuerySet[Project]:
    return (
        Project.objects.exclude(status=ProjectStatus.DRAFT)
        .select_related("county")
        .order_by("-status", "opens_at", "id")
    )


def get_public_project(slug: str) -> Project:
    project = public_projects().filter(slug=slug).first()
    if project is None:
        raise ProjectNotFound(_("项目不存在：%(s)s") % {"s": slug})
    return project


@dataclass(frozen=True)
class Progress:
    units_total: int
    remaining: int
    adopters: int
    adoptions: int
    workers: int
    work_days: int
    wages_fen: int
    planted: int | None
    alive: int | None

    @property
    def taken(self) -> int:
        return self.units_total - self.remaining

    @property
    def percent(self) -> float:
        return round(100 * self.taken / self.units_total, 1) if self.units_total else 0.0

    @property
    def survival_percent(self) -> float | None:
        if not self.planted:
            return None
        return round(100 * (self.alive or 0) / self.planted, 1)


def progress(project: Project) -> Progress:
    """What the public page shows: units taken, adopters, jobs and wages paid, survival. Five
    aggregate queries whatever the project's size."""
    remaining = Shard.objects.filter(project=project).aggregate(r=Coalesce(Sum("remaining"), 0))
    adoptions = Adoption.objects.filter(project=project).aggregate(
        n=Count("id"), users=Count("user", distinct=True)
    )
    wages = WorkLog.objects.filter(order__project=project, approved_at__isnull=False).aggregate(
        days=Count("id"), fen=Coalesce(Sum("wage_fen"), 0)
    )
    workers = WorkOrder.objects.filter(project=project).values("person").distinct().count()
    check = SurvivalCheck.objects.filter(project=project).order_by("-checked_on", "-id").first()
    return Progress(
        units_total=project.units_total,
        remaining=remaining["r"],
        adopters=adoptions["users"],
        adoptions=adoptions["n"],
        workers=workers,
        work_days=wages["days"],
        wages_fen=wages["fen"],
        planted=check.planted if check else None,
        alive=check.alive if check else None,
    )


@dataclass
class Forest:
    """一个人的森林: the balance, balls growing and ripe, adoptions with certificates."""

    balance_g: int
    pending_g: int
    ripe: list[EnergyBall] = field(default_factory=list)
    growing: list[EnergyBall] = field(default_factory=list)
    adoptions: list[Adoption] = field(default_factory=list)
    trees: int = 0
    square_metres: int = 0


def forest_of(user: Any, *, now: dt.datetime | None = None) -> Forest:
    """The logged-in user's own forest (no one reads another's)."""
    now = now or timezone.now()
    account = EnergyAccount.objects.filter(pk=user.pk).first()
    forest = Forest(
        balance_g=account.balance_g if account else 0,
        pending_g=account.pending_g if account else 0,
    )
    balls = EnergyBall.objects.filter(owner=user, remaining_g__gt=0, expires_at__gt=now)
    for ball in balls.select_related("action__action_type").order_by("ripe_at")[:50]:
        (forest.ripe if ball.ripe_at <= now else forest.growing).append(ball)
    forest.adoptions = list(
        Adoption.objects.filter(user=user).select_related("project__county")[:100]
    )
    totals = dict(
        Adoption.objects.filter(user=user)
        .values_list("project__kind")
        .annotate(n=Sum("units"))
        .values_list("project__kind", "n")
    )
    forest.trees = totals.get(ProjectKind.TREE, 0)
    forest.square_metres = totals.get(ProjectKind.AREA, 0)
    return forest


@dataclass
class Friend:
    """A friend and the ripe energy of theirs ``user`` may take a share of now."""

    user: Any
    balls: list[EnergyBall] = field(default_factory=list)


def friends_of(user: Any, *, now: dt.datetime | None = None) -> list[Friend]:
    """The logged-in user's own friends (no one lists another's), each with their balls that
    are ripe, not expired, not emptied and not yet taken from (a friend takes once per ball).
    Two queries whatever the number of friends."""
    from tuopin.accounts.models import User

    now = now or timezone.now()
    ids = Friendship.objects.filter(friend=user).values("user")
    people = list(User.objects.filter(pk__in=ids, is_active=True).order_by("username")[:200])
    found = {u.pk: Friend(u) for u in people}
    balls = EnergyBall.objects.filter(
        owner__in=list(found),
        remaining_g__gt=0,
        taken_g=0,
        ripe_at__lte=now,
        expires_at__gt=now,
    ).order_by("owner", "expires_at", "id")
    for ball in balls[:1000]:
        found[ball.owner_id].balls.append(ball)
    return list(found.values())


def journal_sums(user: Any) -> tuple[int, int]:
    """(pending, balance) as the sum of the user's journal: what the account must equal."""
    s = EnergyEntry.objects.filter(user=user).aggregate(
        p=Coalesce(Sum("pending_g"), 0), b=Coalesce(Sum("balance_g"), 0)
    )
    return s["p"], s["b"]


def certificate(token: str) -> Adoption:
    """A certificate by its token (the link its holder shares): no name on it."""
    try:
        value = uuid.UUID(str(token))
    except ValueError:
        raise AdoptionNotFound(_("证书不存在")) from None
    adoption = (
        Adoption.objects.filter(token=value).select_related("project", "project__county").first()
    )
    if adoption is None:
        raise AdoptionNotFound(_("证书不存在"))
    return adoption


def certificate_matches_ledger(adoption: Adoption, *, origin: str) -> bool:
    """Whether the ledger entry at the certificate's index says this adoption: the
    certificate's number, the project, the units, and a commitment to the adopter that the
    stored opening opens. False while the certificate is pending."""
    import json

    if adoption.ledger_index is None:
        return False
    entry = Entry.objects.filter(index=adoption.ledger_index).first()
    if entry is None:
        return False
    body = json.loads(bytes(entry.data))
    opening = Opening.objects.filter(
        entry_index=adoption.ledger_index, subject=adoption.subject, label="adopter"
    ).first()
    if opening is None:
        return False
    expected = commitment(origin, bytes(opening.opening), "adopter", str(adoption.user_id))
    return bool(
        body.get("decision") == "forest_adoption"
        and body.get("certificate") == adoption.number
        and body.get("project") == adoption.project.slug
        and body.get("units") == adoption.units
        and body.get("commitments", {}).get("adopter") == expected
        and opening.value == str(adoption.user_id)
    )


@dataclass(frozen=True)
class InclusionProof:
    """The certificate's entry is in the signed tree of ``size`` entries: ``hashes`` (hex)
    from its leaf up to the checkpoint's root ``root``."""

    index: int
    size: int
    root: str
    hashes: list[str]


def certificate_proof(adoption: Adoption) -> InclusionProof | None:
    """The inclusion proof of the certificate's entry in the latest signed checkpoint; None
    while it is pending or not yet in a checkpoint (the signer signs within seconds)."""
    from tuopin.ledger import selectors as ledger

    index = adoption.ledger_index
    latest = ledger.latest_checkpoint()
    if index is None or latest is None or latest.size <= index:
        return None
    hashes = [h.hex() for h in ledger.inclusion_proof(index, latest.size)]
    return InclusionProof(index, latest.size, bytes(latest.root).hex(), hashes)


def work_orders_for(user: Any) -> QuerySet[WorkOrder]:
    """A partner's own projects' workers; officers' by the worker's village; or all."""
    permissions.require(user, VIEW_WORK, _("没有查看用工的权限"))
    qs = WorkOrder.objects.select_related("project", "person")
    if scoping.area_prefixes(user) is None:
        return qs
    return qs.filter(Q(project__partner=user) | scoping.scope_q(user, "village_code"))


def get_work_order_for(user: Any, order_id: int) -> WorkOrder:
    order = work_orders_for(user).filter(pk=order_id).first()
    if order is None:
        raise WorkNotFound(_("用工记录不存在"))
    return order


def pending_logs_for(user: Any) -> QuerySet[WorkLog]:
    """Work waiting for ``user``'s approval: logs on the projects they are the partner of."""
    permissions.require(user, "forest.change_worklog", _("没有审核出工的权限"))
    return (
        WorkLog.objects.filter(order__project__partner=user, approved_at__isnull=True)
        .select_related("order__project", "order__person")
        .order_by("on", "id")
    )


@dataclass(frozen=True)
class CountyFigures:
    county: str
    name: str
    trees: int
    square_metres: int
    workers: int
    wages_fen: int


def county_figures(user: Any) -> list[CountyFigures]:
    """Per county in ``user``'s scope: trees and m² adopted, workers hired, wages paid (for
    the dashboards). Three grouped queries; no person."""
    permissions.require(user, FIGURES, _("没有查看统计的权限"))
    adopted = scoping.scope(Adoption.objects.all(), user, "project__county__code")
    by_kind: dict[tuple[str, str], int] = {
        (c, k): n
        for c, k, n in adopted.values_list("project__county_id", "project__kind")
        .annotate(n=Sum("units"))
        .values_list("project__county_id", "project__kind", "n")
    }
    logs = scoping.scope(
        WorkLog.objects.filter(approved_at__isnull=False), user, "order__project__county__code"
    )
    wages = {
        c: (w, f)
        for c, w, f in logs.values_list("order__project__county_id")
        .annotate(w=Count("order__person", distinct=True), f=Sum("wage_fen"))
        .values_list("order__project__county_id", "w", "f")
    }
    counties = scoping.scope(Project.objects.all(), user, "county__code").values_list(
        "county_id", "county__name"
    )
    out = []
    for code, name in sorted(set(counties)):
        workers, fen = wages.get(code, (0, 0))
        out.append(
            CountyFigures(
                county=code,
                name=name,
                trees=by_kind.get((code, ProjectKind.TREE), 0),
                square_metres=by_kind.get((code, ProjectKind.AREA), 0),
                workers=workers,
                wages_fen=fen,
            )
        )
    return out


def masked_name(name: str) -> str:
    """A worker as a partner sees them: the surname only (唐某); partners see no registry."""
    return f"{name[:1]}某" if name else ""


def hireable_people(user: Any, project: Project) -> list[Any]:
    """Registered poor people of the project's county present in the register, as ``user``
    may see them (the registry's access function): the hiring form's choices."""
    from tuopin.registry import selectors as registry

    people = registry.people_for(user).filter(
        village_code__startswith=project.county_id[:6], status="present"
    )
    return list(people.order_by("village_code", "id")[:200])
