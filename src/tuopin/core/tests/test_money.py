"""Yuan at the edges, fen inside: parsing statements and showing amounts, never a float."""

from __future__ import annotations

import pytest

from tuopin.core.money import MAX_FEN, format_yuan, is_amount, parse_yuan


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


@pytest.mark.parametrize("text", ["1e30", "-1e30", "1000000000.01", "1e999999999"])
def test_amounts_beyond_the_bound_are_refused(text: str) -> None:
    with pytest.raises(ValueError):
        parse_yuan(text)


def test_the_bound_itself_is_an_amount() -> None:
    assert parse_yuan("1,000,000,000.00") == MAX_FEN
    assert is_amount(MAX_FEN) and not is_amount(MAX_FEN + 1)


@pytest.mark.parametrize("value", [0, -1, True, 1.0, "5", None])
def test_only_positive_whole_fen_are_amounts(value: object) -> None:
    assert not is_amount(value)


def test_amounts_show_in_yuan_with_the_sign_before_the_symbol() -> None:
    assert format_yuan(123_456) == "¥1,234.56"
    assert format_yuan(-5) == "-¥0.05"
