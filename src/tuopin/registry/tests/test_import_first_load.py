"""A first load into an empty registry skips the batches' look-ups; anyone written by someone
else meanwhile is still found, by the unique keys and a second check of the batch."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from tuopin.conftest import VILLAGE_B, person_row
from tuopin.registry import services
from tuopin.registry.idhash import id_hash
from tuopin.registry.importing import run as import_run
from tuopin.registry.models import Household, Person

pytestmark = pytest.mark.usefixtures("area_tree")


def _codes(report) -> dict[int, set[str]]:  # type: ignore[no-untyped-def]
    out: dict[int, set[str]] = {}
    for e in report.errors:
        out.setdefault(e.line, set()).add(e.code)
    return out


@pytest.fixture
def one_household_per_batch(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(import_run, "CHUNK_HOUSEHOLDS", 1)


def _someone_else_registers(row: list[str]) -> Callable[[int], None]:
    """A progress callback that, after the first batch (one row), registers the person of ``row`` in a
    household of their own, as another import or a cadre's page would."""

    def progress(rows_read: int) -> None:
        if rows_read == 1 and not Household.objects.filter(household_no="OTHER").exists():
            household = Household.objects.create(
                household_no="OTHER", village_id=VILLAGE_B, head_name=row[1], member_count=1
            )
            Person.objects.create(
                household=household,
                village_code=VILLAGE_B,
                name=row[1],
                id_number=row[2],
                id_hash=id_hash(row[2]),
                sex="M",
                birth_date="1980-01-01",
                relation="head",
            )

    return progress


@pytest.mark.usefixtures("one_household_per_batch")
def test_it_finds_a_person_registered_by_someone_else_during_a_first_load(
    write_csv: Callable[..., Path],
) -> None:
    later = person_row("H2", "乙", seq=21)
    path = write_csv([person_row("H1", "甲", seq=11), later, person_row("H3", "丙", seq=31)])

    report = services.import_registry(path=path, progress=_someone_else_registers(later))

    assert _codes(report) == {3: {"duplicate_id"}}
    assert sorted(Household.objects.values_list("household_no", flat=True)) == [
        "H1",
        "H3",
        "OTHER",
    ]
    assert Person.objects.get(id_number=later[2]).household.household_no == "OTHER"


@pytest.mark.usefixtures("one_household_per_batch")
def test_a_first_load_still_finds_duplicates_within_the_file(
    write_csv: Callable[..., Path],
) -> None:
    first = person_row("H1", "甲", seq=11)
    twin = [*first]
    twin[0] = "H2"

    report = services.import_registry(path=write_csv([first, twin]))

    assert _codes(report) == {3: {"duplicate_id"}}
    assert Person.objects.count() == 1
