"""The cooperative's page (its contracts, members' parts to sign, lots to weigh, grade and
pay) and a
household's phone page (its contracts, lots, payments; appeal a grade)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal, InvalidOperation

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from tuopin.accounts import permissions
from tuopin.accounts.selectors import acting_user
from tuopin.core.errors import DomainError, ValidationFailed
from tuopin.registry.selectors import get_household_for

from . import procurement, selectors, services
from .household import income_of
from .models import LotStatus


def _fail(request: HttpRequest, exc: DomainError) -> None:
    if exc.status == 403:
        raise exc
    messages.error(request, exc.message)


def _grams(text: str) -> int:
    """Kilograms as typed (up to three decimals) → grams."""
    try:
        return int((Decimal(text.strip()) * 1000).to_integral_value())
    except (InvalidOperation, ValueError):
        raise ValidationFailed(_("重量无效：%(t)s") % {"t": text}, code="bad_weight") from None


def _hundredths(text: str, *, code: str, message: str) -> int:
    """A decimal as typed with up to two places (亩, 元) → hundredths (0.01 亩, fen)."""
    try:
        value = Decimal(text.strip() or "0") * 100
        if value != value.to_integral_value() or abs(value) > 10**12:
            raise ValueError
        return int(value)
    except (InvalidOperation, ValueError):
        raise ValidationFailed(message % {"t": text}, code=code) from None


@login_required
def cooperative(request: HttpRequest, supplier_id: int) -> HttpResponse:
    s = selectors.get_cooperative_for(request.user, supplier_id)
    contracts = list(
        selectors.contracts_for(request.user).filter(supplier=s).prefetch_related("grades")
    )
    parts = list(
        selectors.household_contracts_for(request.user)
        .filter(contract__supplier=s)
        .order_by("household__household_no")
    )
    lots = list(
        selectors.deliveries_for(request.user)
        .filter(household_contract__contract__supplier=s)
        .exclude(status=LotStatus.PAID)[:200]
    )
    return render(
        request,
        "farming/cooperative.html",
        {
            "s": s,
            "contracts": contracts,
            "parts": parts,
            "lots": lots,
            "members": (
                selectors.members_of(request.user, s.pk)
                if request.user.has_perm(services.SIGN)
                else []
            ),
            "today": timezone.localdate(),
        },
    )


@login_required
@require_POST
def sign(request: HttpRequest, supplier_id: int) -> HttpResponse:
    """The cooperative page's form: sign a member household's part of one of its contracts
    (quantity, area within the household's land, an advance), through the service."""
    permissions.require(request.user, services.SIGN, _("没有签订农户订单的权限"))
    s = selectors.get_cooperative_for(request.user, supplier_id)
    user = acting_user(request)
    try:
        contract_id = int(request.POST.get("contract") or 0)
        if not selectors.contracts_for(user).filter(pk=contract_id, supplier=s).exists():
            raise ValidationFailed(_("请选择本合作社的订单合同"), code="no_contract")
        hc = services.sign_household_contract(
            by=user,
            contract_id=contract_id,
            household_no=request.POST.get("household_no", ""),
            quantity_kg=int(request.POST.get("quantity_kg") or 0),
            area_centi_mu=_hundredths(
                request.POST.get("area_mu", ""), code="bad_area",
                message=_("面积无效（亩，最多两位小数）：%(t)s"),
            ),
            advance_fen=_hundredths(
                request.POST.get("advance_yuan", ""), code="bad_advance",
                message=_("预付款无效（元，最多两位小数）：%(t)s"),
            ),
        )  # fmt: skip
        messages.success(
            request,
            _("已为 %(no)s 签订 %(kg)s 公斤、%(mu)s 亩")
            % {"no": hc.household.household_no, "kg": hc.quantity_kg, "mu": hc.area_mu},
        )
    except ValueError:
        messages.error(request, _("输入无效，请检查"))
    except DomainError as exc:
        _fail(request, exc)
    return redirect("farming:cooperative", s.pk)


@login_required
@require_POST
def lot(request: HttpRequest, supplier_id: int) -> HttpResponse:
    """The cooperative page's lot forms: weigh in, grade, pay."""
    permissions.require(request.user, selectors.VIEW_LOTS, _("没有查看交售记录的权限"))
    s = selectors.get_cooperative_for(request.user, supplier_id)
    user = acting_user(request)
    action = request.POST.get("action")
    try:
        if action == "weigh":
            procurement.record_delivery(
                by=user,
                household_contract_id=int(request.POST.get("household_contract") or 0),
                weight_g=_grams(request.POST.get("weight_kg", "")),
                delivered_on=dt.date.fromisoformat(request.POST.get("delivered_on", "")),
            )
        elif action == "grade":
            photo = request.FILES.get("photo")
            procurement.grade_delivery(
                by=user,
                delivery_id=int(request.POST.get("delivery") or 0),
                grade=request.POST.get("grade", ""),
                accepted_g=_grams(request.POST.get("accepted_kg", "")),
                sample={"note": request.POST.get("sample", "")}
                if request.POST.get("sample")
                else {},
                photo=photo.read() if photo else None,
            )
        elif action == "pay":
            hc = int(request.POST.get("household_contract") or 0)
            ids = [
                d.pk
                for d in selectors.deliveries_for(user).filter(
                    household_contract_id=hc, status=LotStatus.GRADED
                )
            ]
            p = procurement.pay(by=user, household_contract_id=hc, delivery_ids=ids)
            messages.success(request, _("已结算，实付 %(y)s 元") % {"y": f"{p.net_fen / 100:.2f}"})
    except ValueError:
        messages.error(request, _("输入无效，请检查"))
    except DomainError as exc:
        _fail(request, exc)
    return redirect("farming:cooperative", s.pk)


@login_required
def household(request: HttpRequest, household_no: str) -> HttpResponse:
    h = get_household_for(request.user, household_no)
    inc = income_of(request.user, h)
    return render(
        request,
        "farming/household.html",
        {"h": h, "income": inc, "today": timezone.localdate()},
    )


@login_required
@require_POST
def appeal(request: HttpRequest, household_no: str) -> HttpResponse:
    h = get_household_for(request.user, household_no)
    try:
        procurement.appeal(
            by=acting_user(request),
            delivery_id=int(request.POST.get("delivery") or 0),
            reason=request.POST.get("reason", ""),
        )
    except ValueError:
        messages.error(request, _("输入无效，请检查"))
    except DomainError as exc:
        _fail(request, exc)
    return redirect("farming:household", h.household_no)
