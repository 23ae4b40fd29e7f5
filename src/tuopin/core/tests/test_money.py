"""Money is integer fen; yuan only at the edge."""

import pytest

from tuopin.core.templatetags.money import yuan


@pytest.mark.parametrize(
    ("fen", "text"), [(0, "0.00"), (5, "0.05"), (123456, "1,234.56"), (-250, "-2.50"), (None, "—")]
)
def test_fen_are_shown_as_yuan_without_floats(fen: object, text: str) -> None:
    assert yuan(fen) == text
