"""Dashboards. Read-only: they call selectors of the domain apps and render."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render

from tuopin.accounts import scoping
from tuopin.registry import selectors as registry
from tuopin.registry.choices import PovertyCause, PovertyStatus

from . import selectors


@login_required
def home(request: HttpRequest) -> HttpResponse:
    """Key counts for the user's scope, by status and by poverty cause, as charts; a user who
    may see no registry figures (a donor, a helper) gets the page without them."""
    if not registry.may_see_aggregates(request.user):
        return render(request, "reports/home.html", {"counts": None})
    counts = registry.counts_for(request.user)
    status_n = {r["status"]: r["n"] for r in counts.by_status}
    status_rows = [(label, status_n.get(value, 0)) for value, label in PovertyStatus.choices]
    cause_rows = [
        (PovertyCause(r["poverty_cause"]).label if r["poverty_cause"] else "—", r["n"])
        for r in counts.by_cause
    ]
    return render(
        request,
        "reports/home.html",
        {
            "counts": counts,
            "status_n": status_n,
            "status_rows": status_rows,
            "cause_rows": cause_rows,
            "nationwide": scoping.area_prefixes(request.user) is None,
            "scopes": request.user.area_scopes.select_related("area"),  # type: ignore[union-attr]
        },
    )


def campaigns(request: HttpRequest) -> HttpResponse:
    """Public: every campaign with what it raised against its goal."""
    return render(request, "reports/campaigns.html", {"rows": selectors.public_campaigns()})


def campaign(request: HttpRequest, slug: str) -> HttpResponse:
    """Public, in real time: raised vs goal, donations by channel, premiums, claims paid, the
    share of donations that reached claimants, insured people by county, and the latest
    ledger entries with a link to check each one."""
    found = selectors.public_campaign(slug)
    if found is None:
        raise Http404
    o = selectors.campaign_overview(found)
    return render(
        request,
        "reports/campaign.html",
        {
            "o": o,
            "target": selectors.CLAIMS_TARGET_PERCENT,
            "channel_rows": [(label, s // 100) for label, s, _n in o.by_channel],
            "county_rows": [(c.name, c.insured) for c in o.by_county],
            "points": [(c.name, c.longitude, c.latitude, c.insured, "") for c in o.by_county],
        },
    )
