"""Yuan at the edges, fen inside: parsing statements and showing amounts, never a float."""

from __future__ import annotations

import pytest

from tuopin.core.money import format_yuan, parse_yuan


@pytest.mark.parametrize(
    ("text", "fen"),
    [
        ("50", 5_000),
        ("50.00", 5_000),
        ("1,234.50", 123_450),
        ("¥88", 8_800),
        ("88.8元", 8_880),
        ("￥0.01", 1),
        ("-3.20", -320),
        ("0.1", 10),
    ],
)
def test_statement_amounts_become_fen(text: str, fen: int) -> None:
    assert parse_yuan(text) == fen


@pytest.mark.parametrize("text", ["", "abc", "1.234", "NaN", "inf", "1e", "12.3.4"])
def test_what_is_not_an_amount_is_refused(text: str) -> None:
    with pytest.raises(ValueError):
        parse_yuan(text)


def test_amounts_show_in_yuan_with_the_sign_before_the_symbol() -> None:
    assert format_yuan(123_456) == "¥1,234.56"
    assert format_yuan(-5) == "-¥0.05"
