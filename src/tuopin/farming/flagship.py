"""The flagship choice (一县一品): a county's products ranked by forecast demand growth,
margin over the market price and share of the county's sales, with the numbers shown. The
rank is the sum of the three ranks (1 = best); a product missing a figure ranks last on it."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import asdict, dataclass
from typing import Any

from tuopin.commerce import selectors as commerce

from .models import ForecastRun, MarketPrice, RunStatus
from .runs import kg_of
from .selectors import get_county_for, products_of_county


@dataclass
class Candidate:
    product_id: int
    name: str
    last12_kg: float
    prev12_kg: float
    sales_fen: int
    share: float  # of the county's sales amount over the last 12 months
    growth: float | None  # forecast next 12 months over the last 12 (or history's)
    growth_source: str  # "forecast" or "history"
    price_fen_per_kg: int | None
    market_fen_per_kg: int | None
    margin: float | None  # (price − market) / price
    score: int = 0
    rank: int = 0

    def as_json(self) -> dict[str, Any]:
        return asdict(self)


def rank_candidates(user: Any, county_code: str) -> list[Candidate]:
    county, _name = get_county_for(user, county_code)
    products = {p.pk: p for p in products_of_county(user, county)}
    if not products:
        return []
    rows = commerce.monthly_sales(product_ids=list(products))
    last_month = max((r.month for r in rows), default=None)
    kg: dict[int, list[float]] = defaultdict(lambda: [0.0, 0.0])
    fen: dict[int, int] = defaultdict(int)
    for r in rows:
        if last_month is None:
            break
        age = (last_month.year - r.month.year) * 12 + last_month.month - r.month.month
        if age < 24:
            kg[r.product_id][0 if age < 12 else 1] += kg_of(products[r.product_id], r.quantity)
        if age < 12:
            fen[r.product_id] += r.amount_fen
    total_fen = sum(fen.values()) or 1
    runs: dict[int, ForecastRun] = {}
    for done in ForecastRun.objects.filter(
        product_id__in=list(products), status=RunStatus.DONE
    ).order_by("product_id", "-finished_at"):
        runs.setdefault(done.product_id, done)
    markets: dict[int, int] = {}
    price: int | None
    for pid, price in (
        MarketPrice.objects.filter(product_id__in=list(products))
        .order_by("product_id", "-on")
        .values_list("product_id", "fen_per_kg")
    ):
        markets.setdefault(pid, price)
    out = []
    for pid, p in products.items():
        last12, prev12 = kg[pid]
        run: ForecastRun | None = runs.get(pid)
        if run is not None and last12 > 0:
            growth: float | None = (
                sum(run.mean_kg[:12]) * 12 / min(12, len(run.mean_kg)) / last12 - 1
            )
            source = "forecast"
        else:
            growth = last12 / prev12 - 1 if prev12 > 0 else None
            source = "history"
        price = round(fen[pid] / last12) if last12 > 0 else None
        market = markets.get(pid)
        margin = (price - market) / price if price and market is not None else None
        out.append(
            Candidate(
                pid,
                p.name,
                round(last12, 1),
                round(prev12, 1),
                fen[pid],
                fen[pid] / total_fen,
                None if growth is None else round(growth, 4),
                source,
                price,
                market,
                None if margin is None else round(margin, 4),
            )
        )
    for attr in ("growth", "margin", "share"):

        def key(c: Candidate, a: str = attr) -> tuple[bool, float]:
            v = getattr(c, a)
            return (v is None, -(v or 0))

        ordered = sorted(out, key=key)
        for i, c in enumerate(ordered, 1):
            c.score += i
    out.sort(key=lambda c: (c.score, -c.share, c.name))
    for i, c in enumerate(out, 1):
        c.rank = i
    return out
