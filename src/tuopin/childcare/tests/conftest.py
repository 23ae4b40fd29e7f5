"""Young families in 巴东 for the childcare tests: village A (12 children under three),
village B (5), village D without coordinates (2), and one child in 定西 (another county)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from pathlib import Path

import pytest

from tuopin.areas import services as areas
from tuopin.conftest import VILLAGE_A, VILLAGE_B, VILLAGE_C, person_row
from tuopin.registry import services as registry

ON = dt.date(2018, 6, 30)
VILLAGE_D = "422823101203"


def family(no: str, village: str, seq: int, child_birth: dt.date) -> list[list[str]]:
    return [
        person_row(no, f"母{no}", seq=seq * 10 + 2, village=village, birth=dt.date(1992, 4, 1)),
        person_row(
            no, f"子{no}", seq=seq * 10 + 1, village=village, birth=child_birth, relation="之子"
        ),
    ]


@pytest.fixture
def young_families(area_tree: None, write_csv: Callable[..., Path]) -> None:
    areas.create_areas(rows=[(VILLAGE_D, "无坐标村", None, None)])
    rows: list[list[str]] = []
    for i in range(12):
        rows += family(f"YA{i:02d}", VILLAGE_A, 10 + i, ON - dt.timedelta(days=100 + 50 * i))
    for i in range(5):
        rows += family(f"YB{i:02d}", VILLAGE_B, 30 + i, ON - dt.timedelta(days=200 + 30 * i))
    for i in range(2):
        rows += family(f"YD{i:02d}", VILLAGE_D, 40 + i, ON - dt.timedelta(days=300))
    rows += family("YC00", VILLAGE_C, 50, ON - dt.timedelta(days=300))
    # Turned three on the day: moved on, not counted.
    rows += family("YA99", VILLAGE_A, 60, ON.replace(year=ON.year - 3))
    report = registry.import_registry(path=write_csv(rows))
    assert report.errors == [], report.errors
