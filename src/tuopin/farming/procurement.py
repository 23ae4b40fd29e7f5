"""Procurement (保护价收购): a household's lot is weighed, graded against the contract's grade
table (grader, sample figures, a photo), open to appeal for the contract's appeal days, and
paid: Σ accepted kg × max(floor of the grade, market price on the delivery day) − advances,
each payment a ledger entry with the household as a commitment."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from tuopin.accounts import permissions
from tuopin.documents import evidence
from tuopin.ledger import services as ledger

from . import newsvendor as nv
from .errors import BadDelivery, BadPayment
from .models import Delivery, HouseholdContract, LotStatus, MarketPrice, Payment
from .selectors import get_delivery_for, get_household_contract_for
from .services import commit_household

if TYPE_CHECKING:
    from tuopin.accounts.models import User

WEIGH = "farming.add_delivery"
GRADE = "farming.grade_delivery"
APPEAL = "farming.appeal_delivery"
PAY = "farming.add_payment"
MAX_LOT_G = 100_000_000  # 100 t: a typo, not a lot


def record_delivery(
    *, by: User, household_contract_id: int, weight_g: int, delivered_on: dt.date
) -> Delivery:
    """Weigh a lot in: within the contract's delivery window, a positive weight."""
    permissions.require(by, WEIGH, _("没有登记交售的权限"))
    hc = get_household_contract_for(by, household_contract_id)
    c = hc.contract
    if not 0 < weight_g <= MAX_LOT_G:
        raise BadDelivery(_("重量应为正数"), code="bad_weight")
    if not c.delivery_from <= delivered_on <= c.delivery_until:
        raise BadDelivery(
            _("交售日期 %(d)s 不在合同交售期 %(a)s 至 %(b)s 内")
            % {"d": delivered_on, "a": c.delivery_from, "b": c.delivery_until},
            code="outside_window",
        )
    return Delivery.objects.create(
        household_contract=hc,
        village_code=hc.village_code,
        delivered_on=delivered_on,
        weight_g=weight_g,
        recorded_by=by,
    )


def grade_delivery(
    *,
    by: User,
    delivery_id: int,
    grade: str,
    accepted_g: int,
    sample: dict[str, Any] | None = None,
    photo: bytes | None = None,
    on: dt.date | None = None,
) -> Delivery:
    """Grade a weighed lot (or re-grade it on appeal: see :func:`decide_appeal`)."""
    permissions.require(by, GRADE, _("没有定级的权限"))
    with transaction.atomic():
        d = _locked(by, delivery_id)
        if d.status != LotStatus.WEIGHED:
            raise BadDelivery(_("该批次已定级"), code="already_graded")
        _apply_grade(d, grade, accepted_g, sample, photo, by, on or timezone.localdate())
        _decision(d, "grade")
    return d


def _locked(by: User, delivery_id: int) -> Delivery:
    get_delivery_for(by, delivery_id)  # scope and permission to see it
    return (
        Delivery.objects.select_for_update(of=("self",))
        .select_related("household_contract__contract", "household_contract__household")
        .get(pk=delivery_id)
    )


def _apply_grade(
    d: Delivery,
    grade: str,
    accepted_g: int,
    sample: dict[str, Any] | None,
    photo: bytes | None,
    by: User,
    on: dt.date,
) -> None:
    contract = d.household_contract.contract
    table = {g.code: g for g in contract.grades.all()}
    grade = grade.strip()
    if grade not in table:
        raise BadDelivery(
            _("等级“%(g)s”不在合同的等级表中（%(table)s）")
            % {"g": grade, "table": "、".join(table)},
            code="bad_grade",
        )
    if not 0 <= accepted_g <= d.weight_g:
        raise BadDelivery(_("合格重量应在 0 到毛重之间"), code="bad_accepted")
    if photo:
        d.photo_sha256 = evidence.store_photo(photo).sha256
    d.grade = grade
    d.accepted_g = accepted_g
    d.sample = {str(k)[:40]: str(v)[:100] for k, v in (sample or {}).items()}
    d.grader = by
    d.graded_at = timezone.now()
    d.appeal_until = on + dt.timedelta(days=contract.appeal_days)
    d.status = LotStatus.GRADED
    d.save()


def _decision(d: Delivery, action: str) -> None:
    ledger.append_entry(
        kind="decision",
        payload={
            "subject": "farming.delivery",
            "delivery": d.pk,
            "action": action,
            "grade": d.grade,
            "accepted_g": d.accepted_g,
            "weight_g": d.weight_g,
        },
        commit=commit_household(d.household_contract.household),
    )


def appeal(*, by: User, delivery_id: int, reason: str, on: dt.date | None = None) -> Delivery:
    """The household (through its village cadre or cooperative) appeals a grade within the
    appeal window; the lot waits, unpaid, for the re-grade."""
    permissions.require(by, APPEAL, _("没有提出申诉的权限"))
    on = on or timezone.localdate()
    with transaction.atomic():
        d = _locked(by, delivery_id)
        if d.status != LotStatus.GRADED:
            raise BadDelivery(_("只有已定级、未结算的批次可以申诉"), code="not_appealable")
        if d.appeal_until is None or on > d.appeal_until:
            raise BadDelivery(
                _("申诉期已过（截止 %(d)s）") % {"d": d.appeal_until}, code="appeal_closed"
            )
        if not reason.strip():
            raise BadDelivery(_("请填写申诉理由"), code="missing_reason")
        d.status = LotStatus.APPEALED
        d.appeal_reason = reason.strip()[:300]
        d.save(update_fields=["status", "appeal_reason"])
        _decision(d, "appeal")
    return d


