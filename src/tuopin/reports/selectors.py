"""Reads for the public pages: campaign progress and fund use. Aggregates only, no person."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.db.models import Count, Sum
from django.db.models.functions import Coalesce
from django.utils import timezone

from tuopin.areas import selectors as areas
from tuopin.charity.models import Campaign, CampaignStatus, Channel, Donation, Refund
from tuopin.insurance import limits
from tuopin.insurance import selectors as insurance
from tuopin.insurance.models import Payout, PremiumPayment, Programme
from tuopin.ledger import selectors as ledger

CLAIMS_TARGET_PERCENT = 90  # the report: 90 % of the donations can go to claims


@dataclass
class Period:
    """One insurance period (a year) the campaign paid premiums for."""

    start: dt.date
    last_day: dt.date
    people: int
    premiums_fen: int


@dataclass
class OverridePayment:
    """Premiums paid beyond the campaign's money on an operator's override, with the reason
    the operator gave (shown publicly: the run form says so)."""

    paid_at: dt.datetime
    programme: str
    period_start: dt.date
    county: str
    people: int
    amount_fen: int
    reason: str
    ledger_index: int


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
    periods: list[Period]
    period: Period | None
    """The period the page shows: the one asked for, else the latest that has started, else
    the first to come."""
    overrides: list[OverridePayment]
    shortfall_fen: int
    """Premiums paid beyond what the campaign raised net of refunds (paid on overrides)."""


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


def campaign_periods(campaign: Campaign) -> list[Period]:
    """The periods the campaign paid premiums for, latest first: one grouped query."""
    rows = (
        PremiumPayment.objects.filter(campaign=campaign)
        .values("period_start")
        .annotate(n=Sum("people"), s=Sum("amount_fen"))
        .order_by("-period_start")
    )
    return [
        Period(
            r["period_start"],
            limits.period_end(r["period_start"]) - dt.timedelta(days=1),
            r["n"] or 0,
            r["s"] or 0,
        )
        for r in rows
    ]


def choose_period(
    periods: list[Period], wanted: dt.date | None, today: dt.date | None = None
) -> Period | None:
    """The period asked for if the campaign has it; else the latest that has started by
    ``today`` (the one running, unless all have ended); else the earliest still to come."""
    if not periods:
        return None
    by_start = {p.start: p for p in periods}
    if wanted is not None and wanted in by_start:
        return by_start[wanted]
    today = today or timezone.localdate()
    started = [p for p in periods if p.start <= today]
    return max(started, key=lambda p: p.start) if started else min(periods, key=lambda p: p.start)


def override_payments(campaign: Campaign) -> list[OverridePayment]:
    """Premium payments made on an operator's override, newest first, with county names."""
    rows = list(
        PremiumPayment.objects.filter(campaign=campaign)
        .exclude(override_reason="")
        .select_related("programme")
        .order_by("-paid_at", "-id")
    )
    names = {c: a.name for c, a in areas.areas_by_codes([r.county_code for r in rows]).items()}
    return [
        OverridePayment(
            r.paid_at,
            r.programme.name,
            r.period_start,
            names.get(r.county_code, r.county_code),
            r.people,
            r.amount_fen,
            r.override_reason,
            r.ledger_index,
        )
        for r in rows
    ]


def campaign_overview(
    campaign: Campaign, *, period: dt.date | None = None, recent: int = 12
) -> CampaignOverview:
    funds = insurance.campaign_funds(campaign)
    labels = dict(Channel.choices)
    by_channel = [
        (str(labels.get(r["channel"], r["channel"])), r["s"], r["n"])
        for r in campaign.donations.values("channel")
        .annotate(s=Sum("amount_fen"), n=Count("id"))
        .order_by("-s")
    ]
    programmes = list(Programme.objects.filter(campaign=campaign).order_by("name"))
    periods = campaign_periods(campaign)
    shown = choose_period(periods, period)
    counties = (
        sorted(
            insurance.insured_by_county(programmes=programmes, period_start=shown.start),
            key=lambda c: -c.insured,
        )
        if shown is not None
        else []
    )
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
        periods=periods,
        period=shown,
        overrides=override_payments(campaign),
        shortfall_fen=max(0, funds["premiums_fen"] - net),
    )
