"""Reads of field reports, always through the user's permission and area scope: out of scope
looks exactly like missing."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from tuopin.accounts import approvals, permissions, scoping
from tuopin.accounts.approvals import Status

from .errors import ReportTypeNotFound, SubmissionNotFound
from .models import PhotoUse, ReportType, Submission

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

    from tuopin.accounts.models import User

    AnyUser = User | AnonymousUser

VIEW = "casework.view_submission"
FILE = "casework.add_submission"
DECIDE = "casework.decide_submission"
AGGREGATES = "casework.view_report_aggregates"


def report_types_for(user: AnyUser) -> QuerySet[ReportType]:
    """Active report types, for anyone who files, reviews or reads their aggregates."""
    if not any(permissions.has(user, p) for p in (FILE, VIEW, AGGREGATES)):
        permissions.require(user, VIEW, _("没有查看上报的权限"))
    return ReportType.objects.filter(active=True).prefetch_related("fields")


def get_report_type_for(user: AnyUser, slug: str) -> ReportType:
    found = report_types_for(user).filter(slug=slug).first()
    if found is None:
        raise ReportTypeNotFound(_("没有这个上报类型：%(s)s") % {"s": slug})
    return found


def submissions_for(user: AnyUser) -> QuerySet[Submission]:
    """Submissions of the user's areas. Needs ``casework.view_submission``."""
    permissions.require(user, VIEW, _("没有查看上报的权限"))
    return scoping.scope(Submission.objects.all(), user, "area__code").select_related(
        "report_type", "area", "household", "person"
    )


def get_submission_for(user: AnyUser, submission_id: int) -> Submission:
    found = submissions_for(user).filter(pk=submission_id).first()
    if found is None:
        raise SubmissionNotFound(_("上报不存在"))
    return found


def photos_of(user: AnyUser, submission: Submission) -> QuerySet[PhotoUse]:
    """The photos of a submission fetched with :func:`get_submission_for`, with their flags."""
    permissions.require(user, VIEW, _("没有查看上报的权限"))
    return submission.photos.select_related("photo", "field", "reused_in")


def get_photo_for(user: AnyUser, submission_id: int, use_id: int) -> PhotoUse:
    submission = get_submission_for(user, submission_id)
    use = photos_of(user, submission).filter(pk=use_id).first()
    if use is None:
        raise SubmissionNotFound(_("照片不存在"))
    return use


def values_of(submission: Submission) -> list[tuple[Any, str]]:
    """(field, shown value) in the form's order; a person or household by its registry id."""
    by_field = {v.field_id: v for v in submission.values.all()}
    out = []
    for f in submission.report_type.fields.all():
        if f.is_photo:
            continue
        v = by_field.get(f.pk)
        if v is None:
            shown = ""
        elif v.number is not None:
            shown = f"{v.number.normalize():f}"
        elif v.date is not None:
            shown = v.date.isoformat()
        elif f.kind == "household":
            shown = submission.household.household_no if submission.household else ""
        elif f.kind == "person":
            shown = submission.person.name if submission.person else ""
        else:
            shown = v.text
        out.append((f, shown))
    return out


@dataclass(frozen=True)
class InboxItem:
    submission: Submission
    overdue: bool
    waiting: str  # "decide" or "refile"


def inbox_for(user: AnyUser) -> list[InboxItem]:
    """What waits for ``user``: submissions at a step of an area they are an officer of, and
    (for cadres) reports returned to their village; overdue first, then oldest due."""
    mine = approvals.scope_codes(user)
    q = Q(pk__in=[])
    if permissions.has(user, DECIDE) and mine:
        q |= Q(status=Status.PENDING, step_area__in=mine)
    if permissions.has(user, "casework.change_submission"):
        q |= Q(status=Status.RETURNED) & scoping.scope_q(user, "area__code")
    if not permissions.has(user, VIEW):
        return []
    qs = submissions_for(user).filter(q).order_by("due_at", "pk")[:500]
    now = timezone.now()
    return [
        InboxItem(s, s.due_at < now, "refile" if s.status == Status.RETURNED else "decide")
        for s in qs
    ]


def actions_for(user: AnyUser, submission: Submission) -> frozenset[str]:
    return approvals.allowed_actions(
        user, submission.status, submission.step_index, submission.step_list, DECIDE
    )


def may_refile(user: AnyUser, submission: Submission) -> bool:
    return (
        submission.status == Status.RETURNED
        and permissions.has(user, "casework.change_submission")
        and scoping.covers(user, submission.area_id)
    )
