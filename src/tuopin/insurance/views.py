"""Pages of the insurance app: the cadre's village view and villager page, and the operator's
programme pages (set-up, progress with charts, enrollment runs)."""

from __future__ import annotations

import datetime as dt

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.gzip import gzip_page
from django.views.decorators.http import require_POST

from tuopin.accounts import permissions
from tuopin.accounts.selectors import acting_user
from tuopin.core import charts
from tuopin.core import errors as core_errors
from tuopin.core.errors import DomainError, NotFound

from . import progress, runs, selectors, services
from .charts import county_charts, county_page_link
from .errors import InsufficientFunds
from .models import ExitReason, Programme, RunStatus
from .programme_forms import CoverageFormSet, ProgrammeForm
from .templatetags import cover as cover_tags


@login_required
def villages(request: HttpRequest) -> HttpResponse:
    """Pick a village (a cadre with one village goes straight to it)."""
    q = request.GET.get("q", "").strip()
    found = list(selectors.villages_for(request.user, q=q)[:201])
    if len(found) == 1 and not q:
        return redirect("insurance:village", found[0].code)
    return render(
        request,
        "insurance/villages.html",
        {"villages": found[:200], "more": len(found) > 200, "q": q},
    )


# Rows per page of the village view: the first screen on a phone, and each load after it.
VILLAGE_PAGE = 50


def _village_page(
    request: HttpRequest, code: str
) -> tuple[selectors.VillageCover, dict[str, object]]:
    """The village view's page of rows for the request's search (``q``, ``uncovered``,
    ``page``), its rows already HTML (one string: no per-row template work), and the link to
    the next page."""
    q = request.GET.get("q", "").strip()
    uncovered = request.GET.get("uncovered") == "1"
    try:
        page = max(1, int(request.GET.get("page", "1")))
    except ValueError:
        page = 1
    cover = selectors.village_cover(  # 403 / 404 through the middleware
        request.user,
        code,
        q=q,
        uncovered=uncovered,
        offset=(page - 1) * VILLAGE_PAGE,
        limit=VILLAGE_PAGE,
    )
    labels = {
        "name": _("姓名"),
        "household": _("户"),
        "age": _("年龄"),
        "cover": _("保障"),
        "none": _("未参保"),
    }
    # One reverse() for the page, not one per villager.
    villager_url = reverse("insurance:villager", args=[0])[: -len("0/")]
    rows = mark_safe(  # noqa: S308 - villager_row escapes every value
        "\n".join(cover_tags.villager_row(v, villager_url, labels) for v in cover.villagers)
    )
    shown = min(page * VILLAGE_PAGE, cover.total)
    more = ""
    if shown < cover.total:
        query: dict[str, str | int] = {"q": q, "page": page + 1}
        if uncovered:
            query = {"q": q, "uncovered": "1", "page": page + 1}
        more = "?" + urlencode(query)
    return cover, {
        "q": q,
        "uncovered": uncovered,
        "rows": rows,
        "labels": labels,
        "shown": shown,
        "more": more,
    }


@login_required
def village(request: HttpRequest, code: str) -> HttpResponse:
    """1 个村干部 + 1 个手机: every villager's cover and what remains of it. Search first;
    the rows come a page at a time (the script loads the next page as the list is read,
    a link does without it), so that a village of thousands opens fast on a weak phone."""
    cover, context = _village_page(request, code)
    return render(
        request,
        "insurance/village.html",
        {
            **context,
            "cover": cover,
            "cards": cover_tags.cards(
                cover, filtered=bool(context["q"]), uncovered=bool(context["uncovered"])
            ),
            "rows_url": reverse("insurance:village_rows", args=[code]),
        },
    )


@gzip_page
@login_required
def village_rows(request: HttpRequest, code: str) -> HttpResponse:
    """The next page of the village view's rows, as ``<tr>`` elements (the page's script
    appends them); ``X-More`` is the query of the page after it, empty at the end.

    Compressed: unlike the page, it holds no CSRF token and does not echo the search, so
    gzip gives a BREACH attacker no secret to guess at (ADR 0016).
    """
    _cover, context = _village_page(request, code)
    response = HttpResponse(context["rows"], content_type="text/html; charset=utf-8")
    response["X-More"] = str(context["more"])
    response["Cache-Control"] = "private, no-store"
    return response


class ExitForm(forms.Form):
    reason = forms.ChoiceField(label=gettext_lazy("退出原因"), choices=ExitReason.choices)
    note = forms.CharField(label=gettext_lazy("说明"), max_length=200, required=False)


@login_required
def villager(request: HttpRequest, person_id: int) -> HttpResponse:
    """One villager's policies, cover and payouts; an operator may end a policy here."""
    cover = selectors.person_cover(request.user, person_id)  # 403 / 404 through the middleware
    may_exit = request.user.has_perm("insurance.change_policy")
    if request.method == "POST":
        if not may_exit:
            raise PermissionDenied
        form = ExitForm(request.POST)
        if form.is_valid():
            try:
                services.exit_policy(
                    by=acting_user(request),
                    policy_no=request.POST.get("policy_no", ""),
                    reason=form.cleaned_data["reason"],
                    note=form.cleaned_data["note"],
                )
            except NotFound:
                raise  # the 404 page (core.middleware)
            except DomainError as exc:
                messages.error(request, exc.message)
            else:
                messages.success(request, _("保单已退出，已记入公开账本"))
            return redirect("insurance:villager", person_id)
    return render(
        request,
        "insurance/villager.html",
        {"c": cover, "may_exit": may_exit, "exit_form": ExitForm()},
    )


# -- operators and observers -------------------------------------------------------------


