"""Campus hiring (钉钉新校招): employers post positions, graduates apply with their county of
origin, the employer sees applications blind to origin until the interview, and the platform
reports per employer how applicants from poor counties fared at each stage (ADR 0014)."""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.db.models import Count, Q
from django.utils.translation import gettext as _

from tuopin.accounts.permissions import require

from . import funnel as fairness
from .errors import BadCohortRecord
from .models import Candidacy, Position, Stage
from .services import county_facts

MANAGE = "selection.change_position"
REACHED = {Stage.APPLIED: 0, Stage.INTERVIEWED: 1, Stage.OFFERED: 2, Stage.HIRED: 3}
NEXT = {
    Stage.APPLIED: {Stage.INTERVIEWED, Stage.REJECTED},
    Stage.INTERVIEWED: {Stage.OFFERED, Stage.REJECTED},
    Stage.OFFERED: {Stage.HIRED, Stage.REJECTED},
    Stage.HIRED: set(),
    Stage.REJECTED: set(),
}


def post_position(*, employer: str, title: str, by: Any) -> Position:
    require(by, MANAGE)
    return Position.objects.create(employer=employer[:100], title=title[:100], posted_by=by)


def apply_to(*, position: Position, name: str, origin_code: str, by: Any) -> Candidacy:
    """A graduate applies (any logged-in user): origin recorded, hidden from the employer."""
    if by is None or not by.is_authenticated:
        raise BadCohortRecord(_("请先登录"))
    facts = county_facts(origin_code)
    return Candidacy.objects.create(
        position=position,
        graduate=by,
        name=name[:50],
        origin_code=origin_code,
        poor_origin=facts["county_kind"] == "poor",
    )


@transaction.atomic
def move(*, candidacy_id: int, stage: str, by: Any) -> Candidacy:
    """Advance an application one stage (or reject it); transitions are data (``NEXT``)."""
    require(by, MANAGE)
    c = Candidacy.objects.select_for_update().filter(pk=candidacy_id).first()
    if c is None:
        raise BadCohortRecord(_("申请不存在"))
    if stage not in NEXT[Stage(c.stage)]:
        raise BadCohortRecord(
            _("不能从“%(a)s”改为“%(b)s”") % {"a": c.get_stage_display(), "b": stage}
        )
    c.stage = stage
    if stage in REACHED:
        c.reached = REACHED[Stage(stage)]
    c.save(update_fields=["stage", "reached"])
    return c


def employer_view(c: Candidacy) -> dict[str, Any]:
    """What the employer sees: origin only from the interview on."""
    return {
        "id": c.pk,
        "name": c.name,
        "stage": c.stage,
        "origin": c.origin_code[:6] if c.origin_revealed else None,
        "poor_origin": c.poor_origin if c.origin_revealed else None,
    }


def funnels_for(user: Any) -> dict[str, list[fairness.StageRow]]:
    """The funnels, for those who run the hiring (counts only, no person)."""
    require(user, MANAGE)
    return funnels()


def funnels() -> dict[str, list[fairness.StageRow]]:
    """Per employer: applicants from poor counties and others reaching each stage (one query)."""
    agg: dict[str, Any] = {}
    for poor in (True, False):
        for k in range(4):
            agg[f"{'p' if poor else 'o'}{k}"] = Count(
                "pk", filter=Q(poor_origin=poor, reached__gte=k)
            )
    query: Any = Candidacy.objects.values("position__employer")
    rows: list[dict[str, Any]] = list(query.annotate(**agg).order_by("position__employer"))
    return {
        r["position__employer"]: fairness.funnel(
            [r[f"p{k}"] for k in range(4)], [r[f"o{k}"] for k in range(4)]
        )
        for r in rows
    }
