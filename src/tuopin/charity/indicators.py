"""Charity figures for the dashboards and the work report (``core.indicators``): donations
go to national campaigns, so they have one national value."""

from __future__ import annotations

import datetime as dt

from django.db.models import Sum
from django.utils.translation import gettext_lazy as _

from tuopin.core.chronicle import Happening
from tuopin.core.indicators import FEN, ITEMS, Indicator, national, within

from .models import Donation, Refund


def _donated(prefix: str, width: int, start: dt.date, end: dt.date) -> dict[str, int]:
    total = Donation.objects.filter(within("donated_at", start, end)).aggregate(t=Sum("amount_fen"))
    return national(int(total["t"] or 0))


def _donations(prefix: str, width: int, start: dt.date, end: dt.date) -> dict[str, int]:
    return national(Donation.objects.filter(within("donated_at", start, end)).count())


def _refunded(prefix: str, width: int, start: dt.date, end: dt.date) -> dict[str, int]:
    total = Refund.objects.filter(within("refunded_at", start, end)).aggregate(t=Sum("amount_fen"))
    return national(int(total["t"] or 0))


INDICATORS = [
    Indicator(
        "charity.donated_fen",
        _("捐款"),
        FEN,
        flow=True,
        public=True,
        group=_donated,
        direction="charity",
        areal=False,
        order=30,
        source=_("捐赠（账本）"),
    ),
    Indicator(
        "charity.donations",
        _("捐赠笔数"),
        ITEMS,
        flow=True,
        public=True,
        group=_donations,
        direction="charity",
        areal=False,
        order=31,
        source=_("捐赠（账本）"),
    ),
    Indicator(
        "charity.refunded_fen",
        _("退款"),
        FEN,
        flow=True,
        public=True,
        group=_refunded,
        direction="charity",
        areal=False,
        order=32,
        source=_("退款（账本）"),
    ),
]


def happenings(prefix: str, start: dt.date, end: dt.date) -> list[Happening]:
    """大事记: campaigns that opened or closed in the period (national)."""
    from .models import Campaign

    out = []
    for c in Campaign.objects.filter(starts_on__gte=start, starts_on__lt=end):
        out.append(Happening(c.starts_on, _("“%(t)s”募捐启动") % {"t": c.title}, url=_url(c)))
    for c in Campaign.objects.filter(ends_on__gte=start, ends_on__lt=end):
        out.append(Happening(c.ends_on, _("“%(t)s”募捐结束") % {"t": c.title}, url=_url(c)))
    return out


def _url(campaign: object) -> str:
    from django.urls import reverse

    return reverse("campaign", args=[campaign.slug])  # type: ignore[attr-defined]
