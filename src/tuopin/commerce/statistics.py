"""County sales statistics (reads): imported outlet sales summed by county, outlet, product and
month, each one GROUP BY over ``SalesLine`` within the user's scope; poor counties above a
threshold (the report's "51 counties above 1 亿 in a half-year"); the top products; the channel's
size. Aggregates only, no personal data."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from django.db.models import Count, QuerySet, Sum
from django.db.models.functions import TruncMonth

from tuopin.accounts import permissions, scoping
from tuopin.areas import selectors as areas

from .models import Listing, Outlet, Product, SalesLine

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

    from tuopin.accounts.models import User

YI_FEN = 100_000_000 * 100  # 1 亿 yuan in fen: the report's threshold for a half-year
TOP = 10


@dataclass(frozen=True)
class CountyRow:
    code: str
    name: str
    poor: bool
    longitude: float | None
    latitude: float | None
    quantity: int
    amount_fen: int
    products: int


@dataclass(frozen=True)
class Row:
    key: object
    label: str
    quantity: int
    amount_fen: int


@dataclass
class SalesStatistics:
    since: dt.date | None
    until: dt.date | None
    threshold_fen: int
    counties: list[CountyRow] = field(default_factory=list)
    outlets: list[Row] = field(default_factory=list)
    products: list[Row] = field(default_factory=list)
    months: list[Row] = field(default_factory=list)
    total_fen: int = 0
    total_quantity: int = 0
    channel_products: int = 0
    channel_counties: int = 0

    @property
    def poor_counties(self) -> list[CountyRow]:
        return [c for c in self.counties if c.poor]

    @property
    def poor_above_threshold(self) -> list[CountyRow]:
        return [c for c in self.counties if c.poor and c.amount_fen >= self.threshold_fen]

    @property
    def poor_total_fen(self) -> int:
        return sum(c.amount_fen for c in self.poor_counties)


def scoped_lines(
    user: User | AnonymousUser, since: dt.date | None, until: dt.date | None
) -> QuerySet[SalesLine]:
    permissions.require(user, "commerce.view_sales_statistics")
    qs = scoping.scope(SalesLine.objects.all(), user, "county_code")
    if since is not None:
        qs = qs.filter(date__gte=since)
    if until is not None:
        qs = qs.filter(date__lte=until)
    return qs


def sales_statistics(
    user: User | AnonymousUser,
    *,
    since: dt.date | None = None,
    until: dt.date | None = None,
    threshold_fen: int = YI_FEN,
    top: int = TOP,
) -> SalesStatistics:
    """Every figure of the statistics page in a handful of GROUP BY queries."""
    lines = scoped_lines(user, since, until)
    stats = SalesStatistics(since=since, until=until, threshold_fen=threshold_fen)
    by_county = list(
        lines.values("county_code")
        .annotate(q=Sum("quantity"), a=Sum("amount_fen"), p=Count("product_id", distinct=True))
        .order_by("-a", "county_code")
    )
    named = areas.areas_by_codes([r["county_code"] for r in by_county])
    for r in by_county:
        area = named.get(r["county_code"])
        stats.counties.append(
            CountyRow(
                code=r["county_code"],
                name=area.name if area else r["county_code"],
                poor=bool(area and (area.national_poor or area.provincial_poor)),
                longitude=float(area.longitude) if area and area.longitude is not None else None,
                latitude=float(area.latitude) if area and area.latitude is not None else None,
                quantity=int(r["q"] or 0),
                amount_fen=int(r["a"] or 0),
                products=int(r["p"]),
            )
        )
    stats.total_fen = sum(c.amount_fen for c in stats.counties)
    stats.total_quantity = sum(c.quantity for c in stats.counties)
    outlet_names = dict(Outlet.objects.values_list("pk", "name"))
    stats.outlets = [
        Row(r["outlet_id"], outlet_names.get(r["outlet_id"], "?"), int(r["q"]), int(r["a"]))
        for r in lines.values("outlet_id")
        .annotate(q=Sum("quantity"), a=Sum("amount_fen"))
        .order_by("-a", "outlet_id")
    ]
    top_rows = list(
        lines.values("product_id")
        .annotate(q=Sum("quantity"), a=Sum("amount_fen"))
        .order_by("-a", "product_id")[:top]
    )
    product_names = dict(
        Product.objects.filter(pk__in=[r["product_id"] for r in top_rows]).values_list("pk", "name")
    )
    stats.products = [
        Row(r["product_id"], product_names.get(r["product_id"], "?"), int(r["q"]), int(r["a"]))
        for r in top_rows
    ]
    stats.months = [
        Row(m, _month_label(m), int(r["q"]), int(r["a"]))
        for r in lines.annotate(m=TruncMonth("date"))
        .values("m")
        .annotate(q=Sum("quantity"), a=Sum("amount_fen"))
        .order_by("m")
        for m in [_as_date(r["m"])]
    ]
    channel = scoping.scope(Listing.objects.filter(published=True), user, "product__county_code")
    stats.channel_products = channel.values("product_id").distinct().count()
    stats.channel_counties = channel.values("product__county_code").distinct().count()
    return stats


def _as_date(value: dt.date | dt.datetime) -> dt.date:
    return value.date() if isinstance(value, dt.datetime) else value


def _month_label(m: dt.date) -> str:
    return f"{m.year}-{m.month:02d}"
