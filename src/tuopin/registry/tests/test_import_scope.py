"""An officer's import stays in the officer's scope and its errors say nothing about records
outside it: an officer of county 422823 learns nothing about county 621102 (household C001)."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from tuopin.areas.models import Area
from tuopin.conftest import VILLAGE_A, VILLAGE_C, person_row
from tuopin.registry import services
from tuopin.registry.models import Household, Person

pytestmark = pytest.mark.usefixtures("households")


def errors_of(report) -> list[tuple[int, str, str, str]]:  # type: ignore[no-untyped-def]
    return [(e.line, e.column, e.code, e.message) for e in report.errors]


def test_an_officer_cannot_take_over_a_household_of_another_county(
    write_csv: Callable[..., Path],
    county_officer,  # type: ignore[no-untyped-def]
) -> None:
    takeover = person_row("C001", "赵刚", seq=71, village=VILLAGE_A)  # same number, own village
    report = services.import_registry(path=write_csv([takeover]), by=county_officer)
    assert [e.code for e in report.errors] == ["household_conflict"]
    c001 = Household.objects.get(household_no="C001")
    assert (c001.village_id, c001.member_count) == (VILLAGE_C, 1)
    assert Person.objects.get(name="赵刚").village_code == VILLAGE_C


def test_the_conflict_reads_the_same_whoever_the_file_lists_in_the_household(
    write_csv: Callable[..., Path],
    county_officer,  # type: ignore[no-untyped-def]
) -> None:
    # The real member of C001, then someone registered in A001: the answers may not differ
    # (a member would be accepted as "already in this household", the other a duplicate).
    member = person_row("C001", "赵刚", seq=71, village=VILLAGE_A)
    member[2] = Person.objects.get(name="赵刚").id_number
    stranger = person_row("C001", "唐俊", seq=12, village=VILLAGE_A)
    first = services.import_registry(path=write_csv([member]), by=county_officer)
    second = services.import_registry(path=write_csv([stranger], name="b.csv"), by=county_officer)
    assert errors_of(first) == errors_of(second)


def test_an_id_registered_in_another_county_reads_like_one_registered_in_scope(
    write_csv: Callable[..., Path],
    county_officer,  # type: ignore[no-untyped-def]
) -> None:
    elsewhere = person_row("H9", "赵刚", seq=71, village=VILLAGE_A)
    elsewhere[2] = Person.objects.get(name="赵刚").id_number  # registered in county 621102
    elsewhere[4] = Person.objects.get(name="赵刚").birth_date.isoformat()
    in_scope = person_row("H8", "唐俊", seq=12, village=VILLAGE_A)  # registered in A001
    out = services.import_registry(path=write_csv([elsewhere]), by=county_officer)
    ins = services.import_registry(path=write_csv([in_scope], name="b.csv"), by=county_officer)
    assert (
        errors_of(out) == errors_of(ins) == [(2, "id_number", "duplicate_id", errors_of(ins)[0][3])]
    )


def test_no_error_names_anything_of_the_other_county(
    write_csv: Callable[..., Path],
    county_officer,  # type: ignore[no-untyped-def]
) -> None:
    zhao = Person.objects.get(name="赵刚")
    rows = [
        person_row("C001", "某甲", seq=95, village=VILLAGE_A),
        [*person_row("H9", "某乙", seq=97, village=VILLAGE_A)],
    ]
    rows[1][2], rows[1][4] = zhao.id_number, zhao.birth_date.isoformat()
    report = services.import_registry(path=write_csv(rows), by=county_officer)
    said = " ".join(e.message for e in report.errors)
    assert report.errors
    village_c = Area.objects.get(code=VILLAGE_C).name
    for secret in ("621102", VILLAGE_C, village_c, "赵刚"):
        assert secret not in said
