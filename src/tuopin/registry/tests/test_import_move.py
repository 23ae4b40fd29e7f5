"""An import that moves a household to another village moves every member, listed or not."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from tuopin.conftest import VILLAGE_B, person_row
from tuopin.registry import services
from tuopin.registry.models import Household, Person


def test_a_moved_household_takes_its_unlisted_members_along(
    households: None, write_csv: Callable[..., Path]
) -> None:
    # A001 (three people in village A) comes back with only its head, now in village B.
    path = write_csv([person_row("A001", "唐俊", seq=12, village=VILLAGE_B)], name="move.csv")
    assert services.import_registry(path=path).errors == []
    assert Household.objects.get(household_no="A001").village_id == VILLAGE_B
    villages = set(
        Person.objects.filter(household__household_no="A001").values_list("village_code", flat=True)
    )
    assert villages == {VILLAGE_B}
