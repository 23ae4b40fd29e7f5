"""Pages of the childcare app: siting plans for a county officer (ask, watch, read, export)
and the candidate sites they add."""

from __future__ import annotations

from decimal import Decimal

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from tuopin.accounts import permissions
from tuopin.accounts.selectors import acting_user
from tuopin.core.errors import DomainError

from . import mapping, planning, selectors, services
from .export import plan_workbook
from .models import PlanStatus, SiteKind
from .services import ADD_SITE
from .siting import Place


class PlanForm(forms.Form):
    county = forms.ChoiceField(label=gettext_lazy("县"))
    centres = forms.IntegerField(
        label=gettext_lazy("中心数（至多）"),
        min_value=1,
        max_value=planning.MAX_CENTRES,
        initial=20,
    )
    radius_m = forms.IntegerField(
        label=gettext_lazy("服务半径（米）"),
        min_value=planning.MIN_RADIUS_M,
        max_value=planning.MAX_RADIUS_M,
        initial=1000,
    )
    min_children = forms.IntegerField(
        label=gettext_lazy("半径内儿童须多于（人）"), min_value=0, max_value=1000, initial=10
    )
    on = forms.DateField(
        label=gettext_lazy("按此日期计算年龄"),
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )

    def __init__(self, *args: object, counties: list[tuple[str, str]], **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self.fields["county"].choices = counties  # type: ignore[attr-defined]
        self.fields["on"].initial = timezone.localdate()


class SiteForm(forms.Form):
    county = forms.CharField(widget=forms.HiddenInput)
    name = forms.CharField(label=gettext_lazy("名称"), max_length=100)
    kind = forms.ChoiceField(label=gettext_lazy("类型"), choices=SiteKind.choices)
    village = forms.CharField(label=gettext_lazy("所在村代码"), max_length=12)
    longitude = forms.DecimalField(
        label=gettext_lazy("经度"), max_digits=9, decimal_places=6, min_value=-180, max_value=180
    )
    latitude = forms.DecimalField(
        label=gettext_lazy("纬度"), max_digits=9, decimal_places=6, min_value=-90, max_value=90
    )
    floor_area_m2 = forms.IntegerField(
        label=gettext_lazy("面积（平方米）"), min_value=1, max_value=10_000, required=False
    )
    monthly_rent = forms.DecimalField(
        label=gettext_lazy("月租金（元）"), min_value=Decimal(0), decimal_places=2, required=False
    )


@login_required
def plans(request: HttpRequest) -> HttpResponse:
    """Siting plans of the user's counties, and the form that asks for a new one."""
    found = selectors.plans_for(request.user)  # 403 without the permission
    counties = selectors.counties_for(request.user)
    form = PlanForm(request.POST or None, counties=counties)
    if request.method == "POST" and form.is_valid():
        try:
            plan = planning.start_plan(
                by=acting_user(request),
                county_code=form.cleaned_data["county"],
                centres=form.cleaned_data["centres"],
                radius_m=form.cleaned_data["radius_m"],
                min_children=form.cleaned_data["min_children"],
                on=form.cleaned_data["on"],
            )
        except DomainError as exc:
            if exc.status == 403:
                raise
            messages.error(request, exc.message)
        else:
            return redirect("childcare:plan", plan.pk)
    names = dict(counties)
    rows = [(p, names.get(p.county_code, p.county_code)) for p in found[:50]]
    return render(request, "childcare/plans.html", {"rows": rows, "form": form})


@login_required
def plan(request: HttpRequest, plan_id: int) -> HttpResponse:
    """One plan: its answer, map, sites and what one more centre would add."""
    p = selectors.get_plan_for(request.user, plan_id)
    sites = list(p.sites.all())
    names = {row[0]: row[1] for row in p.demand_points}
    chosen_codes = {s.code for s in sites}
    site_map = mapping.layout(
        [Place(c, n, lon, lat, k) for c, n, lon, lat, k in p.demand_points],
        [Place(c, n, lon, lat) for c, n, lon, lat in p.candidate_points if c not in chosen_codes],
        [
            (Place(s.code, s.name, float(s.longitude), float(s.latitude)), s.children_covered)
            for s in sites
        ],
        p.radius_m,
    )
    return render(
        request,
        "childcare/plan.html",
        {
            "p": p,
            "county": selectors.county_name(p.county_code),
            "sites": [(s, [names.get(v, v) for v in s.villages]) for s in sites],
            "map": site_map,
            "going": p.status in (PlanStatus.QUEUED, PlanStatus.RUNNING),
            "candidates": selectors.candidate_sites_for(request.user, p.county_code),
            "site_form": SiteForm(initial={"county": p.county_code}),
            "percent_covered": round(100 * p.children_covered / p.eligible_children, 1)
            if p.eligible_children
            else None,
        },
    )


@login_required
def plan_export(request: HttpRequest, plan_id: int) -> HttpResponse:
    p = selectors.get_plan_for(request.user, plan_id)
    response = HttpResponse(
        plan_workbook(p),
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
    response["Content-Disposition"] = f'attachment; filename="siting-{p.county_code}-{p.pk}.xlsx"'
    return response


@login_required
def add_site(request: HttpRequest) -> HttpResponse:
    """POST: a candidate site for a county (then ask for a new plan to consider it)."""
    permissions.require(request.user, ADD_SITE, _("没有添加备选场地的权限"))
    form = SiteForm(request.POST or None)
    back = request.POST.get("next", "")
    if not url_has_allowed_host_and_scheme(back, allowed_hosts={request.get_host()}):
        back = reverse("childcare:plans")
    if request.method != "POST":
        return redirect(back)
    if not form.is_valid():
        for name, errors in form.errors.items():
            label = form.fields[name].label if name in form.fields else name
            messages.error(request, f"{label}: {' '.join(str(e) for e in errors)}")
        return redirect(back)
    rent = form.cleaned_data["monthly_rent"] or Decimal(0)
    try:
        site = services.add_candidate_site(
            by=acting_user(request),
            county_code=form.cleaned_data["county"],
            village_code=form.cleaned_data["village"],
            name=form.cleaned_data["name"],
            kind=form.cleaned_data["kind"],
            longitude=form.cleaned_data["longitude"],
            latitude=form.cleaned_data["latitude"],
            floor_area_m2=form.cleaned_data["floor_area_m2"],
            monthly_rent_fen=int(rent * 100),
        )
    except DomainError as exc:
        if exc.status == 403:
            raise
        messages.error(request, exc.message)
    else:
        messages.success(
            request, _("已添加备选场地：%(n)s（重新计算方案后生效）") % {"n": site.name}
        )
    return redirect(back)
