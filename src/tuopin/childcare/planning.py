"""Siting plans: validate the question, solve it (maximal covering for k and k + 1, set
covering, the worst-off child) and keep the answer. The page and the API queue a plan as a
background task; the command line solves in the foreground."""

from __future__ import annotations

import datetime as dt
import logging
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from tuopin.accounts import permissions
from tuopin.core import jobs

from . import siting
from .demand import Demand, demand_for
from .errors import BadPlan
from .models import PlanSite, PlanStatus, SitingPlan

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

    from tuopin.accounts.models import User

log = logging.getLogger(__name__)

PLAN = "childcare.add_sitingplan"
MIN_RADIUS_M, MAX_RADIUS_M = 100, 20_000
MAX_CENTRES = 500


def time_limit() -> float:
    return float(getattr(settings, "TUOPIN_SITING_TIME_LIMIT", 30.0))


@dataclass
class Answer:
    """A solved plan, before or without saving."""

    demand: Demand
    plan: siting.Plan
    marginal_children: int | None
    cover_all_centres: int | None
    cover_all_optimal: bool
    floor_areas: list[int] = field(default_factory=list)

    def as_json(self) -> dict[str, Any]:
        """The command line's contract: ``tuopin childcare plan … --json``."""
        p = self.plan
        return {
            "county": self.demand.county_code,
            "on": self.demand.on.isoformat(),
            "radius_m": p.radius_m,
            "eligible_children": self.demand.eligible_children,
            "children_covered": p.children_covered,
            "optimal": p.optimal,
            "gap": round(p.gap, 6),
            "sites": [
                {"code": s.code, "name": s.name, "children_covered": n}
                for s, n, _villages in p.sites
            ],
            "min_children": p.min_children,
            "centres": p.k,
            "method": p.method,
            "allowed_sites": p.allowed_sites,
            "greedy_children_covered": p.greedy_covered,
            "marginal_children": self.marginal_children,
            "cover_all_centres": self.cover_all_centres,
            "worst_distance_m": None
            if p.worst_distance_m is None
            else round(p.worst_distance_m, 1),
            "worst_village": p.worst_code,
            "unlocated_villages": [
                {"code": c, "name": n, "children": k} for c, n, k in self.demand.unlocated
            ],
        }


def check_question(*, centres: int, radius_m: int, min_children: int, on: dt.date) -> None:
    """Refuse a question that has no sensible answer, with the reason."""
    if not 1 <= centres <= MAX_CENTRES:
        raise BadPlan(_("中心数应在 1 到 %(n)s 之间") % {"n": MAX_CENTRES}, code="bad_centres")
    if not MIN_RADIUS_M <= radius_m <= MAX_RADIUS_M:
        raise BadPlan(
            _("服务半径应在 %(lo)s 到 %(hi)s 米之间") % {"lo": MIN_RADIUS_M, "hi": MAX_RADIUS_M},
            code="bad_radius",
        )
    if not 0 <= min_children <= 1000:
        raise BadPlan(_("儿童人数门槛应在 0 到 1000 之间"), code="bad_min_children")
    if on > timezone.localdate() + dt.timedelta(days=366 * 5):
        raise BadPlan(_("计算日期太远"), code="bad_date")


def solve(
    user: User | AnonymousUser,
    *,
    county_code: str,
    centres: int,
    radius_m: int = 1000,
    min_children: int = 10,
    on: dt.date | None = None,
) -> Answer:
    """Solve a siting question for a county in the user's scope (writes nothing)."""
    permissions.require(user, PLAN, _("没有做选址方案的权限"))
    on = on or timezone.localdate()
    check_question(centres=centres, radius_m=radius_m, min_children=min_children, on=on)
    demand = demand_for(user, county_code, on)
    if not demand.sites:
        raise BadPlan(
            _("%(c)s 没有任何带坐标的村或备选场地，无法选址") % {"c": demand.county_name},
            code="no_coordinates",
        )
    if centres > len(demand.sites):
        raise BadPlan(
            _("中心数 %(k)s 多于全县的备选地点数 %(n)s：请减少中心数或添加备选场地")
            % {"k": centres, "n": len(demand.sites)},
            code="too_many_centres",
        )
    limit = time_limit()
    args: dict[str, Any] = {"radius_m": radius_m, "min_children": min_children, "time_limit": limit}
    plan = siting.maximal_covering(demand.points, demand.sites, k=centres, **args)
    more = siting.maximal_covering(demand.points, demand.sites, k=centres + 1, **args)
    cover_all, _sites, cover_optimal = siting.set_covering(demand.points, demand.sites, **args)
    return Answer(
        demand=demand,
        plan=plan,
        marginal_children=more.children_covered - plan.children_covered,
        cover_all_centres=cover_all,
        cover_all_optimal=cover_optimal,
        floor_areas=[siting.floor_area_m2(n) for _s, n, _v in plan.sites],
    )