def decide_appeal(
    *,
    by: User,
    delivery_id: int,
    grade: str,
    accepted_g: int,
    outcome: str,
    sample: dict[str, Any] | None = None,
) -> Delivery:
    """Re-grade an appealed lot (another grader than the first), with the outcome said; the
    lot is then payable at once (no second appeal)."""
    permissions.require(by, GRADE, _("没有定级的权限"))
    with transaction.atomic():
        d = _locked(by, delivery_id)
        if d.status != LotStatus.APPEALED:
            raise BadDelivery(_("该批次没有待处理的申诉"), code="no_appeal")
        if d.grader_id == by.pk:
            raise BadDelivery(_("申诉须由另一位定级员复核"), code="same_grader")
        if not outcome.strip():
            raise BadDelivery(_("请填写复核结果"), code="missing_outcome")
        _apply_grade(d, grade, accepted_g, sample, None, by, timezone.localdate())
        d.appeal_until = None  # decided: no second appeal, payable at once
        d.appeal_outcome = outcome.strip()[:300]
        d.save(update_fields=["appeal_until", "appeal_outcome"])
        _decision(d, "regrade")
    return d


def market_price_on(product_id: int, on: dt.date) -> int | None:
    """The latest recorded market price on or before ``on`` (fen/kg)."""
    return (
        MarketPrice.objects.filter(product_id=product_id, on__lte=on)
        .order_by("-on")
        .values_list("fen_per_kg", flat=True)
        .first()
    )


def pay(
    *, by: User, household_contract_id: int, delivery_ids: list[int], on: dt.date | None = None
) -> Payment:
    """Pay a household for graded lots whose appeal window has closed: each lot at
    max(its grade's floor, the market price of its delivery day), less the advance still
    outstanding. Refuses the whole payment if any lot is not payable, so nothing is half paid.
    Locks the household's contract (the advance) and the lots."""
    permissions.require(by, PAY, _("没有结算付款的权限"))
    on = on or timezone.localdate()
    get_household_contract_for(by, household_contract_id)
    if not delivery_ids:
        raise BadPayment(_("请选择要结算的批次"), code="no_lots")
    with transaction.atomic():
        hc = (
            HouseholdContract.objects.select_for_update(of=("self",))
            .select_related("contract", "household")
            .get(pk=household_contract_id)
        )
        lots = list(
            Delivery.objects.select_for_update()
            .filter(pk__in=delivery_ids, household_contract=hc)
            .order_by("pk")
        )
        if len(lots) != len(set(delivery_ids)):
            raise BadPayment(_("有批次不属于该农户订单"), code="bad_lots")
        floors = {g.code: g.floor_fen for g in hc.contract.grades.all()}
        values = []
        for d in lots:
            if d.status == LotStatus.WEIGHED:
                raise BadPayment(
                    _("%(d)s 交售的批次尚未定级，不能结算") % {"d": d.delivered_on},
                    code="ungraded",
                )
            if d.status == LotStatus.APPEALED:
                raise BadPayment(_("有批次正在申诉中"), code="under_appeal")
            if d.status == LotStatus.PAID:
                raise BadPayment(_("有批次已结算"), code="already_paid")
            if d.appeal_until is not None and on <= d.appeal_until:
                raise BadPayment(
                    _("申诉期至 %(d)s 才结束") % {"d": d.appeal_until}, code="appeal_open"
                )
            market = market_price_on(hc.contract.product_id, d.delivered_on)
            if market is None:
                raise BadPayment(
                    _("缺少 %(d)s 的市场价，无法按 max(保护价, 市场价) 结算")
                    % {"d": d.delivered_on},
                    code="no_market_price",
                )
            d.price_fen = max(floors[d.grade], market)
            d.value_fen = nv.lot_value_fen(d.accepted_g, floors[d.grade], market)
            values.append(d.value_fen)
        s = nv.settle(values, hc.advance_left_fen)
        entry = ledger.append_entry(
            kind="procurement",
            payload={
                "subject": "farming.payment",
                "contract": hc.contract_id,
                "lots": [d.pk for d in lots],
                "gross_fen": s.gross_fen,
                "advance_recovered_fen": s.advance_recovered_fen,
                "amount_fen": s.net_fen,
            },
            commit=commit_household(hc.household),
        )
        payment = Payment.objects.create(
            household_contract=hc,
            village_code=hc.village_code,
            gross_fen=s.gross_fen,
            advance_recovered_fen=s.advance_recovered_fen,
            net_fen=s.net_fen,
            paid_at=timezone.now(),
            paid_by=by,
            ledger_index=entry.index,
        )
        for d in lots:
            d.status = LotStatus.PAID
            d.payment = payment
        Delivery.objects.bulk_update(lots, ["status", "payment", "price_fen", "value_fen"])
        HouseholdContract.objects.filter(pk=hc.pk).update(advance_left_fen=s.advance_left_fen)
    return payment
