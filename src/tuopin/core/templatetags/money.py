"""Money is integer fen everywhere; yuan only here, at the edge."""

from __future__ import annotations

from django import template

from tuopin.core import money

register = template.Library()


@register.filter
def yuan(fen: object) -> str:
    """``123456`` fen → ``1,234.56`` (yuan), without ever going through a float."""
    if not isinstance(fen, int) or isinstance(fen, bool):
        return "—"
    return money.yuan_digits(fen)
