"""The committee's page for one programme (ranking, reviewer severity, quotas, the
optimiser's proposal with marginal candidates and quota costs, confirm or override), and the
operator's pages for cohorts and the campus hiring funnel."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import Count
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from tuopin.accounts import permissions
from tuopin.accounts.selectors import acting_user
from tuopin.core.errors import DomainError

from . import committee as deciding
from . import hiring, normalise, selectors, services, training
from .models import Assignment, Status


@login_required
def committee(request: HttpRequest, programme_slug: str) -> HttpResponse:
    p = selectors.get_programme(programme_slug)
    apps = selectors.programme_applications_for(request.user, p)
    user = acting_user(request)
    if request.method == "POST":
        action = request.POST.get("action", "")
        try:
            if action == "assign":
                plan = services.assign_reviewers(programme=p, by=user)
                messages.success(request, _("已分配 %(n)d 个评审任务") % {"n": len(plan.pairs)})
                if plan.short:
                    messages.error(request, _("%(n)d 份申请评审人不足") % {"n": len(plan.short)})
            elif action == "score":
                services.recompute_scores(programme=p, by=user)
            elif action == "propose":
                services.recompute_scores(programme=p, by=user)
                deciding.propose(programme=p, by=user)
            elif action == "publish":
                raw = request.POST.get("selected", "").replace("，", ",")
                chosen = (
                    [int(x) for x in raw.split(",") if x.strip().isdigit()] if raw.strip() else None
                )
                deciding.publish(
                    run_id=int(request.POST.get("run", "0") or 0),
                    selected=chosen,
                    reason=request.POST.get("reason", ""),
                    by=user,
                )
            elif action == "pay":
                n = deciding.pay_instalment(
                    programme=p, number=int(request.POST.get("number", "1")), by=user
                )
                messages.success(request, _("已支付 %(n)d 笔") % {"n": n})
        except DomainError as exc:
            if exc.status in (403, 404):
                raise
            messages.error(request, exc.message)
        return redirect("selection:committee", p.slug)
    run = selectors.latest_run(p)
    ranked = []
    if run:
        names = dict(apps.values_list("pk", "name"))
        picked = set(run.selected)
        ranked = [
            (i + 1, pk, names.get(pk, ""), s, pk in picked)
            for i, (pk, s) in enumerate(run.result["ranked"])
        ]
    marks = [
        normalise.Mark(str(r), str(a), float(t or 0))
        for r, a, t in Assignment.objects.filter(
            application__programme=p, total__isnull=False, recused=False
        ).values_list("reviewer__username", "application_id", "total")
    ]
    return render(
        request,
        "selection/committee.html",
        {
            "programme": p,
            "counts": [
                (Status(c["status"]).label, c["n"])
                for c in apps.values("status").order_by("status").annotate(n=Count("pk"))
            ],
            "review": services.scored_counts(p),
            "severity": sorted(normalise.severities(marks).values(), key=lambda s: s.z),
            "run": run,
            "ranked": ranked[:200],
            "may_decide": permissions.has(user, deciding.DECIDE),
            "may_manage": permissions.has(user, "selection.change_programme"),
        },
    )


@login_required
def cohort(request: HttpRequest, cohort_slug: str) -> HttpResponse:
    c = selectors.get_cohort_for(request.user, cohort_slug)
    trainees = c.trainees.select_related("certificate").order_by("pk")
    return render(
        request,
        "selection/cohort.html",
        {"cohort": c, "summary": training.cohort_summary(c), "trainees": trainees},
    )


@login_required
def hiring_funnel(request: HttpRequest) -> HttpResponse:
    return render(request, "selection/hiring.html", {"funnels": hiring.funnels_for(request.user)})
