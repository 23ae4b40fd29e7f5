"""Money is integer fen (分); yuan (元) only at the edges. Pure code."""

from __future__ import annotations

from decimal import Decimal, InvalidOperation

# The largest single amount the system takes: 10 亿元 (1e11 fen). Far beyond any real gift,
# refund or payment, and low enough that 90 million of them still sum inside a signed 64-bit
# integer (SQLite's SUM raises on overflow; PostgreSQL's bigint column would refuse the row).
MAX_FEN = 100_000_000_000


def is_amount(value: object) -> bool:
    """A positive whole number of fen, at most ``MAX_FEN`` (a bool is not an amount)."""
    return isinstance(value, int) and not isinstance(value, bool) and 0 < value <= MAX_FEN


def parse_yuan(text: str) -> int:
    """Yuan as written in a statement ("1,234.50", "¥88", "88.8元") to fen.

    Raises ``ValueError`` for anything that is not an amount with at most two decimals, or
    whose size exceeds ``MAX_FEN`` (either sign: statements may list reversals).
    """
    cleaned = (
        text.strip().replace(",", "").replace("，", "").lstrip("¥￥").removesuffix("元").strip()
    )
    try:
        value = Decimal(cleaned)
    except InvalidOperation:
        raise ValueError(text) from None
    # Bound before scaling (copy_abs: no context rounding, which would overflow on "1e999999999").
    if not value.is_finite() or value.copy_abs() > Decimal(MAX_FEN) / 100:
        raise ValueError(text)
    fen = value * 100
    if fen != fen.to_integral_value():
        raise ValueError(text)
    return int(fen)


def yuan_digits(fen: int) -> str:
    """``123456`` → ``"1,234.56"``, without ever going through a float."""
    sign = "-" if fen < 0 else ""
    yuan, cents = divmod(abs(fen), 100)
    return f"{sign}{yuan:,}.{cents:02d}"


def format_yuan(fen: int) -> str:
    """``123456`` → ``"¥1,234.56"``."""
    return f"-¥{yuan_digits(-fen)}" if fen < 0 else f"¥{yuan_digits(fen)}"
