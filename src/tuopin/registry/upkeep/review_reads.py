"""Reads of the annual review, scoped: rounds, a village's items, progress per village and
township (grouped counts, no loop per household), and the county's list of what changed."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.db.models import Count, Q, QuerySet
from django.utils.translation import gettext as _

from tuopin.accounts import permissions, scoping
from tuopin.areas import selectors as area_selectors

from ..errors import ReviewNotFound
from .models import Objection, ReviewEvidence, ReviewItem, ReviewRound, VillageReview

VIEW = "registry.view_reviewround"


def rounds_for(user: Any) -> QuerySet[ReviewRound]:
    """Rounds of the counties that hold the user's scope (a cadre sees their county's)."""
    permissions.require(user, VIEW, _("没有查看动态调整的权限"))
    prefixes = scoping.area_prefixes(user)
    qs = ReviewRound.objects.all()
    if prefixes is None:
        return qs
    return qs.filter(area_code__in={p[:6].ljust(12, "0") for p in prefixes})


def get_round_for(user: Any, round_id: int) -> ReviewRound:
    rnd = rounds_for(user).filter(pk=round_id).first()
    if rnd is None:
        raise ReviewNotFound(_("动态调整不存在"))
    return rnd


def village_reviews_for(user: Any, rnd: ReviewRound) -> QuerySet[VillageReview]:
    permissions.require(user, VIEW, _("没有查看动态调整的权限"))
    return scoping.scope(rnd.villages.all(), user, "village_code")


def get_village_review_for(user: Any, rnd: ReviewRound, village: str) -> VillageReview:
    vr = village_reviews_for(user, rnd).filter(village_code=village).first()
    if vr is None:
        raise ReviewNotFound(_("动态调整不存在"))
    return vr


def items_of(user: Any, vr: VillageReview) -> QuerySet[ReviewItem]:
    permissions.require(user, VIEW, _("没有查看动态调整的权限"))
    return (
        scoping.scope(
            ReviewItem.objects.filter(round_id=vr.round_id, village_code=vr.village_code),
            user,
            "village_code",
        )
        .select_related("household")
        .prefetch_related("evidence")
        .annotate(
            open_objections=Count("objections", filter=Q(objections__resolved_at__isnull=True))
        )
        .order_by("household__household_no")
    )


def get_item_for(user: Any, item_id: int) -> ReviewItem:
    permissions.require(user, VIEW, _("没有查看动态调整的权限"))
    item = (
        scoping.scope(ReviewItem.objects.filter(pk=item_id), user, "village_code")
        .select_related("round", "household")
        .first()
    )
    if item is None:
        raise ReviewNotFound(_("动态调整不存在"))
    return item


def evidence_of(user: Any, item_id: int, position: int) -> ReviewEvidence:
    """One evidence file of a review item, through the item's access function."""
    found = get_item_for(user, item_id).evidence.filter(position=position).first()
    if found is None:
        raise ReviewNotFound(_("核实材料不存在"))
    return found


def get_objection_for(user: Any, objection_id: int) -> Objection:
    permissions.require(user, VIEW, _("没有查看动态调整的权限"))
    found = (
        scoping.scope(Objection.objects.filter(pk=objection_id), user, "item__village_code")
        .select_related("item__round")
        .first()
    )
    if found is None:
        raise ReviewNotFound(_("动态调整不存在"))
    return found


@dataclass
class Progress:
    code: str
    name: str
    households: int = 0
    checked: int = 0
    lift: int = 0
    back: int = 0
    objections: int = 0
    stage: str = ""
    villages: list[Progress] = field(default_factory=list)

    @property
    def percent(self) -> int:
        return 100 * self.checked // self.households if self.households else 0


def progress_of(user: Any, rnd: ReviewRound) -> list[Progress]:
    """Per township, its villages: households, checked, proposals, open objections, stage.
    Three grouped queries and one of area names."""
    reviews = {v.village_code: v for v in village_reviews_for(user, rnd)}
    rows = (
        scoping.scope(rnd.items.all(), user, "village_code")
        .values("village_code")
        .annotate(
            n=Count("id"),
            checked=Count("id", filter=~Q(proposal="")),
            lift=Count("id", filter=Q(proposal="lift")),
            back=Count("id", filter=Q(proposal="return")),
        )
        .order_by("village_code")
    )
    objections = dict(
        scoping.scope(
            Objection.objects.filter(item__round=rnd, resolved_at__isnull=True),
            user,
            "item__village_code",
        )
        .values_list("item__village_code")
        .annotate(n=Count("id"))
        .order_by()
    )
    codes_ = {r["village_code"] for r in rows} | {r["village_code"][:9] + "000" for r in rows}
    names = {a.code: a.name for a in area_selectors.areas_by_codes(sorted(codes_)).values()}
    towns: dict[str, Progress] = {}
    for r in rows:
        code = r["village_code"]
        vr = reviews.get(code)
        village = Progress(
            code,
            names.get(code, code),
            r["n"],
            r["checked"],
            r["lift"],
            r["back"],
            objections.get(code, 0),
            stage_of(vr),
        )
        town = towns.setdefault(
            code[:9] + "000", Progress(code[:9] + "000", names.get(code[:9] + "000", code[:9]))
        )
        town.villages.append(village)
        for f in ("households", "checked", "lift", "back", "objections"):
            setattr(town, f, getattr(town, f) + getattr(village, f))
    return list(towns.values())


def stage_of(vr: VillageReview | None) -> str:
    if vr is None:
        return ""
    if vr.status == "approved":
        return str(_("已生效"))
    if vr.status == "returned":
        return str(_("退回修改"))
    if vr.filed:
        return str(_("待县审批")) if vr.step_index else str(_("待乡镇审批"))
    if vr.notice_from:
        return str(_("公示中（至 %(d)s）") % {"d": vr.notice_to})
    return str(_("核实中"))


def changes_of(user: Any, rnd: ReviewRound) -> QuerySet[ReviewItem]:
    """The county's list of what changed: households whose status the round changed."""
    permissions.require(user, VIEW, _("没有查看动态调整的权限"))
    return (
        scoping.scope(rnd.items.exclude(status_after=""), user, "village_code")
        .select_related("household")
        .order_by("village_code", "household__household_no")
    )
