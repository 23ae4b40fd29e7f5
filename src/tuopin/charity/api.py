"""API of the charity app: payment platforms report donations and refunds here (idempotent)."""

from __future__ import annotations

import datetime as dt

from django.http import HttpRequest
from django.urls import reverse
from ninja import Field, Router, Schema, Status
from pydantic import AwareDatetime

from tuopin.accounts.selectors import acting_user
from tuopin.core.money import MAX_FEN

from . import selectors, services
from .models import Channel, Donation

router = Router(tags=["charity"])


# Bounds as the services check them, so that the schema documents them and bad bodies get 422.
Ref = Field(min_length=1, max_length=services.REF_MAX_LENGTH)
Amount = Field(gt=0, le=MAX_FEN, description="分 (fen), at most MAX_FEN")


class DonationIn(Schema):
    campaign: str = Field(max_length=50)
    amount_fen: int = Amount
    channel: Channel
    payment_ref: str = Ref
    display_name: str = Field("", max_length=50)
    message: str = Field("", max_length=200)
    donated_at: AwareDatetime | None = None


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
    recorded = services.record_donation(
        by=acting_user(request),
        campaign_slug=body.campaign,
        amount_fen=body.amount_fen,
        channel=str(body.channel),
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
    payment_ref: str = Ref  # the donation's
    refund_ref: str = Ref
    amount_fen: int = Amount
    reason: str = Field(min_length=1, max_length=200)
    refunded_at: AwareDatetime | None = None


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
    by = acting_user(request)
    donation = selectors.get_donation_for(by, body.payment_ref)
    recorded = services.refund_donation(
        by=by,
        donation=donation,
        amount_fen=body.amount_fen,
        refund_ref=body.refund_ref,
        reason=body.reason,
        at=body.refunded_at,
    )
    refund = recorded.refund
    return Status(
        201 if recorded.created else 200,
        {
            "refund_ref": refund.refund_ref,
            "payment_ref": refund.donation.payment_ref,
            "amount_fen": refund.amount_fen,
            "ledger_index": refund.ledger_index,
        },
    )


class MyDonationOut(Schema):
    campaign: str
    campaign_title: str
    amount_fen: int
    refunded_fen: int
    channel: str
    donated_at: dt.datetime
    ledger_index: int
    receipt_url: str


class KeepIn(Schema):
    token: str = Field(min_length=1, max_length=300, description="receipt link or token")


def _mine(request: HttpRequest, d: Donation) -> dict[str, object]:
    return {
        "campaign": d.campaign.slug,
        "campaign_title": d.campaign.title,
        "amount_fen": d.amount_fen,
        "refunded_fen": getattr(d, "refunded_fen", 0),
        "channel": d.channel,
        "donated_at": d.donated_at,
        "ledger_index": d.ledger_index,
        "receipt_url": request.build_absolute_uri(
            reverse("charity:receipt", args=[d.receipt_token])
        ),
    }


@router.get(
    "/donations/mine",
    response=list[MyDonationOut],
    summary="我的捐赠: the donations the caller keeps in their account",
)
def my_donations(request: HttpRequest) -> list[dict[str, object]]:
    return [_mine(request, d) for d in selectors.donations_of(acting_user(request))]


@router.post(
    "/donations/mine",
    response=MyDonationOut,
    summary="Keep a donation in the caller's account, given its receipt link or token",
)
def keep_donation(request: HttpRequest, body: KeepIn) -> dict[str, object]:
    kept = services.keep_donation(by=acting_user(request), token=body.token)
    return _mine(request, selectors.donations_of(acting_user(request)).get(pk=kept.pk))
