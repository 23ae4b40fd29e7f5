"""Money is integer fen (分); yuan (元) only at the edges. Pure code."""

from __future__ import annotations

from decimal import Decimal, InvalidOperation


def parse_yuan(text: str) -> int:
    """Yuan as written in a statement ("1,234.50", "¥88", "88.8元") to fen.

    Raises ``ValueError`` for anything that is not an amount with at most two decimals.
    """
    cleaned = (
        text.strip().replace(",", "").replace("，", "").lstrip("¥￥").removesuffix("元").strip()
    )
    try:
        value = Decimal(cleaned)
    except InvalidOperation:
        raise ValueError(text) from None
    if not value.is_finite():
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
