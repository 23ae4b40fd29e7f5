"""Amounts written in upper-case Chinese numerals (大写金额, e.g. 壹万贰仟叁佰肆拾伍元陆角整).

Pure code, no Django. :func:`parse_amount_in_words` reads what an invoice prints (and what OCR
makes of it: 圆 for 元, 正 for 整, a stray 人民币 or ¥ prefix, lower-case numerals);
:func:`yuan_in_words` writes one, for the synthetic documents and the tests.
"""

from __future__ import annotations

import re

DIGITS = {
    "零": 0,
    "〇": 0,
    "壹": 1,
    "贰": 2,
    "貳": 2,
    "叁": 3,
    "參": 3,
    "叄": 3,
    "参": 3,  # OCR reads 叁 as 参 often enough
    "肆": 4,
    "伍": 5,
    "陆": 6,
    "陸": 6,
    "柒": 7,
    "捌": 8,
    "玖": 9,
    # Lower-case numerals turn up on hand-written and some printed receipts.
    "一": 1,
    "二": 2,
    "两": 2,
    "三": 3,
    "四": 4,
    "五": 5,
    "六": 6,
    "七": 7,
    "八": 8,
    "九": 9,
}
SMALL_UNITS = {"拾": 10, "十": 10, "佰": 100, "百": 100, "伯": 100, "仟": 1000, "千": 1000}
BIG_UNITS = {"万": 10_000, "萬": 10_000, "亿": 100_000_000, "億": 100_000_000}
YUAN = "元圆"
FRACTION = {"角": 10, "毛": 10, "分": 1}
END = "整正"
CHARS = "".join([*DIGITS, *SMALL_UNITS, *BIG_UNITS, YUAN, *FRACTION, END])
WORDS_RE = re.compile(f"[{CHARS}]{{2,}}")

UPPER = "零壹贰叁肆伍陆柒捌玖"


class NotAmountInWords(ValueError):
    """The text is not an amount in upper-case numerals."""


def _integer(text: str) -> int:
    """The value of an integer written with units: 壹万贰仟叁佰肆拾伍, 拾万, 壹亿零伍万."""
    total = 0  # completed 亿 groups
    section = 0  # completed 万 groups below the current 亿
    group = 0  # below 万
    digit: int | None = None
    for ch in text:
        if ch in DIGITS:
            if digit is not None and DIGITS[ch] != 0:
                raise NotAmountInWords(text)
            digit = DIGITS[ch] or None
        elif ch in SMALL_UNITS:
            group += (1 if digit is None else digit) * SMALL_UNITS[ch]
            digit = None
        elif ch in BIG_UNITS:
            group += digit or 0
            digit = None
            if BIG_UNITS[ch] == 100_000_000:
                total = (total + section + group) * 100_000_000
                section = 0
            else:
                section = (section + group) * 10_000
            group = 0
        else:
            raise NotAmountInWords(text)
    return total + section + group + (digit or 0)


def parse_amount_in_words(text: str) -> int:
    """Fen from an amount in upper-case numerals. Raises :class:`NotAmountInWords`.

    >>> parse_amount_in_words("壹万贰仟叁佰肆拾伍元陆角整")
    1234560
    """
    cleaned = re.sub(r"[\s¥￥:：()（）]|人民币|大写|合计", "", text)
    match = WORDS_RE.search(cleaned)
    if not match:
        raise NotAmountInWords(text)
    body = match.group(0).rstrip(END)
    cut = min((body.find(y) for y in YUAN if y in body), default=-1)
    yuan_part, rest = (body[:cut], body[cut + 1 :]) if cut >= 0 else ("", "")
    if cut < 0:
        # No 元: either only 角/分 (伍角), or a bare integer.
        yuan_part, rest = ("", body) if any(u in body for u in FRACTION) else (body, "")
    if not yuan_part and not rest:
        raise NotAmountInWords(text)
    fen = _integer(yuan_part) * 100 if yuan_part.strip("零") else 0
    digit: int | None = None
    for ch in rest:
        if ch in DIGITS:
            digit = DIGITS[ch]
        elif ch in FRACTION:
            if digit is None:
                raise NotAmountInWords(text)
            fen += digit * FRACTION[ch]
            digit = None
        else:
            raise NotAmountInWords(text)
    if digit:
        raise NotAmountInWords(text)
    return fen


def _four(n: int) -> str:
    """0 < n < 10000 in upper case with its 仟佰拾 units and inner zeros."""
    out = ""
    zero = False
    for value, unit in ((1000, "仟"), (100, "佰"), (10, "拾"), (1, "")):
        d = n // value % 10
        if d:
            if zero and out:
                out += "零"
            out += UPPER[d] + unit
            zero = False
        else:
            zero = True
    return out


def yuan_in_words(fen: int) -> str:
    """The upper-case form of an amount in fen, as Chinese invoices print it."""
    if fen < 0:
        raise ValueError("negative amount")
    yuan, jiao, cents = fen // 100, fen // 10 % 10, fen % 10
    parts: list[str] = []
    groups = [(yuan // 100_000_000, "亿"), (yuan // 10_000 % 10_000, "万"), (yuan % 10_000, "")]
    need_zero = False
    for value, unit in groups:
        if value:
            if parts and (need_zero or value < 1000):
                parts.append("零")
            parts.append(_four(value) + unit)
            need_zero = False
        elif parts:
            need_zero = True
    text = "".join(parts)
    if yuan:
        text += "元"
    if jiao == 0 and cents == 0:
        return (text or "零元") + "整"
    if jiao:
        text += UPPER[jiao] + "角"
    elif yuan:
        text += "零"
    if cents:
        text += UPPER[cents] + "分"
    else:
        text += "整"
    return text
