"""Pages of the selection app: the public programme list, results, award pages and
certificate verification; applying and my applications (any logged-in user); the reviewer's
queue with the COI declaration and the rubric form."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from tuopin.accounts.selectors import acting_user
from tuopin.areas import selectors as areas
from tuopin.core import charts
from tuopin.core.errors import DomainError

from . import committee, selectors, services, training


def _raise_forbidden(exc: DomainError) -> None:
    if exc.status in (403, 404):
        raise exc


def programmes(request: HttpRequest) -> HttpResponse:
    return render(request, "selection/programmes.html", {"programmes": selectors.programmes()})


COUNTY_KINDS = {
    "poor": _("国家级贫困县"),
    "provincial": _("省级贫困县"),
    "other": _("其他县"),
    "None": _("未知"),
}


def _labelled(shares: dict[str, Any] | None) -> dict[str, Any] | None:
    """The shares with county kinds and provinces by name, for the page."""
    if shares is None:
        return None
    names = areas.areas_by_codes([p.ljust(12, "0") for p in shares["by_province"]])
    return shares | {
        "kinds": [(COUNTY_KINDS.get(k, k), n) for k, n in shares["by_county_kind"].items()],
        "provinces": [
            (names[p.ljust(12, "0")].name if p.ljust(12, "0") in names else p, n)
            for p, n in shares["by_province"].items()
        ],
    }


def results(request: HttpRequest, programme_slug: str) -> HttpResponse:
    p = selectors.get_programme(programme_slug)
    run = selectors.published_run(p)
    shares = committee.shares(p, run.selected) if run else None
    awards = (
        p.applications.filter(pk__in=run.selected, consent_public=True).order_by("pk")
        if run
        else []
    )
    history = p.applications.filter(status="history")
    past = (
        committee.shares(p, list(history.values_list("pk", flat=True)))
        if history.exists()
        else None
    )
    labelled, past_labelled = _labelled(shares), _labelled(past)
    specs = []
    if labelled:
        title = str(_("入选者按省份"))
        specs.append(charts.bar_chart("selected-provinces", title, labelled["provinces"]))
    if past_labelled:
        title = str(_("往届获奖者按省份"))
        specs.append(charts.bar_chart("past-provinces", title, past_labelled["provinces"]))
    return render(
        request,
        "selection/results.html",
        {
            "programme": p,
            "run": run,
            "shares": labelled,
            "awards": awards,
            "past": past_labelled,
            "charts": specs,
        },
    )


def award(request: HttpRequest, award_token: str) -> HttpResponse:
    return render(request, "selection/award.html", {"app": selectors.award_page(str(award_token))})


def certificate(request: HttpRequest, number: str) -> HttpResponse:
    cert = selectors.get_certificate(number)
    url = request.build_absolute_uri(reverse("selection:certificate", args=[cert.number]))
    return render(
        request,
        "selection/certificate.html",
        {"shown": training.verification(cert), "qr": training.qr_svg(url), "url": url},
    )


def verify(request: HttpRequest) -> HttpResponse:
    number = request.GET.get("number", "").strip()
    if number:
        return redirect("selection:certificate", number[:40])
    return render(request, "selection/verify.html")


@login_required
def apply(request: HttpRequest, programme_slug: str) -> HttpResponse:
    p = selectors.get_programme(programme_slug)
    if request.method == "POST":
        try:
            app = services.submit_application(
                programme=p,
                name=request.POST.get("name", ""),
                area_code=request.POST.get("area_code", ""),
                school=request.POST.get("school", ""),
                answers={f["name"]: request.POST.get(f["name"], "") for f in p.form_fields},
                evidence={
                    label: [f.read() for f in request.FILES.getlist(f"evidence_{i}")]
                    for i, label in enumerate(p.evidence)
                },
                nominate=request.POST.get("nominate") == "1",
                by=acting_user(request),
            )
        except DomainError as exc:
            _raise_forbidden(exc)
            messages.error(request, exc.message)
        else:
            return redirect("selection:application", app.pk)
    return render(request, "selection/apply.html", {"programme": p, "post": request.POST})


@login_required
def mine(request: HttpRequest) -> HttpResponse:
    return render(
        request, "selection/mine.html", {"apps": selectors.own_applications(request.user)}
    )


@login_required
def application(request: HttpRequest, application_id: int) -> HttpResponse:
    app = selectors.get_application_for(request.user, application_id)
    if request.method == "POST" and app.applicant_id == request.user.pk:
        app.consent_public = request.POST.get("consent") == "1"
        app.save(update_fields=["consent_public"])
        return redirect("selection:application", app.pk)
    labels = services.field_labels(app.programme)
    reasons = [services.failure_text(r, labels) for r in app.reasons]
    return render(request, "selection/application.html", {"app": app, "reasons": reasons})


@login_required
def queue(request: HttpRequest) -> HttpResponse:
    tasks = selectors.assignments_for(request.user).order_by("total", "pk")
    return render(
        request,
        "selection/queue.html",
        {"tasks": [(t, selectors.public_metadata(t)) for t in tasks]},
    )


@login_required
def review(request: HttpRequest, assignment_id: int) -> HttpResponse:
    task = selectors.get_assignment_for(request.user, assignment_id)
    if request.method == "POST":
        try:
            if "declare" in request.POST:
                services.declare(
                    assignment_id=task.pk,
                    conflict=request.POST["declare"] == "conflict",
                    by=acting_user(request),
                )
            else:
                services.score(
                    assignment_id=task.pk,
                    scores={
                        c: request.POST.get(f"c{i}", "")
                        for i, c in enumerate(task.application.programme.criteria)
                    },
                    comment=request.POST.get("comment", ""),
                    by=acting_user(request),
                )
                messages.success(request, _("评分已保存"))
        except DomainError as exc:
            _raise_forbidden(exc)
            messages.error(request, exc.message)
        return redirect("selection:review", task.pk)
    material = selectors.review_material(task)
    criteria = list(enumerate(task.application.programme.criteria))
    return render(
        request,
        "selection/review.html",
        {
            "task": task,
            "meta": selectors.public_metadata(task),
            "material": material,
            "criteria": [(i, c, task.scores.get(c)) for i, c in criteria],
            "scale": range(6),
        },
    )
