"""Public API of the reports app: a campaign's progress and fund use, for anyone (no login)."""

from __future__ import annotations

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


class CampaignNotFound(NotFound):
    code = "campaign_not_found"


@router.get(
    "/campaigns/{slug}",
    response=CampaignOut,
    auth=None,
    summary="A campaign's progress and fund use (public; the same figures as its page)",
)
def campaign(request: HttpRequest, slug: str) -> dict[str, object]:
    found = selectors.public_campaign(slug)
    if found is None:
        raise CampaignNotFound(_("募捐活动不存在：%(s)s") % {"s": slug})
    o = selectors.campaign_overview(found)
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
    }