@login_required
@permission_required("insurance.view_progress", raise_exception=True)
def programmes(request: HttpRequest) -> HttpResponse:
    rows = progress.programme_summaries(request.user)
    return render(request, "insurance/programmes.html", {"rows": rows})


class EnrollForm(forms.Form):
    period_start = forms.DateField(
        label=gettext_lazy("保险期间起"),
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )
    override_reason = forms.CharField(
        label=gettext_lazy("超出善款时的原因（可空）"),
        help_text=gettext_lazy("原因会公开显示在募捐活动页面上：不要写个人信息。"),
        max_length=200,
        required=False,
    )


@login_required
@permission_required("insurance.view_progress", raise_exception=True)
def programme(request: HttpRequest, slug: str) -> HttpResponse:
    """A programme's progress: insured by county and age band, premiums, payouts, runs.
    Aggregates only: observers see this page and never a person.

    Enrollment is a POST in up to two steps, each writing nothing until the last:
    ``action=preview`` counts; ``action=start`` checks the run as it will be checked and shows
    the money for confirmation (or the refusal, with the numbers); only ``confirm=1`` starts it.
    """
    prog = get_object_or_404(Programme.objects.select_related("campaign"), slug=slug)
    period = None
    if request.GET.get("period"):
        try:
            period = dt.date.fromisoformat(request.GET["period"])
        except ValueError:
            period = None
    figures = progress.programme_progress(request.user, prog, period)
    may_enroll = permissions.has(request.user, "insurance.add_enrollmentrun")
    form = EnrollForm(initial={"period_start": figures.period_start or prog.starts_on})
    preview = plan = refusal = None
    if request.method == "POST":
        form = EnrollForm(request.POST)
        action = request.POST.get("action", "start")
        if form.is_valid():
            enroll = {
                "user": acting_user(request),
                "programme_slug": prog.slug,
                "period_start": form.cleaned_data["period_start"],
                "override_reason": form.cleaned_data["override_reason"],
            }
            try:
                if action == "preview":  # one COUNT, nothing written
                    preview = services.plan_run(**enroll, require_funds=False)
                elif request.POST.get("confirm") == "1":
                    return redirect("insurance:run", services.start_run(**enroll).pk)
                else:
                    plan = services.plan_run(**enroll)
            except (NotFound, core_errors.PermissionDenied):
                raise  # a 404 or 403 page (core.middleware)
            except InsufficientFunds as exc:
                d = exc.detail
                refusal = services.Preview(d["people"], d["need_fen"], d["available_fen"])
            except DomainError as exc:
                form.add_error(None, exc.message)
    return render(
        request,
        "insurance/programme.html",
        {
            "p": prog,
            "g": figures,
            "coverage": prog.coverage.order_by("id"),
            **county_charts(figures.by_county, link=county_page_link(request.user)),
            "age_chart": charts.bar_chart(
                "ages",
                _("按年龄段"),
                figures.by_age,
                columns=(_("年龄段"), _("在保人数")),
            ),
            "benefit_chart": charts.bar_chart(
                "benefits",
                _("赔付按保障"),
                [(label, fen // 100) for label, fen in figures.by_benefit],
                unit=_("元"),
                columns=(_("保障"), _("赔付金额")),
            ),
            "may_enroll": may_enroll,
            "form": form,
            "preview": preview,
            "plan": plan,
            "refusal": refusal,
        },
    )


@login_required
@permission_required("insurance.view_progress", raise_exception=True)
def run(request: HttpRequest, run_id: int) -> HttpResponse:
    """An enrollment run's progress bar (refreshes itself while the run is going)."""
    r = progress.get_run_for(request.user, run_id)
    if request.GET.get("format") == "json":
        return JsonResponse(runs.summary(r))
    going = r.status in (RunStatus.QUEUED, RunStatus.RUNNING)
    may_resume = r.status in runs.RESUMABLE and request.user.has_perm("insurance.add_enrollmentrun")
    return render(request, "insurance/run.html", {"r": r, "going": going, "may_resume": may_resume})


@login_required
@require_POST
def resume_run(request: HttpRequest, run_id: int) -> HttpResponse:
    """Queue an interrupted or failed run again (enrollment is idempotent)."""
    try:
        runs.resume_run(by=acting_user(request), run_id=run_id)
    except (NotFound, core_errors.PermissionDenied):
        raise  # a 404 or 403 page (core.middleware)
    except DomainError as exc:
        messages.error(request, exc.message)
    return redirect("insurance:run", run_id=run_id)


@login_required
@permission_required("insurance.add_programme", raise_exception=True)
def programme_edit(request: HttpRequest, slug: str | None = None) -> HttpResponse:
    """Set up a programme: its eligibility rule and its coverage items, in one form."""
    instance = get_object_or_404(Programme, slug=slug) if slug else Programme()
    form = ProgrammeForm(request.POST or None, instance=instance)
    formset = CoverageFormSet(request.POST or None, instance=instance, prefix="cov")
    if request.method == "POST" and form.is_valid() and formset.is_valid():
        try:
            saved = services.save_programme(
                by=acting_user(request),
                programme=form.save(commit=False),
                counties=form.cleaned_data["counties"],
                adjusters=form.cleaned_data["adjusters"],
                coverage=formset.save(commit=False),
                removed=formset.deleted_objects,
            )
        except DomainError as exc:
            form.add_error(None, exc.message)
        else:
            messages.success(request, _("保险项目已保存"))
            return redirect("insurance:programme", saved.slug)
    return render(
        request,
        "insurance/programme_form.html",
        {
            "form": form,
            "formset": formset,
            "counties": form.county_groups(),
            "p": instance if slug else None,
        },
    )
