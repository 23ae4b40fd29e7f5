"""API of the charity app: payment platforms report donations here (idempotent)."""

from __future__ import annotations

import datetime as dt

from django.http import HttpRequest
from django.urls import reverse
from django.utils.translation import gettext as _
from ninja import Router, Schema, Status

from tuopin.core.errors import PermissionDenied

from . import services

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
