"""Pages of near-duplicates: the candidates of an area, two people side by side, marking
them as different, and filing a merge (a change request, approved up the chain)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from tuopin.accounts.selectors import acting_user
from tuopin.core.errors import DomainError

from . import duplicates, services

VIEW = duplicates.VIEW


@login_required
@permission_required(VIEW, raise_exception=True)
def candidates(request: HttpRequest) -> HttpResponse:
    area = request.GET.get("area", "").strip() or None
    try:
        found = duplicates.find_for(request.user, area=area)
    except DomainError as exc:
        messages.error(request, exc.message)
        found = duplicates.Found([], [], 0)
    rows = [(p, a, b, duplicates.reason_labels(p)) for p, a, b in found.pairs]
    return render(
        request, "registry/duplicates.html", {"found": found, "rows": rows, "area": area or ""}
    )


@login_required
@permission_required(VIEW, raise_exception=True)
def compare(request: HttpRequest, a: int, b: int) -> HttpResponse:
    x, y, pair = duplicates.compare_for(request.user, a, b)
    return render(
        request,
        "registry/duplicate_compare.html",
        {"x": x, "y": y, "reasons": duplicates.reason_labels(pair)},
    )


@login_required
@require_POST
@permission_required(VIEW, raise_exception=True)
def different(request: HttpRequest, a: int, b: int) -> HttpResponse:
    try:
        duplicates.mark_different(a=a, b=b, by=acting_user(request))
    except DomainError as exc:
        messages.error(request, exc.message)
        return redirect("registry:duplicate_compare", a=a, b=b)
    messages.success(request, _("已标记为不同的人"))
    return redirect("registry:duplicates")


@login_required
@require_POST
@permission_required(VIEW, raise_exception=True)
def merge(request: HttpRequest, a: int, b: int) -> HttpResponse:
    """File a merge: ``b`` (the record to drop) into ``a`` (the one kept)."""
    keep, drop, _pair = duplicates.compare_for(request.user, a, b)
    try:
        req = services.file_request(
            household=drop.household,
            kind="merge_people",
            payload={"keep_id": keep.pk, "drop_id": drop.pk},
            reason=request.POST.get("reason", "") or str(_("重复登记")),
            by=acting_user(request),
        )
    except DomainError as exc:
        messages.error(request, exc.message)
        return redirect("registry:duplicate_compare", a=a, b=b)
    messages.success(request, _("合并申请已提交，审批通过后生效"))
    return redirect(req)
