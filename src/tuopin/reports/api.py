"""Public API of the reports app: a campaign's progress and fund use, for anyone (no login)."""

from __future__ import annotations

import datetime as dt
from dataclasses import asdict

from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Router
from pydantic import BaseModel

from tuopin.core.errors import NotFound

from . import selectors

router = Router(tags=["public"])


class ChannelOut(BaseModel):
    channel: str
    amount_fen: int
    donations: int


class CampaignCountyOut(BaseModel):
    code: str
    name: str
    insured: int


class CampaignEntryOut(BaseModel):
    index: int
    kind: str
    amount_fen: int | None


class PeriodOut(BaseModel):
    start: dt.date
    last_day: dt.date
    people: int
    premiums_fen: int


class OverrideOut(BaseModel):
    paid_at: dt.datetime
    programme: str
    period_start: dt.date
    county: str
    people: int
    amount_fen: int
    reason: str
    ledger_index: int


class CampaignOut(BaseModel):
    slug: str
    title: str
    status: str
    goal_fen: int
    raised_fen: int
    refunded_fen: int
    donations: int
    premiums_fen: int
    insured: int
    payouts_fen: int
    payouts: int
    claims_percent: float | None
    by_channel: list[ChannelOut]
    by_county: list[CampaignCountyOut]
    recent_entries: list[CampaignEntryOut]
    period: PeriodOut | None
    periods: list[PeriodOut]
    overrides: list[OverrideOut]
    shortfall_fen: int


class CampaignNotFound(NotFound):
    code = "campaign_not_found"


@router.get(
    "/campaigns/{slug}",
    response=CampaignOut,
    auth=None,
    summary="A campaign's progress and fund use (public; the same figures as its page)",
)
def campaign(request: HttpRequest, slug: str, period: dt.date | None = None) -> dict[str, object]:
    """``insured`` and ``by_county`` are for ``period`` (a period start the campaign paid
    premiums for; by default the one running today); the money figures are the campaign's."""
    found = selectors.public_campaign(slug)
    if found is None:
        raise CampaignNotFound(_("募捐活动不存在：%(s)s") % {"s": slug})
    o = selectors.campaign_overview(found, period=period)
    f = o.funds
    return {
        "slug": found.slug,
        "title": found.title,
        "status": found.status,
        "goal_fen": found.goal_fen,
        "raised_fen": f["raised_fen"],
        "refunded_fen": f["refunded_fen"],
        "donations": f["donations"],
        "premiums_fen": f["premiums_fen"],
        "insured": o.insured,
        "payouts_fen": f["payouts_fen"],
        "payouts": f["payouts"],
        "claims_percent": o.claims_percent,
        "by_channel": [
            {"channel": label, "amount_fen": s, "donations": n} for label, s, n in o.by_channel
        ],
        "by_county": [{"code": c.code, "name": c.name, "insured": c.insured} for c in o.by_county],
        "recent_entries": [
            {"index": e["index"], "kind": e["data"]["kind"], "amount_fen": e["amount_fen"]}  # type: ignore[index]
            for e in o.entries
        ],
        "period": asdict(o.period) if o.period else None,
        "periods": [asdict(p) for p in o.periods],
        "overrides": [asdict(r) for r in o.overrides],
        "shortfall_fen": o.shortfall_fen,
    }
