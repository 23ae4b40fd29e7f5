"""Form fields for money and rates: people type yuan and percent, the code keeps fen and
basis points. The conversion is exact (``Decimal``, never a float) and refuses what cannot be
stored exactly (a fraction of a fen, of a basis point) instead of rounding it away."""

from __future__ import annotations

from decimal import Decimal, InvalidOperation

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from .money import MAX_FEN, parse_yuan, yuan_digits


def yuan_input(fen: int | None) -> str | None:
    """``123456`` → ``"1234.56"``: what a number input shows (no thousands separator)."""
    if fen is None:
        return None
    sign = "-" if fen < 0 else ""
    yuan, cents = divmod(abs(fen), 100)
    return f"{sign}{yuan}.{cents:02d}"


def percent_input(bp: int | None) -> str | None:
    """``8550`` basis points → ``"85.5"``."""
    if bp is None:
        return None
    return format(Decimal(bp).scaleb(-2).normalize(), "f")


class YuanField(forms.Field):
    """An amount typed in yuan (at most two decimals, never negative), cleaned to fen (int).

    Its initial value is in fen, like its cleaned value: Django compares the initial value with
    the cleaned posted one to tell an untouched extra form from a filled one. The widget shows
    it in yuan.
    """

    widget = forms.NumberInput

    def __init__(self, *, max_fen: int = MAX_FEN, **kwargs: object) -> None:
        self.max_fen = max_fen
        super().__init__(**kwargs)  # type: ignore[arg-type]

    def widget_attrs(self, widget: forms.Widget) -> dict[str, str]:
        attrs = super().widget_attrs(widget)
        attrs.update(min="0", step="0.01", max=yuan_input(self.max_fen) or "", inputmode="decimal")
        return attrs

    def prepare_value(self, value: object) -> object:
        # An int is fen (initial, or the instance's); a string is what was posted, shown back.
        return yuan_input(value) if isinstance(value, int) else value

    def to_python(self, value: object) -> int | None:
        if value in self.empty_values:
            return None
        too_big = ValidationError(
            _("金额不能超过 %(max)s 元") % {"max": yuan_digits(self.max_fen)}, code="max_value"
        )
        try:
            fen = parse_yuan(str(value))
        except ValueError:
            if _is_huge(str(value)):  # parse_yuan refuses past MAX_FEN; say so, not "invalid"
                raise too_big from None
            raise ValidationError(
                _("请填写以元为单位的金额，最多两位小数（到分）"), code="invalid"
            ) from None
        if fen < 0:
            raise ValidationError(_("金额不能为负数"), code="min_value")
        if fen > self.max_fen:
            raise too_big
        return fen


def _is_huge(text: str) -> bool:
    try:
        value = Decimal(text.strip())
    except InvalidOperation:
        return False
    return value.is_finite() and value > Decimal(MAX_FEN) / 100


class PercentField(forms.Field):
    """A rate typed in percent (0–100, at most two decimals), cleaned to basis points (int).
    Its initial value is in basis points, shown in percent (as ``YuanField`` does)."""

    widget = forms.NumberInput

    def widget_attrs(self, widget: forms.Widget) -> dict[str, str]:
        attrs = super().widget_attrs(widget)
        attrs.update(min="0", max="100", step="0.01", inputmode="decimal")
        return attrs

    def prepare_value(self, value: object) -> object:
        return percent_input(value) if isinstance(value, int) else value

    def to_python(self, value: object) -> int | None:
        if value in self.empty_values:
            return None
        try:
            pct = Decimal(str(value).strip().removesuffix("%").strip())
        except InvalidOperation:
            pct = Decimal("NaN")
        if not pct.is_finite() or not Decimal(0) <= pct <= Decimal(100):
            raise ValidationError(_("比例应在 0 到 100 之间（百分比）"), code="invalid")
        bp = pct * 100
        if bp != bp.to_integral_value():
            raise ValidationError(_("比例最多两位小数"), code="invalid")
        return int(bp)
