"""Insured people by county as a bar chart and a dot map, for the programme page and the
public campaign page (``core.charts``, ADR 0007)."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, Any

from django.urls import reverse
from django.utils.translation import gettext as _

from tuopin.accounts import permissions, scoping
from tuopin.core import charts

from .selectors import CountyCover

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

    from tuopin.accounts.models import User


def county_page_link(user: User | AnonymousUser) -> Callable[[str], str]:
    """A county's page for ``user``: the area browser's, where they may open it (the
    permission it checks and the county in their scope); otherwise none, never this page."""
    if not permissions.has(user, "registry.view_household"):
        return lambda code: ""
    return lambda code: reverse("registry:area", args=[code]) if scoping.covers(user, code) else ""


def county_charts(
    counties: Sequence[CountyCover], *, link: Callable[[str], str]
) -> dict[str, dict[str, Any]]:
    """``county_chart`` (bars, most insured first) and ``county_map`` (dots fitted to the
    counties), each county linked to ``link(code)`` where that is not empty."""
    title = _("各县在保人数")
    columns = (_("县"), _("在保人数"))
    return {
        "county_chart": charts.bar_chart(
            "counties",
            title,
            [(c.name, c.insured, link(c.code)) for c in counties],
            columns=columns,
        ),
        "county_map": charts.dot_map(
            "county-map",
            _("各县在保人数（地图）"),
            [
                charts.Place(c.name, c.longitude, c.latitude, c.insured, link(c.code))
                for c in counties
            ],
            columns=columns,
        ),
    }
