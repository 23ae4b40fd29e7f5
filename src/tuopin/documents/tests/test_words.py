"""The upper-case amount (大写) parser and writer."""

import random

import pytest

from tuopin.documents.recognition.words import (
    NotAmountInWords,
    parse_amount_in_words,
    yuan_in_words,
)


@pytest.mark.parametrize(
    ("text", "fen"),
    [
        ("壹万贰仟叁佰肆拾伍元陆角整", 1_234_560),
        ("壹万贰仟叁佰肆拾伍圆陆角正", 1_234_560),
        ("人民币壹万贰仟叁佰肆拾伍元陆角整", 1_234_560),
        ("拾元整", 1_000),
        ("拾万元整", 10_000_000),
        ("壹拾万元整", 10_000_000),
        ("壹佰零壹元整", 10_100),
        ("壹万零壹元整", 1_000_100),
        ("壹亿零伍万元整", 10_005_000_000),
        ("贰仟万元整", 2_000_000_000),
        ("伍角", 50),
        ("伍分", 5),
        ("壹元零伍分", 105),
        ("叁佰元零伍分", 30_005),
        ("零元整", 0),
        ("合计(大写)：捌佰叁拾贰元叁角伍分", 83_235),
        ("贰万捌仟捌佰玖拾参元伍角贰分", 2_889_352),  # 叁 read as 参
    ],
)
def test_it_reads_amounts_in_words(text, fen):
    assert parse_amount_in_words(text) == fen


@pytest.mark.parametrize("text", ["", "合计", "12345.60", "元整", "壹贰元"])
def test_it_refuses_what_is_not_an_amount_in_words(text):
    with pytest.raises(NotAmountInWords):
        parse_amount_in_words(text)


@pytest.mark.parametrize(
    ("fen", "text"),
    [
        (1_234_560, "壹万贰仟叁佰肆拾伍元陆角整"),
        (10_100, "壹佰零壹元整"),
        (1_000_100, "壹万零壹元整"),
        (105, "壹元零伍分"),
        (1_010, "壹拾元壹角整"),
        (0, "零元整"),
    ],
)
def test_it_writes_amounts_as_invoices_print_them(fen, text):
    assert yuan_in_words(fen) == text


def test_writing_and_reading_agree_on_any_amount():
    rng = random.Random(7)
    for fen in [rng.randint(0, 10**12) for _ in range(3000)]:
        assert parse_amount_in_words(yuan_in_words(fen)) == fen
