"""Siting, pure: the radius rule at its boundary, the optimum against brute force, the
greedy's bound, set covering and the floor-area rule. No database."""

from __future__ import annotations

import itertools
import random

import pytest

from tuopin.childcare import siting
from tuopin.childcare.siting import Place

LON, LAT = 108.3, 33.3  # 宁陕


def at(metres: float, bearing: float = 90.0, children: int = 0, code: str = "") -> Place:
    lon, lat = siting.destination(LON, LAT, bearing, metres)
    return Place(code or f"p{metres:.0f}-{bearing:.0f}", "", lon, lat, children)


CENTRE = Place("site", "中心", LON, LAT, 0)


def test_a_point_999_m_away_is_within_a_km() -> None:
    (found,) = siting.reach([at(999, children=11)], [CENTRE], 1000)
    assert found == [0]


def test_a_point_1001_m_away_is_not() -> None:
    (found,) = siting.reach([at(1001, children=11)], [CENTRE], 1000)
    assert found == []


def test_eleven_children_within_the_radius_allow_a_centre() -> None:
    plan = siting.maximal_covering([at(500, children=11)], [CENTRE], k=1)
    assert plan.allowed_sites == 1 and plan.children_covered == 11


def test_ten_children_do_not() -> None:
    plan = siting.maximal_covering([at(500, children=10)], [CENTRE], k=1)
    assert plan.allowed_sites == 0 and plan.children_covered == 0 and plan.sites == []


def test_children_just_outside_the_radius_do_not_count_towards_the_rule() -> None:
    plan = siting.maximal_covering(
        [at(999, children=6, code="a"), at(1001, bearing=0, children=6, code="b")], [CENTRE], k=1
    )
    assert plan.allowed_sites == 0


def random_case(rng: random.Random, n: int, m: int) -> tuple[list[Place], list[Place]]:
    demand = [
        at(rng.uniform(0, 4000), rng.uniform(0, 360), rng.randint(1, 12), code=f"d{i}")
        for i in range(n)
    ]
    sites = [at(rng.uniform(0, 4000), rng.uniform(0, 360), code=f"s{j}") for j in range(m)]
    return demand, sites


def brute_force(demand: list[Place], sites: list[Place], k: int, radius: float, t: int) -> int:
    within = siting.reach(demand, sites, radius)
    allowed = [j for j, c in enumerate(within) if sum(demand[i].children for i in c) > t]
    best = 0
    for size in range(min(k, len(allowed)) + 1):
        for combo in itertools.combinations(allowed, size):
            hit = set().union(*(within[j] for j in combo)) if combo else set()
            best = max(best, sum(demand[i].children for i in hit))
    return best


@pytest.mark.parametrize("seed", range(8))
def test_the_optimum_equals_brute_force(seed: int) -> None:
    rng = random.Random(seed)
    demand, sites = random_case(rng, 30, 10)
    k = rng.randint(1, 4)
    plan = siting.maximal_covering(demand, sites, k=k, radius_m=1000, min_children=10)
    assert plan.optimal and plan.gap == 0
    assert plan.children_covered == brute_force(demand, sites, k, 1000, 10)


@pytest.mark.parametrize("seed", range(5))
def test_the_greedy_never_beats_the_bound(seed: int) -> None:
    demand, sites = random_case(random.Random(100 + seed), 40, 15)
    plan = siting.maximal_covering(demand, sites, k=3)
    assert plan.greedy_covered <= plan.children_covered <= plan.bound + 1e-6


def test_each_child_is_counted_once_by_the_nearest_chosen_site() -> None:
    demand = [at(400, 90, 12, "east"), at(400, 270, 12, "west"), at(0, 0, 3, "middle")]
    sites = [at(300, 90, code="E"), at(300, 270, code="W")]
    plan = siting.maximal_covering(demand, sites, k=2)
    served = {s.code: codes for s, _n, codes in plan.sites}
    assert plan.children_covered == 27
    assert sorted(served["E"] + served["W"]) == ["east", "middle", "west"]


def test_the_worst_off_child_is_reported() -> None:
    demand = [at(100, 90, 12, "near"), at(5000, 90, 2, "far")]
    plan = siting.maximal_covering(demand, [CENTRE], k=1)
    assert plan.worst_code == "far"
    assert plan.worst_distance_m == pytest.approx(5000, abs=1)


def test_set_covering_finds_the_fewest_centres() -> None:
    demand = [at(200, b, 12, f"c{b}") for b in (0, 120, 240)] + [at(3000, 90, 12, "far")]
    sites = [CENTRE, at(3000, 90, code="F"), at(2900, 90, code="F2")]
    count, chosen, optimal = siting.set_covering(demand, sites)
    assert (count, optimal) == (2, True)
    assert {s.code for s in chosen} & {"F", "F2"} and "site" in {s.code for s in chosen}


@pytest.mark.parametrize(("children", "area"), [(10, 60), (30, 60), (40, 70), (60, 80), (200, 80)])
def test_floor_area_rises_from_60_to_80(children: int, area: int) -> None:
    assert siting.floor_area_m2(children) == area
