"""Pages of helpers and pledges: the helper's masked cases and pledge form; the county's
forwarding, disbursement approval and payment; a household's support received."""

from __future__ import annotations

from decimal import Decimal, InvalidOperation

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from tuopin.accounts import permissions
from tuopin.accounts.selectors import acting_user
from tuopin.core.errors import DomainError
from tuopin.registry import selectors as registry

from . import selectors, support


@login_required
def cases(request: HttpRequest) -> HttpResponse:
    return render(request, "casework/cases.html", {"cases": support.masked_cases_for(request.user)})


@login_required
def case(request: HttpRequest, case_id: int) -> HttpResponse:
    """A forwarded case, masked, with the pledge form."""
    user = acting_user(request)
    c = support.get_masked_case_for(user, case_id)
    if request.method == "POST":
        try:
            fen = int(Decimal(request.POST.get("amount", "").strip()) * 100)
            support.pledge(case_id=c.id, amount_fen=fen, note=request.POST.get("note", ""), by=user)
        except (InvalidOperation, ValueError):
            messages.error(request, _("请填写认捐金额（元）"))
        except DomainError as e:
            messages.error(request, e.message)
        else:
            messages.success(request, _("感谢认捐！县扶贫办审批后拨付，并记入公开账本"))
        return redirect("casework:case", c.id)
    return render(request, "casework/case.html", {"c": c})


@login_required
@require_POST
def forward(request: HttpRequest, submission_id: int) -> HttpResponse:
    user = acting_user(request)
    permissions.require(user, support.DECIDE, _("没有审批的权限"))
    s = selectors.get_submission_for(user, submission_id)
    try:
        support.forward_case(submission=s, by=user)
    except DomainError as e:
        messages.error(request, e.message)
    else:
        messages.success(request, _("已转给爱心人士"))
    return redirect("casework:submission", s.pk)


@login_required
def disbursements(request: HttpRequest) -> HttpResponse:
    rows = support.disbursements_for(request.user).order_by("paid_at", "-id")[:300]
    return render(request, "casework/disbursements.html", {"rows": rows})


@login_required
@require_POST
def disbursement(request: HttpRequest, disbursement_id: int) -> HttpResponse:
    user = acting_user(request)
    try:
        support.decide_disbursement(
            disbursement_id=disbursement_id,
            action=request.POST.get("action", ""),
            payment_ref=request.POST.get("payment_ref", ""),
            by=user,
        )
    except DomainError as e:
        if e.status == 404 or e.status == 403 and not permissions.has(user, support.DECIDE):
            raise
        messages.error(request, e.message)
    else:
        messages.success(request, _("已记录"))
    return redirect("casework:disbursements")


@login_required
def household_support(request: HttpRequest, household_no: str) -> HttpResponse:
    """Support a household has received through forwarded cases (pledged, paid)."""
    user = request.user
    selectors.submissions_for(user)  # the permission
    household = registry.get_household_for(user, household_no)
    return render(
        request,
        "casework/household_support.html",
        {
            "household": household,
            "panel": {"rows": support.support_for_household(user, household)},
        },
    )
