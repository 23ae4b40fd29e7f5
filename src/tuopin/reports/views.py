"""Dashboards. Read-only: they call selectors of the domain apps and render."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from tuopin.accounts import permissions, roles, scoping
from tuopin.core import charts
from tuopin.insurance import progress
from tuopin.insurance import selectors as insurance
from tuopin.insurance.charts import county_charts, county_page_link
from tuopin.registry import selectors as registry
from tuopin.registry.choices import PovertyCause, PovertyStatus

from . import selectors


def home(request: HttpRequest) -> HttpResponse:
    """Each role lands on a page that is theirs: a village cadre on their village, officers
    and the operator on the registry summary of their scope, an observer on programme
    progress, everyone else (and the public) on the campaigns with what they can do here."""
    user = request.user
    if permissions.has(user, "registry.view_household"):
        may_see_cover = permissions.has(user, "insurance.view_policy") and permissions.has(
            user, "registry.view_person"
        )  # what the village view requires
        if may_see_cover and roles.holds(user, roles.VILLAGE_CADRE):
            villages = list(insurance.villages_for(user)[:2])
            if len(villages) == 1:  # as the village picker does: straight to it
                return redirect("insurance:village", villages[0].code)
        return _registry_summary(request)
    if permissions.has(user, "insurance.view_progress"):
        return render(
            request,
            "reports/home_progress.html",
            {"rows": progress.programme_summaries(user), "counts": _counts(user)},
        )
    return render(
        request,
        "reports/welcome.html",
        {
            "rows": selectors.public_campaigns(),
            "is_adjuster": roles.holds(user, roles.ADJUSTER),
            "is_helper": roles.holds(user, roles.HELPER),
            "is_donor": roles.holds(user, roles.DONOR),
        },
    )


def _counts(user: Any) -> dict[str, Any] | None:
    """The registry figures of the user's scope, as the summary's cards and charts show them."""
    if not registry.may_see_aggregates(user):
        return None
    counts = registry.counts_for(user)
    status_n = {r["status"]: r["n"] for r in counts.by_status}
    return {
        "counts": counts,
        "status_n": status_n,
        "status_chart": charts.bar_chart(
            "status",
            _("按贫困状态"),
            [(label, status_n.get(value, 0)) for value, label in PovertyStatus.choices],
            columns=(_("贫困状态"), _("户数")),
        ),
        "cause_chart": charts.bar_chart(
            "cause",
            _("按主要致贫原因"),
            [
                (PovertyCause(r["poverty_cause"]).label if r["poverty_cause"] else "—", r["n"])
                for r in counts.by_cause
            ],
            columns=(_("主要致贫原因"), _("户数")),
        ),
    }


def _registry_summary(request: HttpRequest) -> HttpResponse:
    """Key counts for the user's scope, by status and by poverty cause, as charts; for the
    operator, the programmes and campaigns they run beside them."""
    user = request.user
    context: dict[str, Any] = {
        **(_counts(user) or {}),
        "nationwide": scoping.area_prefixes(user) is None,
        "scopes": user.area_scopes.select_related("area"),  # type: ignore[union-attr]
    }
    if permissions.has(user, "charity.view_statement"):
        context["campaign_rows"] = selectors.public_campaigns()
    return render(request, "reports/home.html", context)


def _period(raw: str | None) -> dt.date | None:
    """The period a visitor picked (``YYYY-MM-DD``); anything else means the default one."""
    try:
        return dt.date.fromisoformat(raw) if raw else None
    except ValueError:
        return None


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
    o = selectors.campaign_overview(found, period=_period(request.GET.get("period")))
    return render(
        request,
        "reports/campaign.html",
        {
            "o": o,
            "target": selectors.CLAIMS_TARGET_PERCENT,
            "channel_chart": charts.bar_chart(
                "channels",
                _("善款来源"),
                [(label, s // 100) for label, s, _n in o.by_channel],
                unit=_("元"),
                columns=(_("来源"), _("金额")),
            ),
            **county_charts(o.by_county, link=county_page_link(request.user)),
        },
    )
