"""Reads of the selection app, each through one access function that checks the permission
and the scope: applicants see their own applications (and nominations), reviewers only their
assignments, the operator and the committee every application (nationwide roles); the public
sees published results, aggregates only, and award pages whose holder consented."""

from __future__ import annotations

from typing import Any

from django.db.models import Q, QuerySet
from django.utils.translation import gettext as _

from tuopin.accounts.permissions import has, require
from tuopin.accounts.scoping import scope

from .errors import (
    ApplicationNotFound,
    AssignmentNotFound,
    CertificateNotFound,
    CohortNotFound,
    ProgrammeNotFound,
)
from .models import (
    Application,
    Assignment,
    Certificate,
    Cohort,
    Programme,
    RunStatus,
    SelectionRun,
    Status,
)

VIEW_ALL = "selection.view_application"


def programmes() -> QuerySet[Programme]:
    """Programmes are public metadata (name, rules, N, quotas)."""
    return Programme.objects.all()


def get_programme(slug: str) -> Programme:
    p = Programme.objects.filter(slug=slug).first()
    if p is None:
        raise ProgrammeNotFound(_("评选项目不存在"))
    return p


def applications_for(user: Any) -> QuerySet[Application]:
    """Every application for those who may see all (in their areas); else the user's own
    applications and nominations."""
    qs = Application.objects.select_related("programme")
    if has(user, VIEW_ALL):
        return scope(qs, user, "area_code")
    return own_applications(user)


def own_applications(user: Any) -> QuerySet[Application]:
    """The user's own applications and the nominations they made."""
    qs = Application.objects.select_related("programme")
    if not user.is_authenticated:
        return qs.none()
    return qs.filter(Q(applicant=user) | Q(nominated_by=user))


def get_application_for(user: Any, application_id: int) -> Application:
    app = applications_for(user).filter(pk=application_id).first()
    if app is None:
        raise ApplicationNotFound(_("申请不存在"))
    return app


def programme_applications_for(user: Any, programme: Programme) -> QuerySet[Application]:
    """The committee's and operator's view of one programme's applications."""
    require(user, VIEW_ALL)
    return scope(programme.applications.all(), user, "area_code")


def assignments_for(user: Any) -> QuerySet[Assignment]:
    """A reviewer's own queue."""
    require(user, "selection.review_application")
    return Assignment.objects.filter(reviewer=user).select_related("application__programme")


def get_assignment_for(user: Any, assignment_id: int, *, lock: bool = False) -> Assignment:
    qs = assignments_for(user)
    if lock:
        qs = qs.select_for_update(of=("self",))
    a = qs.filter(pk=assignment_id).first()
    if a is None:
        raise AssignmentNotFound(_("评审任务不存在"))
    return a


def public_metadata(a: Assignment) -> dict[str, Any]:
    """What a reviewer sees before the conflict-of-interest declaration: the number, the
    programme and the county (to judge a conflict), never the answers or evidence."""
    app = a.application
    out = {
        "number": app.number,
        "programme": app.programme.name,
        "county": app.area_code[:6],
        "county_kind": app.facts.get("county_kind"),
    }
    if not app.programme.blind:
        out |= {"name": app.name, "school": app.school}
    return out


def review_material(a: Assignment) -> dict[str, Any]:
    """The full material, once the reviewer declared no conflict (blind: no name or school)."""
    if a.declared_at is None or a.recused:
        return {}
    app = a.application
    out = public_metadata(a) | {
        "answers": app.answers,
        "evidence": list(app.evidence.values_list("label", "pk")),
    }
    return out


def latest_run(programme: Programme) -> SelectionRun | None:
    return programme.runs.exclude(status=RunStatus.SUPERSEDED).first()


def published_run(programme: Programme) -> SelectionRun | None:
    return programme.runs.filter(status=RunStatus.PUBLISHED).first()


def award_page(token: str) -> Application:
    """A selected person's public award page: only with their consent."""
    app = (
        Application.objects.filter(
            token=token, consent_public=True, status__in=[Status.SELECTED, Status.HISTORY]
        )
        .select_related("programme")
        .first()
    )
    if app is None:
        raise ApplicationNotFound(_("获奖信息不存在或未公开"))
    return app


def get_certificate(number: str) -> Certificate:
    """Public: the certificate verification page and API."""
    cert = (
        Certificate.objects.filter(number=number.strip().upper())
        .select_related("trainee__cohort")
        .first()
    )
    if cert is None:
        raise CertificateNotFound(_("证书编号 %(n)s 不存在") % {"n": number.strip()[:40]})
    return cert


def get_cohort_for(user: Any, slug: str) -> Cohort:
    """A cohort's page with its trainees: for those who run cohorts."""
    require(user, "selection.change_cohort")
    c = Cohort.objects.filter(slug=slug).first()
    if c is None:
        raise CohortNotFound(_("培训班不存在"))
    return c


def household_panel(user: Any, household: Any) -> Any:
    """The household page's 评选与奖励 section (``registry.panels``): the awards its members
    won and what has been paid, only when there are some. ``household`` was fetched with the
    registry's access function, so the user may already see its members."""
    from django.db.models import Sum

    from tuopin.registry.panels import Panel

    rows = list(
        Application.objects.filter(
            person__household=household, status__in=[Status.SELECTED, Status.HISTORY]
        )
        .select_related("programme", "person")
        .annotate(paid=Sum("instalments__amount_fen", filter=Q(instalments__paid_at__isnull=False)))
        .order_by("-programme__year", "pk")
    )
    if not rows:
        return None
    return Panel(
        title=_("评选与奖励"),
        template="selection/_household.html",
        context={"rows": rows},
        order=60,
    )
