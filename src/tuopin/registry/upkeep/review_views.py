"""Pages of the annual review (动态调整): the rounds (a county officer opens one), a round's
progress per township and village, a village's households with their facts, notice,
objections and the chain's decisions, and the county's list of what changed."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.http import FileResponse, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from tuopin.accounts import approvals, scoping
from tuopin.accounts.selectors import acting_user
from tuopin.core.errors import DomainError
from tuopin.core.money import parse_yuan, yuan_digits

from . import evidence, review, review_reads
from .models import Objection, ReviewItem
from .proposals import CHECKS

VIEW = "registry.view_reviewround"


def _fen(text: str) -> int | None:
    try:
        return parse_yuan(text)
    except (ValueError, ArithmeticError):
        return None


@login_required
@permission_required(VIEW, raise_exception=True)
def rounds(request: HttpRequest) -> HttpResponse:
    """GET the rounds; POST (county officers) opens one."""
    if request.method == "POST":
        line, year = _fen(request.POST.get("line", "")), request.POST.get("year", "")
        try:
            if line is None or not year.isdigit():
                raise DomainError(_("请填写年度和贫困线（元）"))
            rnd = review.open_review(
                county=request.POST.get("county", ""),
                year=int(year),
                line_fen=line,
                notice_days=int(request.POST.get("notice_days") or 7),
                by=acting_user(request),
            )
        except DomainError as exc:
            messages.error(request, exc.message)
        else:
            return redirect(rnd)
    prefixes = scoping.area_prefixes(request.user) or []
    return render(
        request,
        "registry/reviews.html",
        {
            "rounds": review_reads.rounds_for(request.user),
            "counties": sorted({p[:6].ljust(12, "0") for p in prefixes if len(p) >= 6}),
            "year": timezone.localdate().year,
        },
    )


@login_required
@permission_required(VIEW, raise_exception=True)
def round_progress(request: HttpRequest, round_id: int) -> HttpResponse:
    rnd = review_reads.get_round_for(request.user, round_id)
    return render(
        request,
        "registry/review.html",
        {"rnd": rnd, "towns": review_reads.progress_of(request.user, rnd)},
    )


@login_required
@permission_required(VIEW, raise_exception=True)
def round_changes(request: HttpRequest, round_id: int) -> HttpResponse:
    rnd = review_reads.get_round_for(request.user, round_id)
    return render(
        request,
        "registry/review_changes.html",
        {"rnd": rnd, "items": review_reads.changes_of(request.user, rnd)},
    )


@login_required
@permission_required(VIEW, raise_exception=True)
def village(request: HttpRequest, round_id: int, code: str) -> HttpResponse:
    rnd = review_reads.get_round_for(request.user, round_id)
    vr = review_reads.get_village_review_for(request.user, rnd, code)
    items = list(review_reads.items_of(request.user, vr))
    objections: dict[int, list[Any]] = {}
    for o in Objection.objects.filter(item__in=items).order_by("raised_at"):
        objections.setdefault(o.item_id, []).append(o)
    labels = {c: getattr(ReviewItem._meta.get_field(c), "verbose_name", c) for c in CHECKS}
    for i in items:
        i.objection_list = objections.get(i.pk, [])  # type: ignore[attr-defined]
        i.check_rows = [(c, labels[c], getattr(i, c)) for c in CHECKS]  # type: ignore[attr-defined]
        income = "" if i.income_fen is None else yuan_digits(i.income_fen).replace(",", "")
        i.income_yuan = income  # type: ignore[attr-defined]
    allowed = (
        approvals.allowed_actions(
            request.user, vr.status, vr.step_index, vr.step_list, review.DECIDE
        )
        if vr.filed
        else frozenset()
    )
    return render(
        request,
        "registry/review_village.html",
        {
            "rnd": rnd,
            "vr": vr,
            "items": items,
            "checks": CHECKS,
            "allowed": allowed,
            "stage": review_reads.stage_of(vr),
            "editable": not vr.filed or vr.status == "returned",
            "in_notice": vr.notice_from is not None
            and vr.notice_from <= timezone.localdate() <= (vr.notice_to or vr.notice_from),
        },
    )


def _back(rnd_id: int, code: str) -> HttpResponse:
    return redirect("registry:review_village", round_id=rnd_id, code=code)


def _run(request: HttpRequest, action: Any, success: str) -> None:
    try:
        action()
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, success)


@login_required
@require_POST
@permission_required("registry.change_reviewitem", raise_exception=True)
def facts(request: HttpRequest, item_id: int) -> HttpResponse:
    item = review_reads.get_item_for(request.user, item_id)
    income = _fen(request.POST.get("income", ""))
    checks = {c: request.POST.get(c) == "1" for c in CHECKS}

    def act() -> None:
        if income is None:
            raise DomainError(_("请填写家庭年纯收入（元）"))
        review.record_facts(
            item=item,
            income_fen=income,
            checks=checks,
            by=acting_user(request),
            evidence=list(request.FILES.getlist("evidence")),
        )

    _run(request, act, _("已保存"))
    return _back(item.round_id, item.village_code)


@login_required
@permission_required(VIEW, raise_exception=True)
def item_evidence(request: HttpRequest, item_id: int, position: int) -> FileResponse:
    return evidence.response(review_reads.evidence_of(request.user, item_id, position).path)


@login_required
@require_POST
@permission_required("registry.change_reviewitem", raise_exception=True)
def objection(request: HttpRequest, item_id: int) -> HttpResponse:
    item = review_reads.get_item_for(request.user, item_id)
    _run(
        request,
        lambda: review.raise_objection(
            item=item, text=request.POST.get("text", ""), by=acting_user(request)
        ),
        _("异议已记录"),
    )
    return _back(item.round_id, item.village_code)


@login_required
@require_POST
@permission_required("registry.change_reviewitem", raise_exception=True)
def resolve(request: HttpRequest, objection_id: int) -> HttpResponse:
    found = review_reads.get_objection_for(request.user, objection_id)
    _run(
        request,
        lambda: review.resolve_objection(
            objection=found, resolution=request.POST.get("resolution", ""), by=acting_user(request)
        ),
        _("已处理"),
    )
    return _back(found.item.round_id, found.item.village_code)


@login_required
@require_POST
@permission_required("registry.change_reviewitem", raise_exception=True)
def notice(request: HttpRequest, round_id: int, code: str) -> HttpResponse:
    rnd = review_reads.get_round_for(request.user, round_id)
    _run(
        request,
        lambda: review.post_notice(rnd=rnd, village=code, by=acting_user(request)),
        _("已开始公示"),
    )
    return _back(rnd.pk, code)


@login_required
@require_POST
@permission_required("registry.change_reviewitem", raise_exception=True)
def file_village(request: HttpRequest, round_id: int, code: str) -> HttpResponse:
    rnd = review_reads.get_round_for(request.user, round_id)
    _run(
        request,
        lambda: review.file_village(rnd=rnd, village=code, by=acting_user(request)),
        _("已上报"),
    )
    return _back(rnd.pk, code)


@login_required
@require_POST
@permission_required(review.DECIDE, raise_exception=True)
def decide(request: HttpRequest, round_id: int, code: str) -> HttpResponse:
    rnd = review_reads.get_round_for(request.user, round_id)
    vr = review_reads.get_village_review_for(request.user, rnd, code)
    _run(
        request,
        lambda: review.decide_village(
            vr=vr,
            action=request.POST.get("action", ""),
            comment=request.POST.get("comment", ""),
            by=acting_user(request),
        ),
        _("已记录审批意见"),
    )
    return _back(rnd.pk, code)
