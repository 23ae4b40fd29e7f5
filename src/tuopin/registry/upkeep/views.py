"""Pages of change requests: a cadre files one from a household's page (on the phone, with
photos), officers decide from their inbox, everyone in scope reads a request and its
evidence; a person's "why (not) eligible"."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.http import FileResponse, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from tuopin.accounts import approvals, permissions
from tuopin.accounts.selectors import acting_user
from tuopin.core.errors import DomainError, NotFound

from .. import eligibility, selectors
from ..choices import Education, Health, HouseholdType, PovertyCause, Relation, StudentStatus
from . import evidence, services
from . import selectors as reads
from .checks import ADD_CAUSES, REMOVE_CAUSES
from .models import Kind

FIELDS: dict[str, tuple[str, ...]] = {
    Kind.ADD_MEMBER: (
        "name",
        "id_number",
        "relation",
        "education",
        "health",
        "student_status",
        "phone",
        "cause",
    ),
    Kind.REMOVE_MEMBER: ("person_id", "cause", "on", "new_head_id"),
    Kind.CORRECT_PERSON: (
        "person_id",
        "name",
        "id_number",
        "relation",
        "education",
        "health",
        "student_status",
        "phone",
        "verify",
    ),
    Kind.MOVE_HOUSEHOLD: ("to_village",),
    Kind.SPLIT_HOUSEHOLD: ("new_household_no", "person_ids", "new_head_id", "remaining_head_id"),
    Kind.MERGE_HOUSEHOLDS: ("other_household_no",),
    Kind.CHANGE_HOUSEHOLD: ("household_type", "poverty_cause"),
    Kind.MERGE_PEOPLE: ("keep_id", "drop_id"),
}
FILED_HERE = [k for k in Kind.values if k != Kind.MERGE_PEOPLE]  # merges come from duplicates


def payload_from(kind: str, data: Any) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for f in FIELDS.get(kind, ()):
        if f == "person_ids":
            out[f] = data.getlist(f)
        elif f == "verify":
            if data.get(f):
                out[f] = True
        elif value := data.get(f, "").strip():
            out[f] = value
    return out


def _choices() -> dict[str, Any]:
    return {
        "relations": Relation.choices,
        "educations": Education.choices,
        "healths": Health.choices,
        "students": StudentStatus.choices,
        "types": HouseholdType.choices,
        "causes": PovertyCause.choices,
        "add_causes": ADD_CAUSES.items(),
        "remove_causes": REMOVE_CAUSES.items(),
    }


@login_required
@permission_required("registry.add_changerequest", raise_exception=True)
def file_request(request: HttpRequest, household_no: str) -> HttpResponse:
    """GET the form for a kind (``?kind=``); POST files it with its photos."""
    household = selectors.get_household_for(request.user, household_no)
    kind = request.POST.get("kind") or request.GET.get("kind") or Kind.ADD_MEMBER
    if kind not in FILED_HERE:
        kind = Kind.ADD_MEMBER
    errors: list[str] = []
    if request.method == "POST":
        try:
            req = services.file_request(
                household=household,
                kind=kind,
                payload=payload_from(kind, request.POST),
                reason=request.POST.get("reason", ""),
                evidence=list(request.FILES.getlist("evidence")),
                by=acting_user(request),
            )
        except NotFound:
            raise
        except DomainError as exc:
            errors = [str(e) for e in exc.detail] if isinstance(exc.detail, list) else [exc.message]
        else:
            messages.success(request, _("变更申请已提交"))
            return redirect(req)
    return render(
        request,
        "registry/request_form.html",
        {
            "h": household,
            "kind": kind,
            "kinds": [(k, Kind(k).label) for k in FILED_HERE],
            "members": selectors.members_of(request.user, household),
            "errors": errors,
            "data": request.POST,
            "today": timezone.localdate(),
            **_choices(),
        },
        status=422 if errors else 200,
    )


@login_required
@permission_required("registry.view_changerequest", raise_exception=True)
def request_list(request: HttpRequest) -> HttpResponse:
    """The inbox (waiting for my decision) and the requests of my scope."""
    status = request.GET.get("status", "")
    return render(
        request,
        "registry/requests.html",
        {
            "inbox": list(reads.inbox_for(request.user)[:100]),
            "requests": list(reads.requests_for(request.user, status=status or None)[:100]),
            "status": status,
            "statuses": approvals.Status.choices,
        },
    )


@login_required
@permission_required("registry.view_changerequest", raise_exception=True)
def request_detail(request: HttpRequest, request_id: int) -> HttpResponse:
    req = reads.get_request_for(request.user, request_id)
    steps = req.step_list
    allowed = approvals.allowed_actions(
        request.user, req.status, req.step_index, steps, services.DECIDE
    )
    return render(
        request,
        "registry/request.html",
        {
            "r": req,
            "decisions": req.decisions.select_related("by"),
            "evidence": req.evidence.all(),
            "allowed": allowed,
            "steps": steps,
            "may_refile": req.status == "returned"
            and permissions.has(request.user, services.REFILE),
            "payload": [
                (k, reads.FIELD_LABELS.get(k, k), v) for k, v in sorted(req.payload.items())
            ],
        },
    )


@login_required
@require_POST
@permission_required("registry.decide_changerequest", raise_exception=True)
def request_decide(request: HttpRequest, request_id: int) -> HttpResponse:
    req = reads.get_request_for(request.user, request_id)
    try:
        outcome = services.decide(
            request=req,
            action=request.POST.get("action", ""),
            comment=request.POST.get("comment", ""),
            by=acting_user(request),
        )
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("已生效") if outcome.applied else _("已记录审批意见"))
    return redirect(req)


@login_required
@require_POST
@permission_required("registry.change_changerequest", raise_exception=True)
def request_refile(request: HttpRequest, request_id: int) -> HttpResponse:
    req = reads.get_request_for(request.user, request_id)
    try:
        services.refile_request(
            request=req,
            payload={**req.payload, **payload_from(req.kind, request.POST)},
            reason=request.POST.get("reason", ""),
            evidence=list(request.FILES.getlist("evidence")) or None,
            by=acting_user(request),
        )
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("变更申请已重新提交"))
    return redirect(req)


@login_required
@permission_required("registry.view_changerequest", raise_exception=True)
def request_evidence(request: HttpRequest, request_id: int, position: int) -> FileResponse:
    return evidence.response(reads.evidence_of(request.user, request_id, position).path)


@login_required
@permission_required("registry.view_person", raise_exception=True)
def person_eligibility(request: HttpRequest, person_id: int) -> HttpResponse:
    """Every programme's rule, check by check, for one person (为何不符合条件)."""
    person = selectors.get_person_for(request.user, person_id)
    on = timezone.localdate()
    return render(
        request,
        "registry/eligibility.html",
        {"p": person, "on": on, "verdicts": eligibility.verdicts_for(request.user, person, on)},
    )
