"""Pages of the charity app: the donor's receipt page; statement reconciliation."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _

from tuopin.accounts.selectors import acting_user
from tuopin.core.errors import DomainError
from tuopin.core.imports import RowError
from tuopin.core.money import format_yuan
from tuopin.core.uploads import store_upload, uploaded_file

from . import selectors, services
from .models import Campaign, Channel, Outcome, Statement


def donation_receipt(request: HttpRequest, token: str) -> HttpResponse:
    """Public to whoever holds the link (an unguessable token): amount, campaign, the ledger
    receipt to download and check."""
    donation = selectors.donation_by_token(token)  # not found: the 404 page (core.middleware)
    text = selectors.receipt_text(donation)
    if request.GET.get("download") == "1" and text:
        response = HttpResponse(text, content_type="text/plain; charset=utf-8")
        response["Content-Disposition"] = (
            f'attachment; filename="donation-{donation.ledger_index}.tlog-proof"'
        )
        return response
    return render(request, "charity/receipt.html", {"d": donation, "receipt": text})


@login_required
def my_donations(request: HttpRequest) -> HttpResponse:
    """我的捐赠: the donations the user keeps, with their receipts; a POST keeps one more,
    given its receipt link or token (from the payment platform or the receipt page)."""
    if request.method == "POST":
        try:
            kept = services.keep_donation(
                by=acting_user(request), token=request.POST.get("token", "")
            )
        except DomainError as exc:
            if exc.status == 403:
                raise
            messages.error(request, _("找不到这笔捐赠：请粘贴完整的回执链接"))
        else:
            messages.success(
                request,
                _("已保存：%(c)s %(a)s")
                % {"c": kept.campaign.title, "a": format_yuan(kept.amount_fen)},
            )
            return redirect("charity:mine")
    rows = list(selectors.donations_of(request.user))  # 403 without the permission
    return render(
        request,
        "charity/mine.html",
        {
            "rows": rows,
            "total_fen": sum(d.amount_fen - getattr(d, "refunded_fen", 0) for d in rows),
            "campaigns": len({d.campaign_id for d in rows}),
        },
    )


@login_required
@permission_required("charity.view_statement", raise_exception=True)
def statements(request: HttpRequest, slug: str) -> HttpResponse:
    """Upload a payment platform's statement and see every past reconciliation."""
    campaign = get_object_or_404(Campaign, slug=slug)
    errors: list[RowError] = []
    if request.method == "POST":
        if not request.user.has_perm("charity.add_statement"):
            raise PermissionDenied
        channel = request.POST.get("channel", Channel.ONLINE)
        try:
            upload = uploaded_file(request)  # refused past the byte limit
        except DomainError as exc:
            messages.error(request, exc.message)
            upload = None
        else:
            if upload is None:
                messages.error(request, _("请选择对账单文件"))
        if upload is not None:
            try:
                result = services.reconcile_statement(
                    by=acting_user(request),
                    campaign_slug=campaign.slug,
                    channel=channel,
                    path=store_upload(upload, "statements"),
                    filename=upload.name or "",
                )
            except DomainError as exc:
                messages.error(request, exc.message)
            else:
                if not result.errors:
                    return redirect("charity:statement", result.statement.pk)
                errors = result.errors
                messages.warning(
                    request,
                    _("已对账；%(n)s 行无法读取，见下表") % {"n": len(result.errors)},
                )
    return render(
        request,
        "charity/statements.html",
        {
            "campaign": campaign,
            "statements": campaign.statements.all()[:50],
            "channels": Channel.choices,
            "errors": errors,
        },
    )


@login_required
@permission_required("charity.view_statement", raise_exception=True)
def statement(request: HttpRequest, pk: int) -> HttpResponse:
    s = get_object_or_404(Statement.objects.select_related("campaign"), pk=pk)
    outcome = request.GET.get("outcome", "")
    lines = s.lines.select_related("donation")
    if outcome in Outcome.values:
        lines = lines.filter(outcome=outcome)
    return render(
        request,
        "charity/statement.html",
        {"s": s, "lines": lines[:1000], "outcome": outcome, "outcomes": Outcome.choices},
    )
