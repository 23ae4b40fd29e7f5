"""Pages of the forest app: a person's forest (phone first), the public project pages and
certificates, the operator's set-up and flash opening with live progress, county figures,
and the partner's work to approve."""

from __future__ import annotations

import datetime as dt
import secrets

from django import forms
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from tuopin.accounts import permissions
from tuopin.accounts.selectors import acting_user
from tuopin.areas.models import Area
from tuopin.core import charts
from tuopin.core.errors import DomainError

from . import selectors, services
from .models import PayBasis, Project, WorkKind


@login_required
def mine(request: HttpRequest) -> HttpResponse:
    user = acting_user(request)
    forest = selectors.forest_of(user)
    projects = [p for p in selectors.public_projects() if p.status == "open"]
    return render(
        request,
        "forest/mine.html",
        {"forest": forest, "projects": projects, "key": secrets.token_hex(8)},
    )


@login_required
@require_POST
def collect(request: HttpRequest) -> HttpResponse:
    balls, grams = services.collect_all(by=acting_user(request))
    if balls:
        messages.success(request, _("收取了 %(g)s 克能量") % {"g": grams})
    else:
        messages.info(request, _("现在没有可收取的能量"))
    return redirect("forest:mine")


@login_required
@require_POST
def adopt(request: HttpRequest, project_slug: str) -> HttpResponse:
    try:
        units = int(request.POST.get("units", "1"))
    except ValueError:
        units = 0
    try:
        done = services.adopt(
            by=acting_user(request),
            project_slug=project_slug,
            units=units,
            key=request.POST.get("key", ""),
        )
    except DomainError as e:
        if e.status in (403, 404):
            raise
        messages.error(request, e.message)
        return redirect("forest:mine")
    return redirect("forest:certificate", certificate_token=done.adoption.token)


def projects(request: HttpRequest) -> HttpResponse:
    rows = [(p, selectors.progress(p)) for p in selectors.public_projects()[:50]]
    places = [charts.Place(p.name, p.county.longitude, p.county.latitude, g.taken) for p, g in rows]
    chart = charts.dot_map(
        "forest-projects",
        _("认种认养项目"),
        places,
        nationwide=True,
        columns=(_("项目"), _("已认领")),
    )
    return render(request, "forest/projects.html", {"rows": rows, "chart": chart})


def project(request: HttpRequest, project_slug: str) -> HttpResponse:
    p = selectors.get_public_project(project_slug)
    g = selectors.progress(p)
    chart = charts.dot_map(
        "forest-project",
        p.county.name,
        [charts.Place(p.county.name, p.county.longitude, p.county.latitude, g.taken)],
        nationwide=True,  # where in China the county lies
        columns=(_("县"), _("已认领")),
    )
    return render(request, "forest/project.html", {"p": p, "g": g, "chart": chart})


def certificate(request: HttpRequest, certificate_token: str) -> HttpResponse:
    a = selectors.certificate(certificate_token)
    ok = selectors.certificate_matches_ledger(a, origin=settings.LEDGER_ORIGIN)
    proof = selectors.certificate_proof(a) if ok else None
    return render(request, "forest/certificate.html", {"a": a, "matches": ok, "proof": proof})


class ProjectForm(forms.ModelForm):
    county_code = forms.CharField(label=gettext_lazy("县代码"), max_length=12)

    class Meta:
        model = Project
        fields = [
            "slug",
            "kind",
            "name",
            "species",
            "partner_name",
            "energy_per_unit_g",
            "units_total",
            "per_person_cap",
            "shards",
            "description",
        ]


@login_required
def manage(request: HttpRequest) -> HttpResponse:
    user = acting_user(request)
    rows = selectors.projects_for(user)
    form = ProjectForm(request.POST or None)
    if request.method == "POST":
        permissions.require(user, "forest.add_project")
        if form.is_valid():
            p = form.save(commit=False)
            county = Area.objects.filter(code=form.cleaned_data["county_code"]).first()
            if county is None:
                form.add_error("county_code", _("没有这个县"))
            else:
                p.county = county
                p.opens_at = timezone.now()
                try:
                    services.create_project(by=user, project=p)
                except DomainError as e:
                    form.add_error(None, e.message)
                else:
                    return redirect("forest:manage_project", project_slug=p.slug)
    return render(
        request,
        "forest/manage.html",
        {"rows": rows, "form": form, "may_add": permissions.has(user, "forest.add_project")},
    )


@login_required
def manage_project(request: HttpRequest, project_slug: str) -> HttpResponse:
    user = acting_user(request)
    p = selectors.get_project_for(user, project_slug)
    g = selectors.progress(p)
    named = permissions.has(user, "registry.view_person")
    orders = [
        (o, o.person.name if named else selectors.masked_name(o.person.name))
        for o in selectors.work_orders_for(user).filter(project=p)[:100]
    ]
    soon = timezone.localtime() + dt.timedelta(minutes=10)
    may_hire = permissions.has(user, "forest.add_workorder") and named
    return render(
        request,
        "forest/manage_project.html",
        {
            "p": p,
            "g": g,
            "orders": orders,
            "soon": soon.strftime("%Y-%m-%dT%H:%M"),
            "today": timezone.localdate(),
            "may_open": permissions.has(user, "forest.change_project"),
            "may_hire": may_hire,
            "hireable": selectors.hireable_people(user, p) if may_hire else [],
            "may_record": permissions.has(user, "forest.add_worklog"),
            "may_check": permissions.has(user, "forest.add_survivalcheck"),
            "kinds": WorkKind.choices,
            "bases": PayBasis.choices,
        },
    )


@login_required
@require_POST
def open_project(request: HttpRequest, project_slug: str) -> HttpResponse:
    user = acting_user(request)
    p = selectors.get_project_for(user, project_slug)
    raw = request.POST.get("opens_at", "")
    try:
        at = timezone.make_aware(dt.datetime.fromisoformat(raw)) if raw else None
    except ValueError:
        messages.error(request, _("开放时间格式不对"))
        return redirect("forest:manage_project", project_slug=p.slug)
    services.open_project(by=user, slug=p.slug, opens_at=at)
    messages.success(request, _("已设定开放时间"))
    return redirect("forest:manage_project", project_slug=p.slug)


@login_required
def figures(request: HttpRequest) -> HttpResponse:
    rows = selectors.county_figures(acting_user(request))
    chart = charts.bar_chart(
        "forest-wages",
        _("生态岗位工资（元）"),
        [(r.name, r.wages_fen // 100) for r in rows],
        columns=(_("县"), _("元")),
    )
    return render(request, "forest/figures.html", {"rows": rows, "chart": chart})


@login_required
def work(request: HttpRequest) -> HttpResponse:
    logs = selectors.pending_logs_for(acting_user(request))[:200]
    return render(request, "forest/work.html", {"logs": logs})


@login_required
@require_POST
def approve(request: HttpRequest, log_id: int) -> HttpResponse:
    log = services.approve_work(by=acting_user(request), log_id=log_id)
    messages.success(request, _("已审核并发放工资 %(y)s 元") % {"y": f"{log.wage_fen / 100:.2f}"})
    return redirect("forest:work")
