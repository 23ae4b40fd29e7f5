"""Order-farming arithmetic, pure: the newsvendor quantity, area, the split within each
household's land, the herd guard, the payment in fen. No database."""

from __future__ import annotations

import pytest

from tuopin.farming import newsvendor as nv


def test_the_critical_ratio_weighs_lost_sales_against_the_floor_exposure() -> None:
    # 元阳红米: sells at 12.0, floor 6.8, surplus fetches the 3.6 market.
    assert nv.critical_ratio(1200 - 680, 680 - 360) == pytest.approx(520 / 840)


def test_the_quantity_is_the_demand_quantile_at_the_critical_ratio() -> None:
    d = nv.Demand(10_000, 1_000)
    assert nv.order_quantity_kg(d, 1, 1) == 10_000  # the median
    assert nv.order_quantity_kg(d, 9, 1) == round(10_000 + 1.2815515655446004 * 1_000)
    assert nv.order_quantity_kg(d, 1, 9) < 10_000


def test_a_season_of_months_adds_means_and_variances() -> None:
    d = nv.Demand.from_months([100, 200], [30, 40])
    assert (d.mean_kg, d.sd_kg) == (300, 50)


def test_an_interval_gives_the_sd_it_implies() -> None:
    assert nv.sd_from_interval(
        100 - 1.2815515655446004 * 10, 100 + 1.2815515655446004 * 10, 0.8
    ) == (pytest.approx(10))


def test_area_is_quantity_over_yield_times_grade_share() -> None:
    # 9 000 kg at 450 kg/亩 with 80 % meeting the grade: 25 亩.
    assert nv.area_centi_mu(9_000, 450, 0.8) == 2_500
    assert nv.area_centi_mu(9_001, 450, 0.8) == 2_501  # rounded up, never short


@pytest.mark.parametrize(
    ("q", "y", "share", "code"),
    [(-1, 450, 0.8, "bad_quantity"), (1, 0, 0.8, "bad_yield"), (1, 450, 0, "bad_grade_share")],
)
def test_bad_area_input_is_refused(q: int, y: float, share: float, code: str) -> None:
    with pytest.raises(nv.PlanError) as e:
        nv.area_centi_mu(q, y, share)
    assert e.value.code == code


def test_the_split_follows_land_and_adds_up_exactly() -> None:
    s = nv.split_area(1_000, [("a", 300), ("b", 300), ("c", 900)])
    assert sum(s.shares.values()) == 1_000 and s.unplaced == 0
    assert s.shares["c"] == 600 and s.shares["a"] in (200, 201)


def test_no_household_is_given_more_than_its_land() -> None:
    s = nv.split_area(2_000, [("a", 300), ("b", 500)])
    assert s.shares == {"a": 300, "b": 500}
    assert (s.placed, s.unplaced) == (800, 1_200)


def test_the_herd_guard_shows_the_excess_across_counties() -> None:
    g = nv.herd_guard(10_000, {"yuanyang": 6_000, "luchun": 3_000}, adding_kg=2_500)
    assert not g.ok
    assert (g.excess_kg, g.shortfall_kg, g.room_kg()) == (1_500, 0, 0)


def test_the_herd_guard_shows_the_shortfall_when_within_demand() -> None:
    g = nv.herd_guard(10_000, {"yuanyang": 6_000})
    assert g.ok and g.shortfall_kg == 4_000 and g.room_kg() == 4_000


def test_a_lot_is_paid_at_the_floor_when_the_market_is_lower() -> None:
    # 125.5 kg of 元阳红米 at max(6.80, 3.60) 元/kg = 853.40 元
    assert nv.lot_value_fen(125_500, 680, 360) == 85_340


def test_a_lot_is_paid_at_the_market_when_it_is_higher() -> None:
    assert nv.lot_value_fen(10_000, 680, 720) == 7_200


def test_a_lot_value_rounds_half_up_to_the_fen() -> None:
    assert nv.lot_value_fen(1_500, 1, 0) == 2  # 1.5 fen
    assert nv.lot_value_fen(1_499, 1, 0) == 1


def test_payment_is_lots_minus_advances() -> None:
    s = nv.settle([85_340, 7_200], 20_000)
    assert (s.gross_fen, s.advance_recovered_fen, s.net_fen, s.advance_left_fen) == (
        92_540,
        20_000,
        72_540,
        0,
    )


def test_an_advance_larger_than_the_lots_carries_over() -> None:
    s = nv.settle([5_000], 8_000)
    assert (s.net_fen, s.advance_left_fen) == (0, 3_000)


def test_a_negative_weight_is_refused() -> None:
    with pytest.raises(nv.PlanError) as e:
        nv.lot_value_fen(-1, 680, 360)
    assert e.value.code == "bad_weight"
