"""Reads of the charity app."""

from __future__ import annotations

import uuid

from django.db.models import Count, Sum
from django.utils.translation import gettext as _

from tuopin.ledger import services as ledger

from .errors import DonationNotFound
from .models import Campaign, Donation


def donation_by_token(token: str) -> Donation:
    """The donation behind an (unguessable) receipt token, or not found."""
    try:
        key = uuid.UUID(str(token))
    except ValueError:
        raise DonationNotFound(_("捐赠不存在")) from None
    donation = Donation.objects.select_related("campaign").filter(receipt_token=key).first()
    if donation is None:
        raise DonationNotFound(_("捐赠不存在"))
    return donation


def receipt_text(donation: Donation) -> str | None:
    """The donation's ledger receipt (with the donor's opening), or None until integrated."""
    from tuopin.core.errors import DomainError

    try:
        return ledger.receipt_for(
            donation.ledger_index, subject=f"charity.donation:{donation.receipt_token}"
        )
    except DomainError:
        return None


def campaign_totals(campaign: Campaign) -> dict[str, int]:
    totals = campaign.donations.aggregate(raised=Sum("amount_fen"), donations=Count("id"))
    return {"raised_fen": totals["raised"] or 0, "donations": totals["donations"] or 0}