def start_plan(
    *,
    by: User,
    county_code: str,
    centres: int,
    radius_m: int = 1000,
    min_children: int = 10,
    on: dt.date | None = None,
) -> SitingPlan:
    """Queue a plan (the page, the API): checked now, solved by the worker."""
    from .demand import get_county_for
    from .tasks import solve_plan

    permissions.require(by, PLAN, _("没有做选址方案的权限"))
    on = on or timezone.localdate()
    check_question(centres=centres, radius_m=radius_m, min_children=min_children, on=on)
    code, _name = get_county_for(by, county_code)
    plan = SitingPlan.objects.create(
        county_code=code,
        on=on,
        centres=centres,
        radius_m=radius_m,
        min_children=min_children,
        created_by=by,
    )
    transaction.on_commit(lambda: solve_plan.enqueue(plan.pk))
    return plan


def execute_plan(plan_id: int) -> None:
    """Solve a queued plan as the officer who asked (their scope), and keep the answer."""
    if not jobs.take(SitingPlan, plan_id, queued=PlanStatus.QUEUED, running=PlanStatus.RUNNING):
        return
    plan = SitingPlan.objects.select_related("created_by").get(pk=plan_id)
    try:
        if plan.created_by is None:
            raise BadPlan(_("提交方案的用户已不存在"), code="no_user")
        answer = solve(
            plan.created_by,
            county_code=plan.county_code,
            centres=plan.centres,
            radius_m=plan.radius_m,
            min_children=plan.min_children,
            on=plan.on,
        )
    except Exception as exc:  # any failure ends the job as failed, with its reason
        from tuopin.core.errors import DomainError

        message = exc.message if isinstance(exc, DomainError) else type(exc).__name__
        if not isinstance(exc, DomainError):
            log.exception("siting plan %s failed", plan_id)
        SitingPlan.objects.filter(pk=plan_id).update(
            status=PlanStatus.FAILED, error=message[:1000], finished_at=timezone.now()
        )
        return
    save_answer(plan, answer)


def save_answer(plan: SitingPlan, answer: Answer) -> None:
    p = answer.plan
    with transaction.atomic():
        PlanSite.objects.filter(plan=plan).delete()
        PlanSite.objects.bulk_create(
            PlanSite(
                plan=plan,
                rank=rank,
                code=site.code,
                name=site.name,
                longitude=round(site.lon, 6),
                latitude=round(site.lat, 6),
                children_covered=n,
                villages=villages,
                floor_area_m2=area,
            )
            for rank, ((site, n, villages), area) in enumerate(
                zip(p.sites, answer.floor_areas, strict=True), 1
            )
        )
        SitingPlan.objects.filter(pk=plan.pk).update(
            status=PlanStatus.DONE,
            finished_at=timezone.now(),
            eligible_children=answer.demand.eligible_children,
            children_covered=p.children_covered,
            optimal=p.optimal,
            gap=p.gap,
            method=p.method,
            greedy_covered=p.greedy_covered,
            allowed_sites=p.allowed_sites,
            marginal_children=answer.marginal_children,
            cover_all_centres=answer.cover_all_centres,
            worst_distance_m=p.worst_distance_m,
            worst_village=p.worst_code or "",
            unlocated_villages=[list(u) for u in answer.demand.unlocated],
            demand_points=[
                [p.code, p.name, p.lon, p.lat, p.children] for p in answer.demand.points
            ],
            candidate_points=[[s.code, s.name, s.lon, s.lat] for s in answer.demand.sites],
            **jobs.beat(),
        )


def mark_interrupted_plans() -> int:
    return jobs.mark_interrupted(
        SitingPlan,
        running=PlanStatus.RUNNING,
        interrupted=PlanStatus.INTERRUPTED,
        error=_("计算进程被终止"),
    )
