"""Pages for a project's work: hiring a registered poor person (officers of the county, the
operator), recording days or pieces and survival checks (the planting partner). Each checks
the permission before it reads the form; a bad form comes back with its message."""

from __future__ import annotations

import datetime as dt

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from tuopin.accounts import permissions
from tuopin.accounts.selectors import acting_user
from tuopin.core.errors import DomainError
from tuopin.core.money import parse_yuan

from . import selectors, work


def _int(raw: str | None) -> int:
    try:
        return int(raw or "")
    except ValueError:
        return 0


def _date(raw: str | None) -> dt.date | None:
    try:
        return dt.date.fromisoformat(raw or "")
    except ValueError:
        return None


def _refused(request: HttpRequest, e: DomainError) -> None:
    if e.status in (401, 403, 404):
        raise e
    messages.error(request, e.message)


@login_required
@require_POST
def hire(request: HttpRequest, project_slug: str) -> HttpResponse:
    user = acting_user(request)
    permissions.require(user, work.ADD_ORDER, _("没有安排用工的权限"))
    project = selectors.get_project_for(user, project_slug)
    try:
        rate = parse_yuan(request.POST.get("rate", ""))
    except ValueError:
        rate = 0
    person_id = _int(request.POST.get("person"))
    try:
        if not person_id:
            raise DomainError(_("请选择人员"), code="missing_person")
        work.hire(
            by=user,
            project_slug=project.slug,
            person_id=person_id,
            kind=request.POST.get("kind", ""),
            basis=request.POST.get("basis", ""),
            rate_fen=rate,
        )
    except DomainError as e:
        _refused(request, e)
    else:
        messages.success(request, _("已安排用工"))
    return redirect("forest:manage_project", project_slug=project.slug)


@login_required
@require_POST
def record(request: HttpRequest, order_id: int) -> HttpResponse:
    user = acting_user(request)
    permissions.require(user, work.ADD_LOG, _("没有登记出工的权限"))
    order = selectors.get_work_order_for(user, order_id)
    on = _date(request.POST.get("on"))
    try:
        if on is None:
            raise DomainError(_("日期无效"), code="bad_date")
        work.record_work(
            by=user, order_id=order.pk, on=on, quantity=_int(request.POST.get("quantity"))
        )
    except DomainError as e:
        _refused(request, e)
    else:
        messages.success(request, _("已登记，待审核"))
    return redirect("forest:manage_project", project_slug=order.project.slug)


@login_required
@require_POST
def survival(request: HttpRequest, project_slug: str) -> HttpResponse:
    user = acting_user(request)
    permissions.require(user, work.CHECK, _("没有登记成活率核查的权限"))
    project = selectors.get_project_for(user, project_slug)
    upload = request.FILES.get("photo")
    on = _date(request.POST.get("checked_on"))
    try:
        if upload is None or on is None:
            raise DomainError(_("请填写核查日期并上传现场照片"), code="missing_photo")
        work.record_survival(
            by=user,
            project_slug=project.slug,
            checked_on=on,
            planted=_int(request.POST.get("planted")),
            alive=_int(request.POST.get("alive")),
            photo=upload.read(),
        )
    except DomainError as e:
        _refused(request, e)
    else:
        messages.success(request, _("已登记成活率核查"))
    return redirect("forest:manage_project", project_slug=project.slug)
