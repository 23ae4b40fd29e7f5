"""Reads of registry upkeep, each checking the permission and the area scope (out of scope
looks like missing): change requests, a decider's inbox, evidence, and the history of a
household or a person (timeline of requests, reviews, status changes and the import)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.db.models import Q, QuerySet
from django.utils.translation import gettext as _

from tuopin.accounts import approvals, permissions, scoping

from ..errors import RequestNotFound
from ..models import Household, Person
from .models import ChangeRequest, Evidence, HistoryEvent, Source

VIEW = "registry.view_changerequest"
HISTORY = "registry.view_household"


def requests_for(user: Any, *, status: str | None = None, kind: str | None = None) -> QuerySet[ChangeRequest]:
    """Requests filed in the user's scope. Needs ``registry.view_changerequest``."""
    permissions.require(user, VIEW, _("没有查看变更申请的权限"))
    qs = scoping.scope(ChangeRequest.objects.all(), user, "village_code")
    if status:
        qs = qs.filter(status=status)
    if kind:
        qs = qs.filter(kind=kind)
    return qs.select_related("household", "filed_by")


def get_request_for(user: Any, request_id: int) -> ChangeRequest:
    req = requests_for(user).filter(pk=request_id).first()
    if req is None:
        raise RequestNotFound(_("变更申请不存在"))
    return req


def inbox_for(user: Any) -> QuerySet[ChangeRequest]:
    """Requests waiting for the user's decision: one indexed look-up on the current step's
    area (the user's exact scope areas)."""
    permissions.require(user, VIEW, _("没有查看变更申请的权限"))
    mine = approvals.scope_codes(user)
    if not permissions.has(user, "registry.decide_changerequest") or not mine:
        return ChangeRequest.objects.none()
    return (
        ChangeRequest.objects.filter(status="pending", step_area__in=mine)
        .select_related("household", "filed_by")
        .order_by("filed_at", "id")
    )


def evidence_of(user: Any, request_id: int, position: int) -> Evidence:
    req = get_request_for(user, request_id)
    found = req.evidence.filter(position=position).first()
    if found is None:
        raise RequestNotFound(_("证明材料不存在"))
    return found


@dataclass
class TimelineEntry:
    at: Any
    what: str
    label: str
    person: str
    changes: dict[str, Any]
    reason: str
    source: str
    source_label: str
    by: str
    request_id: int | None = None
    evidence: list[int] = field(default_factory=list)


def history_for(
    user: Any, household: Household, *, person: Person | None = None
) -> list[TimelineEntry]:
    """The timeline of a household fetched with ``get_household_for`` (or of one of its
    members): every change request applied, review outcome, status change, and when the
    import registered it. A fixed number of queries."""
    permissions.require(user, HISTORY, _("没有查看贫困户的权限"))
    events = scoping.scope(
        HistoryEvent.objects.filter(household_no=household.household_no), user, "village_code"
    )
    if person is not None:
        events = events.filter(Q(person=person) | Q(person__isnull=True))
    events = events.select_related("by").order_by("at", "id")
    request_ids = {e.request_id for e in events if e.request_id}
    evidence: dict[int, list[int]] = {}
    for rid, pos in Evidence.objects.filter(request_id__in=request_ids).values_list(
        "request_id", "position"
    ):
        evidence.setdefault(rid, []).append(pos)
    sources = dict(Source.choices)
    out = [
        TimelineEntry(
            at=e.at,
            what=e.what,
            label=e.get_what_display(),
            person=e.person_name,
            changes=e.changes,
            reason=e.reason,
            source=e.source,
            source_label=str(sources[e.source]),
            by=e.by.username if e.by else "",
            request_id=e.request_id,
            evidence=evidence.get(e.request_id or 0, []),
        )
        for e in events
    ]
    if person is None:
        for s in household.status_changes.select_related("by"):
            if s.reason.startswith("动态调整"):
                continue  # the review's own event says it with its facts
            out.append(
                TimelineEntry(
                    at=s.at, what="status", label=_("贫困状态"), person="",
                    changes={"status": [s.from_status, s.to_status]}, reason=s.reason,
                    source=Source.STATUS, source_label=str(sources[Source.STATUS]),
                    by=s.by.username if s.by else "",
                )
            )
    registered = person.created_at if person is not None else household.created_at
    out.append(
        TimelineEntry(
            at=registered, what="import", label=_("建档"), person=person.name if person else "",
            changes={}, reason="", source=Source.IMPORT,
            source_label=str(sources[Source.IMPORT]), by="",
        )
    )
    return sorted(out, key=lambda t: t.at)
