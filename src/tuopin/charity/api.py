"""API of the charity app: payment platforms report donations and refunds here (idempotent)."""

from __future__ import annotations

import datetime as dt

from django.http import HttpRequest
from django.urls import reverse
from django.utils.translation import gettext as _
from ninja import Router, Schema, Status

from tuopin.core.errors import PermissionDenied

from . import services
from .errors import DonationNotFound
from .models import Donation, Refund

router = Router(tags=["charity"])


class DonationIn(Schema):
    campaign: str
    amount_fen: int
    channel: str
    payment_ref: str
    display_name: str = ""
    message: str = ""
    donated_at: dt.datetime | None = None


class DonationOut(Schema):
    payment_ref: str
    amount_fen: int
    campaign: str
    ledger_index: int
    receipt_url: str
    created: bool


@router.post(
    "/donations",
    response={200: DonationOut, 201: DonationOut},
    summary="Record a donation (a retried notification answers with the first)",
)
def record_donation(request: HttpRequest, body: DonationIn) -> Status:  # type: ignore[type-arg]
    if not request.user.has_perm("charity.add_donation"):
        raise PermissionDenied(_("没有记录捐赠的权限"))
    recorded = services.record_donation(
        campaign_slug=body.campaign,
        amount_fen=body.amount_fen,
        channel=body.channel,
        payment_ref=body.payment_ref,
        display_name=body.display_name,
        message=body.message,
        at=body.donated_at,
    )
    d = recorded.donation
    return Status(
        201 if recorded.created else 200,
        {
            "payment_ref": d.payment_ref,
            "amount_fen": d.amount_fen,
            "campaign": d.campaign.slug,
            "ledger_index": d.ledger_index,
            "created": recorded.created,
            "receipt_url": request.build_absolute_uri(
                reverse("charity:receipt", args=[d.receipt_token])
            ),
        },
    )


class RefundIn(Schema):
    payment_ref: str  # the donation's
    refund_ref: str
    amount_fen: int
    reason: str
    refunded_at: dt.datetime | None = None


class RefundOut(Schema):
    refund_ref: str
    payment_ref: str
    amount_fen: int
    ledger_index: int


@router.post(
    "/refunds",
    response={200: RefundOut, 201: RefundOut},
    summary="Record a refund on a donation (idempotent on refund_ref; never edits the donation)",
)
def record_refund(request: HttpRequest, body: RefundIn) -> Status:  # type: ignore[type-arg]
    if not request.user.has_perm("charity.add_refund"):
        raise PermissionDenied(_("没有登记退款的权限"))
    existed = Refund.objects.filter(refund_ref=body.refund_ref.strip()).exists()
    donation = Donation.objects.filter(payment_ref=body.payment_ref.strip()).first()
    if donation is None:
        raise DonationNotFound(_("捐赠不存在：%(r)s") % {"r": body.payment_ref})
    refund = services.refund_donation(
        donation=donation,
        amount_fen=body.amount_fen,
        refund_ref=body.refund_ref,
        reason=body.reason,
        at=body.refunded_at,
    )
    return Status(
        200 if existed else 201,
        {
            "refund_ref": refund.refund_ref,
            "payment_ref": refund.donation.payment_ref,
            "amount_fen": refund.amount_fen,
            "ledger_index": refund.ledger_index,
        },
    )
