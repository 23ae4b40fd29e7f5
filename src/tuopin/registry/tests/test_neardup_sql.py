"""The near-duplicate search in SQL (``upkeep.candidates``) over a generated population with
planted duplicates: the same pairs as the search in memory, within the user's scope."""

from __future__ import annotations

import pytest

from tuopin.conftest import VILLAGE_A, VILLAGE_B, VILLAGE_C
from tuopin.registry import neardup
from tuopin.registry.models import Household, Person
from tuopin.registry.neardup import Rec
from tuopin.registry.neardup_synthetic import population
from tuopin.registry.upkeep import duplicates


def _store(people: list[Rec], village_of: dict[int, str]) -> None:
    """Test rows written directly (explicit ids: a record's id is its person's id)."""
    Household.objects.bulk_create(
        Household(id=h, household_no=f"T{h:06d}", village_id=v) for h, v in village_of.items()
    )
    Person.objects.bulk_create(
        Person(
            id=r.id,
            household_id=r.household,
            village_code=village_of[r.household],
            name=r.name,
            id_number=r.id_number,
            id_hash=r.id_number,
            sex="M" if int(r.id_number[16]) % 2 else "F",
            birth_date=r.birth,
            relation="other",
            phone=r.phone,
        )
        for r in people
    )


@pytest.fixture
def planted(area_tree):  # type: ignore[no-untyped-def]
    people, planted = population(3000, seed=11, duplicates=0.03, counties=2)
    villages = (VILLAGE_A, VILLAGE_B)
    _store(people, {r.household: villages[r.household % 2] for r in people})
    return people, planted


def test_it_finds_the_planted_duplicates_in_sql(planted, county_officer) -> None:
    people, planted_pairs = planted
    found = duplicates.find_for(county_officer, limit=10**6)
    got = {(p.a, p.b) for p, _x, _y in found.pairs}
    precision, recall = neardup.precision_recall(got, planted_pairs)
    assert recall == 1.0 and precision >= 0.95, (precision, recall)
    assert found.compared == len(people)


def test_it_finds_what_the_search_in_memory_finds(planted, county_officer) -> None:
    people, _planted = planted
    in_memory = neardup.find_pairs(people)
    found = duplicates.find_for(county_officer, limit=10**6)
    assert [(p.a, p.b, p.reasons) for p, _x, _y in found.pairs] == [
        (p.a, p.b, p.reasons) for p in in_memory
    ]


def test_a_typo_in_the_region_digits_is_found(area_tree, county_officer) -> None:
    a = Rec(1, 1, "王芳", "1990-01-01", "422823199001011234")
    b = Rec(2, 2, "王芳", "1990-02-01", "412823199002011234")  # region and month mistyped
    _store([a, b], {1: VILLAGE_A, 2: VILLAGE_B})
    found = duplicates.find_for(county_officer)
    assert [(p.a, p.b) for p, _x, _y in found.pairs] == [(1, 2)]


def test_people_outside_the_scope_are_not_compared(area_tree, township_officer) -> None:
    a = Rec(1, 1, "王芳", "1990-01-01", "422823199001011234")
    b = Rec(2, 2, "王芳", "1990-01-01", "621102199001011250")
    _store([a, b], {1: VILLAGE_A, 2: VILLAGE_C})
    found = duplicates.find_for(township_officer)
    assert found.pairs == [] and found.compared == 1


def test_a_block_over_the_limit_is_skipped(area_tree, county_officer) -> None:
    # One name and birth date for more than MAX_BLOCK people, ID numbers otherwise apart.
    many = [
        Rec(i, i, "王芳", "1990-01-01", f"{400000 + 37 * i:06d}1990{i:04d}{i:03d}1")
        for i in range(1, neardup.MAX_BLOCK + 2)
    ]
    _store(many, {r.household: VILLAGE_A for r in many})
    assert duplicates.find_for(county_officer).pairs == []
