"""Order-farming arithmetic (订单农业): the newsvendor quantity, the area it takes, its split
across member households within their land, the herd-planting guard across counties, and the
procurement payment in fen. No Django: plain numbers in, plain numbers out.

Units: weights in grams and areas in hundredths of a 亩 (integers), prices in fen per kg, so
that nothing here rounds a float into money.
"""

from __future__ import annotations

import heapq
import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from statistics import NormalDist

GRAMS_PER_KG = 1000
CENTI_MU = 100  # areas are held in hundredths of a 亩


class PlanError(ValueError):
    """Arithmetic refused: the message says why; ``code`` is the stable name."""

    def __init__(self, message: str, code: str) -> None:
        super().__init__(message)
        self.code = code


def critical_ratio(underage_fen: int, overage_fen: int) -> float:
    """The newsvendor's service level Cu / (Cu + Co).

    ``underage_fen``: what one kg too few costs (the sale lost: selling price − floor price).
    ``overage_fen``: what one kg too many costs under a floor price (the floor-price exposure:
    floor − the market price the surplus fetches)."""
    if underage_fen < 0 or overage_fen < 0:
        raise PlanError("costs must not be negative", "bad_costs")
    if underage_fen + overage_fen == 0:
        raise PlanError("costs must not both be zero", "bad_costs")
    return underage_fen / (underage_fen + overage_fen)


@dataclass(frozen=True)
class Demand:
    """Demand over a season as a normal distribution (kg)."""

    mean_kg: float
    sd_kg: float

    @classmethod
    def from_months(cls, means: Iterable[float], sds: Iterable[float]) -> Demand:
        """The season's total from monthly forecasts, months taken as independent (their
        variances add); stated in ADR 0012."""
        m = list(means)
        s = list(sds)
        return cls(sum(m), math.sqrt(sum(x * x for x in s)))

    def quantile(self, p: float) -> float:
        if not 0 < p < 1:
            raise PlanError("quantile level must be in (0, 1)", "bad_level")
        if self.sd_kg <= 0:
            return max(0.0, self.mean_kg)
        return max(0.0, NormalDist(self.mean_kg, self.sd_kg).inv_cdf(p))


def sd_from_interval(lo: float, hi: float, level: float) -> float:
    """The standard deviation a symmetric normal interval at ``level`` (e.g. 0.8) implies."""
    z = NormalDist().inv_cdf(0.5 + level / 2)
    return max(0.0, (hi - lo) / (2 * z))


def order_quantity_kg(demand: Demand, underage_fen: int, overage_fen: int) -> int:
    """The contracted quantity: demand's quantile at the critical ratio, whole kg."""
    return round(demand.quantile(critical_ratio(underage_fen, overage_fen)))


def area_centi_mu(quantity_kg: int, yield_kg_per_mu: float, grade_share: float) -> int:
    """亩 = quantity ÷ (yield per 亩 × share expected to meet the grade), in hundredths of a
    亩, rounded up (a plan that falls short by a sliver is still short)."""
    if quantity_kg < 0:
        raise PlanError("quantity must not be negative", "bad_quantity")
    if yield_kg_per_mu <= 0:
        raise PlanError("yield per mu must be positive", "bad_yield")
    if not 0 < grade_share <= 1:
        raise PlanError("grade share must be in (0, 1]", "bad_grade_share")
    return math.ceil(quantity_kg * CENTI_MU / (yield_kg_per_mu * grade_share) - 1e-9)


@dataclass(frozen=True)
class Split:
    """Area given to each household (hundredths of a 亩) and what could not be placed."""

    shares: dict[object, int]
    placed: int
    unplaced: int


def split_area(total_centi_mu: int, land: Sequence[tuple[object, int]]) -> Split:
    """Split ``total`` across households ``(key, land in hundredths of a 亩)`` in proportion
    to their land, never more than a household's land (largest remainder, so shares add up
    exactly). Land beyond the total stays unplanted; a total beyond all land is ``unplaced``."""
    if total_centi_mu < 0:
        raise PlanError("area must not be negative", "bad_area")
    for _key, a in land:
        if a < 0:
            raise PlanError("land must not be negative", "bad_land")
    capacity = sum(a for _k, a in land)
    target = min(total_centi_mu, capacity)
    if target == 0 or capacity == 0:
        return Split({k: 0 for k, _a in land}, 0, total_centi_mu)
    # share = a × target / capacity: floors first, then one more unit to the largest
    # remainders. Below capacity a floor is always under the household's land, so the extra
    # unit never takes anyone past it (at capacity every remainder is zero).
    shares = {}
    remainders = []
    for k, a in land:
        q, r = divmod(a * target, capacity)
        shares[k] = q
        remainders.append((r, k))
    left = target - sum(shares.values())
    for _r, k in heapq.nlargest(left, remainders, key=lambda rk: rk[0]):
        shares[k] += 1
    return Split(shares, target, total_centi_mu - target)


@dataclass(frozen=True)
class Guard:
    """All counties' contracts of one product against its forecast demand (no herd planting)."""

    demand_kg: int
    contracted_kg: int

    @property
    def excess_kg(self) -> int:
        return max(0, self.contracted_kg - self.demand_kg)

    @property
    def shortfall_kg(self) -> int:
        return max(0, self.demand_kg - self.contracted_kg)

    @property
    def ok(self) -> bool:
        return self.contracted_kg <= self.demand_kg

    def room_kg(self) -> int:
        """How much more may still be contracted."""
        return max(0, self.demand_kg - self.contracted_kg)


def herd_guard(demand_kg: int, contracted_by_county: dict[str, int], adding_kg: int = 0) -> Guard:
    """The guard after ``adding_kg`` more is contracted."""
    if adding_kg < 0 or any(v < 0 for v in contracted_by_county.values()):
        raise PlanError("quantities must not be negative", "bad_quantity")
    return Guard(demand_kg, sum(contracted_by_county.values()) + adding_kg)


def lot_value_fen(accepted_grams: int, floor_fen_per_kg: int, market_fen_per_kg: int) -> int:
    """One graded lot: accepted kg × max(floor, market), rounded half up to the fen."""
    if accepted_grams < 0:
        raise PlanError("weight must not be negative", "bad_weight")
    if floor_fen_per_kg < 0 or market_fen_per_kg < 0:
        raise PlanError("price must not be negative", "bad_price")
    price = max(floor_fen_per_kg, market_fen_per_kg)
    return (accepted_grams * price * 2 + GRAMS_PER_KG) // (2 * GRAMS_PER_KG)


@dataclass(frozen=True)
class Settlement:
    gross_fen: int
    advance_recovered_fen: int
    net_fen: int
    advance_left_fen: int


def settle(lot_values_fen: Iterable[int], advance_outstanding_fen: int) -> Settlement:
    """payment = Σ lot values − advances; an advance larger than the lots carries over (the
    household is never asked to pay back here)."""
    gross = sum(lot_values_fen)
    if advance_outstanding_fen < 0:
        raise PlanError("advance must not be negative", "bad_advance")
    recovered = min(gross, advance_outstanding_fen)
    return Settlement(gross, recovered, gross - recovered, advance_outstanding_fen - recovered)
