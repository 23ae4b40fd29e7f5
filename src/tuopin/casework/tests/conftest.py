"""Fixtures of the casework tests: the seeded report types and a township officer."""

from __future__ import annotations

from typing import Any

import pytest

from tuopin.casework.seed import seed_report_types

from .factories import township_officer


@pytest.fixture
def types(db: None) -> dict[str, Any]:
    return {t.slug: t for t in seed_report_types()}


@pytest.fixture
def township(area_tree: None):  # type: ignore[no-untyped-def]
    return township_officer()
