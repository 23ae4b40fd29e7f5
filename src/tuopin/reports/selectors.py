"""Reads for the public pages: campaign progress and fund use. Aggregates only, no person."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db.models import Count, Sum
from django.db.models.functions import Coalesce

from tuopin.charity.models import Campaign, CampaignStatus, Channel, Donation, Refund
from tuopin.insurance import selectors as insurance
from tuopin.insurance.models import Payout, Policy, PremiumPayment, Programme
from tuopin.ledger import selectors as ledger

CLAIMS_TARGET_PERCENT = 90  # the report: 90 % of the donations can go to claims


@dataclass
class CampaignOverview:
    campaign: Campaign
    funds: dict[str, int]
    goal_percent: float
    claims_percent: float | None
    by_channel: list[tuple[str, int, int]]
    programmes: list[Programme]
    by_county: list[insurance.CountyCover]
    insured: int
    entries: list[dict[str, object]]


def public_campaigns() -> list[tuple[Campaign, float]]:
    """Every public campaign with what it raised (``raised_fen``, ``donations``) and the share
    of its goal: one query."""
    campaigns = (
        Campaign.objects.exclude(status=CampaignStatus.DRAFT)
        .annotate(
            raised_fen=Coalesce(Sum("donations__amount_fen"), 0), donations_n=Count("donations")
        )
        .order_by("-starts_on", "slug")
    )
    return [(c, min(100.0, 100 * c.raised_fen / c.goal_fen)) for c in campaigns]


def public_campaign(slug: str) -> Campaign | None:
    return Campaign.objects.exclude(status=CampaignStatus.DRAFT).filter(slug=slug).first()


def _recent_indexes(campaign: Campaign, limit: int) -> list[int]:
    """The campaign's latest ledger entries: donations, refunds, premiums and payouts."""
    found: list[int] = []
    for qs in (
        Donation.objects.filter(campaign=campaign),
        Refund.objects.filter(donation__campaign=campaign),
        PremiumPayment.objects.filter(campaign=campaign),
        Payout.objects.filter(policy__programme__campaign=campaign),
    ):
        found += qs.order_by("-ledger_index").values_list("ledger_index", flat=True)[:limit]
    return sorted(found, reverse=True)[:limit]


def campaign_overview(campaign: Campaign, *, recent: int = 12) -> CampaignOverview:
    funds = insurance.campaign_funds(campaign)
    labels = dict(Channel.choices)
    by_channel = [
        (str(labels.get(r["channel"], r["channel"])), r["s"], r["n"])
        for r in campaign.donations.values("channel")
        .annotate(s=Sum("amount_fen"), n=Count("id"))
        .order_by("-s")
    ]
    programmes = list(Programme.objects.filter(campaign=campaign).order_by("name"))
    by_county: dict[str, insurance.CountyCover] = {}
    for p in programmes:  # a campaign funds one or two programmes
        latest = (
            Policy.objects.filter(programme=p).order_by("-period_start").values("period_start")[:1]
        )
        period = latest[0]["period_start"] if latest else None
        if period is None:
            continue
        for c in insurance.insured_by_county(programmes=[p], period_start=period):
            if c.code in by_county:
                by_county[c.code].insured += c.insured
            else:
                by_county[c.code] = c
    counties = sorted(by_county.values(), key=lambda c: -c.insured)
    net = funds["net_fen"]
    entries: list[dict[str, Any]] = ledger.decoded_entries(
        indexes=_recent_indexes(campaign, recent), limit=recent
    )
    return CampaignOverview(
        campaign=campaign,
        funds=funds,
        goal_percent=min(100.0, 100 * funds["raised_fen"] / campaign.goal_fen),
        claims_percent=round(100 * funds["payouts_fen"] / net, 1) if net > 0 else None,
        by_channel=by_channel,
        programmes=programmes,
        by_county=counties,
        insured=sum(c.insured for c in counties),
        entries=entries,
    )
