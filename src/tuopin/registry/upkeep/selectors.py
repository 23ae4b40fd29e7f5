"""Reads of registry upkeep, each checking the permission and the area scope (out of scope
looks like missing): change requests, a decider's inbox, evidence, and the history of a
household or a person (timeline of requests, reviews, status changes and the import)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.db.models import Q, QuerySet
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from tuopin.accounts import approvals, permissions, scoping

from ..choices import ClosedReason, MemberStatus, PovertyStatus
from ..errors import RequestNotFound
from ..models import Household, Person
from .models import ChangeRequest, Evidence, HistoryEvent, Source

VIEW = "registry.view_changerequest"
FIELD_LABELS = {
    "status": gettext_lazy("状态"),
    "cause": gettext_lazy("原因"),
    "on": gettext_lazy("日期"),
    "name": gettext_lazy("姓名"),
    "id_number": gettext_lazy("证件号码"),
    "relation": gettext_lazy("与户主关系"),
    "education": gettext_lazy("文化程度"),
    "health": gettext_lazy("健康状况"),
    "student_status": gettext_lazy("在校生状况"),
    "phone": gettext_lazy("联系电话"),
    "village": gettext_lazy("村"),
    "member_count": gettext_lazy("人数"),
    "sex": gettext_lazy("性别"),
    "birth_date": gettext_lazy("出生日期"),
    "address": gettext_lazy("住址"),
    "to": gettext_lazy("分入新户"),
    "from": gettext_lazy("来自"),
    "into": gettext_lazy("并入"),
    "members": gettext_lazy("成员"),
    "household_type": gettext_lazy("贫困户属性"),
    "poverty_cause": gettext_lazy("主要致贫原因"),
    "year": gettext_lazy("年度"),
    "verified": gettext_lazy("证件已核验"),
    "merged_from": gettext_lazy("合并自"),
    "person_id": gettext_lazy("成员"),
    "person_ids": gettext_lazy("成员"),
    "new_head_id": gettext_lazy("新户主"),
    "remaining_head_id": gettext_lazy("原户新户主"),
    "new_household_no": gettext_lazy("新户的户编号"),
    "other_household_no": gettext_lazy("并入本户的户编号（同村）"),
    "to_village": gettext_lazy("迁入村代码（12 位）"),
    "keep_id": gettext_lazy("保留"),
    "drop_id": gettext_lazy("合并掉"),
    "fields": gettext_lazy("更正个人信息"),
    "closed": gettext_lazy("销户日期"),
    "closed_reason": gettext_lazy("销户原因"),
}
VALUE_LABELS: dict[str, dict[str, Any]] = {
    "closed_reason": dict(ClosedReason.choices),
    # a household's poverty status or a member's status (their codes do not overlap)
    "status": dict(PovertyStatus.choices) | dict(MemberStatus.choices),
}
HISTORY = "registry.view_household"


def requests_for(
    user: Any, *, status: str | None = None, kind: str | None = None
) -> QuerySet[ChangeRequest]:
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

    @property
    def lines(self) -> list[str]:
        """The changes as text: ``label: before → after``."""
        out = []
        for key, value in self.changes.items():
            label = str(FIELD_LABELS.get(key, key))
            shown = VALUE_LABELS.get(key, {})
            if isinstance(value, list) and len(value) == 2 and not isinstance(value[0], list):
                before, after = (shown.get(v, v) if isinstance(v, str) else v for v in value)
                out.append(f"{label}: {before or '—'} → {after}")
            elif isinstance(value, list):
                out.append(f"{label}: {'、'.join(str(v) for v in value)}")
            else:
                out.append(
                    f"{label}: {shown.get(value, value) if isinstance(value, str) else value}"
                )
        return out


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
                    at=s.at,
                    what="status",
                    label=_("贫困状态"),
                    person="",
                    changes={"status": [s.from_status, s.to_status]},
                    reason=s.reason,
                    source=Source.STATUS,
                    source_label=str(sources[Source.STATUS]),
                    by=s.by.username if s.by else "",
                )
            )
    registered = person.created_at if person is not None else household.created_at
    # Imports since issue 18 write their own event; older rows only have the registration.
    added = any(t.what == "import" for t in out) or (
        person is not None and any(t.what == "add_member" for t in out)
    )
    if not added:
        out.append(
            TimelineEntry(
                at=registered,
                what="import",
                label=_("建档"),
                person=person.name if person else "",
                changes={},
                reason="",
                source=Source.IMPORT,
                source_label=str(sources[Source.IMPORT]),
                by="",
            )
        )
    return sorted(out, key=lambda t: t.at)
