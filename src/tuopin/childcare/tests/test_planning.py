"""Siting from the registry: demand per village, the command line's contract, the plan as a
background job, refusals with their reasons, and scope."""

from __future__ import annotations

import json

import pytest
from django.core.management import CommandError, call_command

from tuopin.accounts.selectors import shell_user
from tuopin.childcare import planning
from tuopin.childcare.demand import demand_for
from tuopin.childcare.errors import BadPlan, CountyNotFound
from tuopin.childcare.models import PlanStatus
from tuopin.conftest import COUNTY, VILLAGE_A, VILLAGE_B
from tuopin.core.errors import PermissionDenied

from .conftest import ON, VILLAGE_D

pytestmark = pytest.mark.usefixtures("young_families")


def test_it_counts_children_under_three_per_village() -> None:
    demand = demand_for(shell_user(), COUNTY, ON)
    assert {p.code: p.children for p in demand.points} == {VILLAGE_A: 12, VILLAGE_B: 5}


def test_it_counts_the_carers_of_those_children() -> None:
    demand = demand_for(shell_user(), COUNTY, ON)
    assert demand.carers[VILLAGE_A] == 12


def test_villages_without_coordinates_are_listed_not_dropped() -> None:
    demand = demand_for(shell_user(), COUNTY, ON)
    assert demand.unlocated == [(VILLAGE_D, "无坐标村", 2)]
    assert demand.eligible_children == 19


def test_the_command_line_prints_the_contract(capsys: pytest.CaptureFixture[str]) -> None:
    call_command("childcare", "plan", "422823", "--centres", "2", "--on", ON.isoformat(), "--json")
    data = json.loads(capsys.readouterr().out)
    assert data["county"] == COUNTY and data["on"] == ON.isoformat() and data["radius_m"] == 1000
    assert data["eligible_children"] == 19 and data["children_covered"] == 12
    assert data["optimal"] is True and data["gap"] == 0
    assert data["sites"] == [{"code": VILLAGE_A, "name": "溪丘湾村", "children_covered": 12}]


def test_a_lower_threshold_lets_the_smaller_village_have_a_centre(
    capsys: pytest.CaptureFixture[str],
) -> None:
    call_command(
        "childcare",
        "plan",
        COUNTY,
        "--centres",
        "2",
        "--min-children",
        "4",
        "--on",
        "2018-06-30",
        "--json",
    )
    data = json.loads(capsys.readouterr().out)
    assert data["children_covered"] == 17 and len(data["sites"]) == 2


def test_a_radius_of_50_km_is_refused() -> None:
    with pytest.raises(CommandError, match="服务半径"):
        call_command("childcare", "plan", COUNTY, "--centres", "2", "--radius", "50000")


def test_no_centres_is_refused() -> None:
    with pytest.raises(BadPlan) as exc:
        planning.solve(shell_user(), county_code=COUNTY, centres=0, on=ON)
    assert exc.value.code == "bad_centres"


def test_a_county_without_coordinates_is_refused_with_the_reason() -> None:
    with pytest.raises(BadPlan) as exc:
        planning.solve(shell_user(), county_code="621102", centres=1, on=ON)
    assert exc.value.code == "no_coordinates"


def test_more_centres_than_allowed_sites_chooses_every_allowed_site() -> None:
    answer = planning.solve(shell_user(), county_code=COUNTY, centres=2, on=ON)
    assert [s.code for s, _n, _v in answer.plan.sites] == [VILLAGE_A]


def test_more_centres_than_candidate_sites_is_refused() -> None:
    with pytest.raises(BadPlan) as exc:
        planning.solve(shell_user(), county_code=COUNTY, centres=40, on=ON)
    assert exc.value.code == "too_many_centres"


def test_a_county_officer_cannot_plan_another_county(county_officer) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(CountyNotFound):
        planning.solve(county_officer, county_code="621102", centres=1, on=ON)


def test_a_cadre_may_not_plan(cadre_a) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(PermissionDenied):
        planning.solve(cadre_a, county_code=COUNTY, centres=1, on=ON)


def test_a_queued_plan_is_solved_and_kept(
    county_officer, django_capture_on_commit_callbacks
) -> None:  # type: ignore[no-untyped-def]
    with django_capture_on_commit_callbacks(execute=True):
        plan = planning.start_plan(by=county_officer, county_code=COUNTY, centres=2, on=ON)
    plan.refresh_from_db()
    assert plan.status == PlanStatus.DONE and plan.children_covered == 12
    assert [(s.code, s.children_covered, s.floor_area_m2) for s in plan.sites.all()] == [
        (VILLAGE_A, 12, 60)
    ]
    assert plan.unlocated_villages == [[VILLAGE_D, "无坐标村", 2]]
