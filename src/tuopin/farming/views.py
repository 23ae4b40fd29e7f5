"""Officer's pages of the farming app: the counties, a county's page (flagship ranking and
choice, forecasts with their chart and back-test, plans, contracts, deliveries, income per
亩 before and after), a forecast run, a plan."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import Count, Sum
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext_lazy

from tuopin.accounts.selectors import acting_user
from tuopin.core.errors import DomainError

from . import flagship, planning, runs, selectors, services
from .chart import forecast_geometry
from .forecast import LEVEL
from .models import Delivery, Payment, PlanShare, RunStatus


def _fail(request: HttpRequest, exc: DomainError) -> None:
    if exc.status == 403:
        raise exc
    messages.error(request, exc.message)


class PlanForm(forms.Form):
    season = forms.IntegerField(label=gettext_lazy("年度"), min_value=2000, max_value=2100)
    sale_price = forms.DecimalField(
        label=gettext_lazy("售价（元/公斤）"), min_value=0, decimal_places=2
    )
    floor_price = forms.DecimalField(
        label=gettext_lazy("保护价（元/公斤）"), min_value=0, decimal_places=2
    )
    market_price = forms.DecimalField(
        label=gettext_lazy("预计市场价（元/公斤）"), min_value=0, decimal_places=2
    )
    yield_kg_per_mu = forms.IntegerField(label=gettext_lazy("亩产（公斤）"), min_value=1)
    grade_share_pct = forms.IntegerField(
        label=gettext_lazy("预计达标率（%）"), min_value=1, max_value=100, initial=80
    )
    income_before = forms.DecimalField(
        label=gettext_lazy("订单前亩收入（元）"), min_value=0, decimal_places=2, initial=0
    )


@login_required
def index(request: HttpRequest) -> HttpResponse:
    counties = selectors.counties_for(request.user)
    coops = list(selectors.cooperatives_for(request.user)[:100])
    return render(request, "farming/index.html", {"counties": counties, "coops": coops})


def _income_per_mu(county: str) -> tuple[int | None, int | None]:
    """Before (the plans' surveyed figure) and after (payments per contracted 亩)."""
    from .models import HouseholdContract, PlantingPlan

    before = (
        PlantingPlan.objects.filter(county_code=county, income_before_fen_per_mu__gt=0)
        .order_by("-created_at")
        .values_list("income_before_fen_per_mu", flat=True)
        .first()
    )
    area = HouseholdContract.objects.filter(contract__county_code=county).aggregate(
        a=Sum("area_centi_mu")
    )["a"]
    gross = Payment.objects.filter(household_contract__contract__county_code=county).aggregate(
        g=Sum("gross_fen")
    )["g"]
    after = round(gross * 100 / area) if area and gross else None
    return before, after


@login_required
def county(request: HttpRequest, county_code: str) -> HttpResponse:
    code, name = selectors.get_county_for(request.user, county_code)
    user = acting_user(request)
    if request.method == "POST":
        try:
            done = _county_post(request, user, code)
        except DomainError as exc:
            _fail(request, exc)
        else:
            if done is not None:
                return done
        return redirect("farming:county", code)
    ranked = flagship.rank_candidates(user, code)
    chosen = selectors.flagship_of(user, code)
    runs_ = list(selectors.runs_for(user).filter(county_code__startswith=code[:6])[:10])
    latest = next((r for r in runs_ if r.status == RunStatus.DONE), None)
    contracts = list(
        selectors.contracts_for(user)
        .filter(county_code=code)
        .annotate(household_count=Count("households", distinct=True))
        .prefetch_related("grades")
    )
    lots = (
        Delivery.objects.filter(household_contract__contract__in=contracts)
        .values("status")
        .annotate(n=Count("id"), kg=Sum("accepted_g"))
    )
    before, after = _income_per_mu(code)
    return render(
        request,
        "farming/county.html",
        {
            "code": code,
            "name": name,
            "ranked": ranked,
            "chosen": chosen,
            "runs": runs_,
            "latest": latest,
            "chart": _chart(latest) if latest else None,
            "backtest": list(latest.series.select_related("outlet")) if latest else [],
            "plans": list(selectors.plans_for(user).filter(county_code=code)[:5]),
            "plan_form": PlanForm(initial={"season": timezone.localdate().year}),
            "contracts": contracts,
            "lots": {r["status"]: r for r in lots},
            "before": before,
            "after": after,
            "level": LEVEL,
        },
    )


def _county_post(request: HttpRequest, user: Any, code: str) -> HttpResponse | None:
    """The county page's forms; a response when the next page is another."""
    action = request.POST.get("action")
    if action == "flagship":
        pid = int(request.POST.get("product_id") or 0)
        figures = {c.product_id: c.as_json() for c in flagship.rank_candidates(user, code)}
        services.confirm_flagship(
            by=user,
            county_code=code,
            product_id=pid,
            reason=request.POST.get("reason", ""),
            figures=figures.get(pid, {}),
        )
    elif action == "forecast":
        r = runs.start_forecast(by=user, product_id=int(request.POST.get("product_id") or 0))
        return redirect("farming:run", r.pk)
    elif action == "plan":
        form = PlanForm(request.POST)
        if not form.is_valid():
            for field, errors in form.errors.items():
                messages.error(request, f"{form.fields[field].label}: {' '.join(map(str, errors))}")
            return None
        d = form.cleaned_data
        terms = planning.Terms(
            d["season"],
            int(d["sale_price"] * 100),
            int(d["floor_price"] * 100),
            int(d["market_price"] * 100),
            d["yield_kg_per_mu"],
            d["grade_share_pct"],
            int(d["income_before"] * 100),
        )
        plan = planning.make_plan(
            by=user, run_id=int(request.POST.get("run_id") or 0), county_code=code, terms=terms
        )
        return redirect("farming:plan", plan.pk)
    return None


def _chart(run: Any) -> Any:
    ahead = [runs.add_months(run.first_month, i).isoformat()[:7] for i in range(run.horizon)]
    return forecast_geometry(
        run.history_months, run.history_kg, ahead, run.mean_kg, run.lo_kg, run.hi_kg
    )


@login_required
def run(request: HttpRequest, forecast_id: int) -> HttpResponse:
    r = selectors.get_run_for(request.user, forecast_id)
    done = r.status == RunStatus.DONE
    ahead = (
        [runs.add_months(r.first_month, i).isoformat()[:7] for i in range(r.horizon)]
        if done and r.first_month
        else []
    )
    return render(
        request,
        "farming/run.html",
        {
            "r": r,
            "going": r.status in (RunStatus.QUEUED, RunStatus.RUNNING),
            "chart": _chart(r) if done else None,
            "rows": list(zip(ahead, r.mean_kg, r.lo_kg, r.hi_kg, strict=False)),
            "series": list(r.series.select_related("outlet")),
            "fallbacks": runs.FALLBACK_LABELS,
            "level": LEVEL,
        },
    )


@login_required
def plan(request: HttpRequest, planting_plan_id: int) -> HttpResponse:
    p = selectors.get_plan_for(request.user, planting_plan_id)
    shares = list(
        PlanShare.objects.filter(plan=p)
        .select_related("household", "supplier")
        .order_by("supplier__name", "household__household_no")
    )
    return render(
        request,
        "farming/plan.html",
        {"p": p, "shares": shares, "summary": planning.plan_summary(p)},
    )
