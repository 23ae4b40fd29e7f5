"""Reads of the charity app."""

from __future__ import annotations

import uuid
from typing import TYPE_CHECKING

from django.db.models import Count, QuerySet, Sum
from django.db.models.functions import Coalesce
from django.utils.translation import gettext as _

from tuopin.accounts import permissions
from tuopin.ledger import services as ledger

from .errors import DonationNotFound
from .models import Campaign, Donation

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

    from tuopin.accounts.models import User


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


KEEP_DONATION = "charity.keep_donation"


def donations_of(user: User | AnonymousUser) -> QuerySet[Donation]:
    """我的捐赠: the donations ``user`` keeps in their account, newest first, each with what
    was refunded on it (``refunded_fen``). Nobody sees another person's."""
    permissions.require(user, KEEP_DONATION, _("没有“我的捐赠”的权限"))
    return (
        Donation.objects.filter(donor_id=user.pk)
        .select_related("campaign")
        .annotate(refunded_fen=Coalesce(Sum("refunds__amount_fen"), 0))
        .order_by("-donated_at", "-id")
    )


def token_from(text: str) -> str:
    """The receipt token in what a donor pasted: the token itself or a receipt link."""
    text = text.strip().rstrip("/")
    return text.rsplit("/", 1)[-1] if "/" in text else text


def get_donation_for(user: User | AnonymousUser, payment_ref: str) -> Donation:
    """Fetch-and-authorize a donation by its payment reference, for refunds: the permission
    is checked before the look-up, so that nobody without it learns which references exist."""
    permissions.require(user, "charity.add_refund", _("没有登记退款的权限"))
    ref = payment_ref.strip()
    donation = Donation.objects.select_related("campaign").filter(payment_ref=ref).first()
    if donation is None:
        raise DonationNotFound(_("捐赠不存在：%(r)s") % {"r": ref})
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
