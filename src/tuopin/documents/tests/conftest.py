"""The committed synthetic photos and what recognition makes of them, once per test session."""

import json
from pathlib import Path

import pytest

from tuopin.documents.recognition import recognise
from tuopin.documents.types import Recognition

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures" / "recognition"


@pytest.fixture(scope="session")
def truth() -> list[dict]:
    return json.loads((FIXTURES / "truth.json").read_text(encoding="utf-8"))


@pytest.fixture(scope="session")
def recognised(truth) -> dict[str, Recognition]:
    """Every committed photo recognised (the OCR engine loads once, on the first)."""
    return {t["file"]: recognise(FIXTURES / t["file"]) for t in truth}
