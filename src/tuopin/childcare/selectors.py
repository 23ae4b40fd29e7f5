"""Reads of the childcare app: the access functions for siting plans and candidate sites
(permission and scope in one call; out of scope looks exactly like missing)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.db.models import QuerySet
from django.utils.translation import gettext as _

from tuopin.accounts import permissions, scoping
from tuopin.areas import selectors as areas

from .errors import PlanNotFound
from .models import CandidateSite, PlanSite, SitingPlan

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

    from tuopin.accounts.models import User

    AnyUser = User | AnonymousUser

VIEW_PLAN = "childcare.view_sitingplan"


def plans_for(user: AnyUser) -> QuerySet[SitingPlan]:
    """Siting plans of the counties in the user's scope, newest first."""
    permissions.require(user, VIEW_PLAN, _("没有查看选址方案的权限"))
    return scoping.scope(SitingPlan.objects.all(), user, "county_code")


def get_plan_for(user: AnyUser, plan_id: int) -> SitingPlan:
    plan = plans_for(user).filter(pk=plan_id).first()
    if plan is None:
        raise PlanNotFound(_("选址方案不存在"))
    return plan


def candidate_sites_for(user: AnyUser, county_code: str) -> QuerySet[CandidateSite]:
    permissions.require(user, VIEW_PLAN, _("没有查看选址方案的权限"))
    return scoping.scope(
        CandidateSite.objects.filter(county_code=county_code), user, "county_code"
    ).order_by("id")


def counties_for(user: AnyUser) -> list[tuple[str, str]]:
    """Counties the user may plan for, (code, name): whole counties in their scope;
    nationwide users get the poor counties."""
    prefixes = scoping.area_prefixes(user)
    if prefixes is None:
        found = areas.counties(poor_only=True)
    else:
        wide = [p for p in prefixes if len(p) <= 6]  # a township scope is not a whole county
        found = areas.counties(prefixes=wide) if wide else []
    return [(a.code, a.name) for a in found]


def county_name(code: str) -> str:
    found = areas.areas_by_codes([code]).get(code)
    return found.name if found else code


def get_plan_site_for(user: AnyUser, site_id: int) -> PlanSite:
    site = (
        PlanSite.objects.select_related("plan").filter(pk=site_id, plan__in=plans_for(user)).first()
    )
    if site is None:
        raise PlanNotFound(_("选址方案不存在"))
    return site


def open_plan_sites(user: AnyUser) -> list[PlanSite]:
    """Sites of the latest finished plan of each county in scope that no centre uses yet:
    what an officer may open next."""
    from .models import Centre, PlanStatus

    if not permissions.has(user, VIEW_PLAN):
        return []
    latest: dict[str, int] = {}
    for pk, county in (
        plans_for(user)
        .filter(status=PlanStatus.DONE)
        .order_by("-created_at", "-id")
        .values_list("pk", "county_code")
    ):
        latest.setdefault(county, pk)
    used = Centre.objects.exclude(plan_site=None).values("plan_site_id")
    return list(
        PlanSite.objects.filter(plan_id__in=latest.values())
        .exclude(pk__in=used)
        .select_related("plan")
        .order_by("plan_id", "rank")[:200]
    )
