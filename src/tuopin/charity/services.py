"""Writes of the charity app: record a donation (idempotent, with its ledger entry)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from tuopin.ledger import services as ledger

from .errors import BadDonation, CampaignClosed, CampaignNotFound
from .models import Campaign, CampaignStatus, Channel, Donation

if TYPE_CHECKING:
    from tuopin.accounts.models import User


@dataclass(frozen=True)
class Recorded:
    donation: Donation
    created: bool  # False when the payment reference was already recorded


def record_donation(
    *,
    campaign_slug: str,
    amount_fen: int,
    channel: str,
    payment_ref: str,
    donor: User | None = None,
    display_name: str = "",
    message: str = "",
    at: dt.datetime | None = None,
) -> Recorded:
    """Record a donation and its ledger entry in one transaction.

    Idempotent on ``payment_ref``: a retried payment notification returns the first donation
    unchanged. The ledger entry holds the amount, channel and campaign, and the donor only as
    a commitment, whose opening the donor's receipt carries.
    """
    payment_ref = payment_ref.strip()
    existing = Donation.objects.filter(payment_ref=payment_ref).first()
    if existing is not None:
        return Recorded(existing, created=False)
    if not isinstance(amount_fen, int) or isinstance(amount_fen, bool) or amount_fen <= 0:
        raise BadDonation(_("捐赠金额必须是正整数（分）"), code="bad_amount")
    if channel not in Channel.values:
        raise BadDonation(_("未知的捐赠渠道：%(c)s") % {"c": channel}, code="bad_channel")
    if not payment_ref:
        raise BadDonation(_("缺少支付流水号"), code="missing_payment_ref")
    campaign = Campaign.objects.filter(slug=campaign_slug).first()
    if campaign is None:
        raise CampaignNotFound(_("募捐活动不存在：%(s)s") % {"s": campaign_slug})
    at = at or timezone.now()
    if campaign.status != CampaignStatus.OPEN or not (
        campaign.starts_on <= timezone.localtime(at).date() <= campaign.ends_on
    ):
        raise CampaignClosed(_("募捐活动未在进行中：%(t)s") % {"t": campaign.title})
    try:
        with transaction.atomic():
            donation = Donation(
                campaign=campaign,
                amount_fen=amount_fen,
                channel=channel,
                payment_ref=payment_ref,
                donor=donor,
                display_name=display_name[:50],
                message=message[:200],
                donated_at=at,
            )
            entry = ledger.append_entry(
                kind="donation",
                payload={"campaign": campaign.slug, "amount_fen": amount_fen, "channel": channel},
                commit={"donor": (f"charity.donation:{donation.receipt_token}", payment_ref)},
            )
            donation.ledger_index = entry.index
            donation.save()
    except IntegrityError:
        # A concurrent retry recorded the same payment reference first: answer with it.
        first = Donation.objects.filter(payment_ref=payment_ref).first()
        if first is None:
            raise
        return Recorded(first, created=False)
    return Recorded(donation, created=True)
