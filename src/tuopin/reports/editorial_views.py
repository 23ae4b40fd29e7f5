"""Pages for what operators write for the report: the chronicle (大事记), where everyone reads
the events of a period and operators record or remove them, and the featured cases
(典型案例), which operators write, illustrate and link to indicators for the report."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from tuopin.accounts import permissions
from tuopin.accounts.selectors import acting_user
from tuopin.core import indicators, periods
from tuopin.core.errors import DomainError
from tuopin.documents.evidence import read_photo, read_upload

from . import editorial, services
from .dashboard import parse_period
from .workreport import DIRECTIONS

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class EventForm(forms.Form):
    day = forms.DateField(label=gettext_lazy("日期"), widget=DATE)
    title = forms.CharField(label=gettext_lazy("事件"), max_length=120)
    text = forms.CharField(
        label=gettext_lazy("说明"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    area = forms.CharField(label=gettext_lazy("区划代码（可不填）"), required=False, max_length=12)
    url = forms.CharField(label=gettext_lazy("链接（可不填）"), required=False, max_length=300)
    public = forms.BooleanField(label=gettext_lazy("公开"), required=False, initial=True)


class CaseForm(forms.Form):
    direction = forms.ChoiceField(label=gettext_lazy("篇章"))
    day = forms.DateField(label=gettext_lazy("日期"), widget=DATE)
    title = forms.CharField(label=gettext_lazy("标题"), max_length=120)
    area = forms.CharField(label=gettext_lazy("地点（区划代码）"), required=False, max_length=12)
    text = forms.CharField(label=gettext_lazy("正文"), widget=forms.Textarea(attrs={"rows": 6}))
    indicators = forms.CharField(
        label=gettext_lazy("相关指标（代号，逗号分隔）"), required=False, max_length=300
    )
    photo = forms.FileField(
        label=gettext_lazy("照片"),
        required=False,
        widget=forms.ClearableFileInput(attrs={"accept": "image/jpeg,image/png"}),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["direction"].choices = [(k, t) for k, t, _s in DIRECTIONS]  # type: ignore[attr-defined]


def _refused(request: HttpRequest, exc: DomainError) -> None:
    if exc.status in (403, 404):
        raise exc
    messages.error(request, exc.message)


def chronicle(request: HttpRequest) -> HttpResponse:
    """The period's events (the half-year holding today unless asked), for everyone."""
    user = request.user
    text = request.GET.get("period")
    period = parse_period(text) if text else periods.containing(timezone.localdate(), periods.HALF)
    may_add = permissions.has(user, services.ADD_EVENT)
    return render(
        request,
        "reports/chronicle.html",
        {
            "period": period,
            "previous": period.previous,
            "next": period.shifted(1),
            "rows": editorial.chronicle_of(user, period),
            "form": EventForm(initial={"day": timezone.localdate()}) if may_add else None,
            "may_remove": permissions.has(user, services.DELETE_EVENT),
        },
    )


@login_required
@require_POST
def chronicle_add(request: HttpRequest) -> HttpResponse:
    user = acting_user(request)
    permissions.require(user, services.ADD_EVENT, _("没有记录大事记的权限"))
    form = EventForm(request.POST)
    if not form.is_valid():
        for errors in form.errors.values():
            messages.error(request, " ".join(str(e) for e in errors))
        return redirect("chronicle")
    data = form.cleaned_data
    try:
        services.record_event(
            day=data["day"],
            title=data["title"],
            text=data["text"],
            area_code=data["area"],
            url=data["url"],
            public=data["public"],
            by=user,
        )
    except DomainError as exc:
        _refused(request, exc)
    else:
        messages.success(request, _("已记入大事记"))
    period = periods.containing(data["day"], periods.HALF)
    return redirect(f"{reverse('chronicle')}?period={period.code}")


@login_required
@require_POST
def event_remove(request: HttpRequest, event_id: int) -> HttpResponse:
    user = acting_user(request)
    found = editorial.get_event_for(user, event_id)
    services.remove_event(event=found, by=user)
    messages.success(request, _("已从大事记中删除"))
    return redirect("chronicle")


def _case_args(form: CaseForm, request: HttpRequest) -> dict[str, Any]:
    data = form.cleaned_data
    upload = request.FILES.get("photo")
    return {
        "direction": data["direction"],
        "day": data["day"],
        "title": data["title"],
        "text": data["text"],
        "area_code": data["area"],
        "indicators": data["indicators"],
        "photo": read_upload(upload) if upload is not None else None,
    }


@login_required
def cases(request: HttpRequest) -> HttpResponse:
    """The featured cases, by chapter, and a form to add one."""
    user = acting_user(request)
    rows = editorial.cases_for(user)  # 403 without the permission
    may_add = permissions.has(user, services.ADD_CASE)
    form = CaseForm(request.POST or None, request.FILES or None) if may_add else None
    if request.method == "POST":
        permissions.require(user, services.ADD_CASE, _("没有添加典型案例的权限"))
        assert form is not None
        if form.is_valid():
            try:
                case = services.feature_case(**_case_args(form, request), by=user)
            except DomainError as exc:
                _refused(request, exc)
            else:
                messages.success(request, _("已添加典型案例"))
                return redirect("featured_case", case.pk)
    elif form is not None:
        form.initial = {"day": timezone.localdate()}
    titles = dict((k, t) for k, t, _s in DIRECTIONS)
    listed = [(c, titles.get(c.direction, c.direction)) for c in rows.order_by("-day", "-pk")]
    return render(request, "reports/cases.html", {"rows": listed, "form": form})


@login_required
def case(request: HttpRequest, featured_id: int) -> HttpResponse:
    """One featured case: read it, correct it, replace its photo, or remove it."""
    user = acting_user(request)
    found = editorial.get_case_for(user, featured_id)
    may_change = permissions.has(user, services.CHANGE_CASE)
    initial = {
        "direction": found.direction,
        "day": found.day,
        "title": found.title,
        "area": found.area_code,
        "text": found.text,
        "indicators": found.indicators,
    }
    form = CaseForm(request.POST or None, request.FILES or None, initial=initial)
    if request.method == "POST":
        permissions.require(user, services.CHANGE_CASE, _("没有修改典型案例的权限"))
        if form.is_valid():
            try:
                services.update_case(case=found, **_case_args(form, request), by=user)
            except DomainError as exc:
                _refused(request, exc)
            else:
                messages.success(request, _("已保存"))
                return redirect("featured_case", found.pk)
    return render(
        request,
        "reports/case.html",
        {
            "case": found,
            "linked": [
                ind.name
                for code in filter(None, found.indicators.split(","))
                if (ind := indicators.get(code)) is not None
            ],
            "form": form if may_change else None,
            "may_remove": permissions.has(user, services.DELETE_CASE),
        },
    )


@login_required
def case_photo(request: HttpRequest, featured_id: int) -> HttpResponse:
    found = editorial.get_case_for(request.user, featured_id)
    if found.photo is None:
        from tuopin.core.errors import NotFound

        raise NotFound(_("这个案例没有照片"))
    response = HttpResponse(read_photo(found.photo), content_type=found.photo.media_type)
    response["Cache-Control"] = "private, max-age=3600"
    return response


@login_required
@require_POST
def case_remove(request: HttpRequest, featured_id: int) -> HttpResponse:
    user = acting_user(request)
    found = editorial.get_case_for(user, featured_id)
    services.remove_case(case=found, by=user)
    messages.success(request, _("已删除典型案例"))
    return redirect("featured_cases")
