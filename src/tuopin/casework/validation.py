"""Checking a submission's values against its report type: one clear message per field.

Values arrive as text (a form, JSON), photos as bytes; what comes out is typed, ready for the
``Value`` columns. A person or household is looked up through the registry's access
functions with the filer, so a cadre can only name people of their own village.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import Any

from django.utils.translation import gettext as _

from tuopin.core.errors import DomainError
from tuopin.documents import images
from tuopin.registry import selectors as registry

from .models import FieldKind, ReportField


@dataclass
class Cleaned:
    """Typed values by field key, photos by field key, the household or person named."""

    values: dict[str, Any] = field(default_factory=dict)
    photos: dict[str, list[bytes]] = field(default_factory=dict)
    household: Any = None
    person: Any = None
    errors: dict[str, str] = field(default_factory=dict)


def _blank(raw: Any) -> bool:
    return raw is None or (isinstance(raw, str) and not raw.strip())


def _number(f: ReportField, raw: Any) -> Decimal:
    text = str(raw).strip().replace(",", "")
    try:
        value = Decimal(text)
    except InvalidOperation:
        raise ValueError(_("%(f)s 应填数字") % {"f": f.label}) from None
    if not value.is_finite():
        raise ValueError(_("%(f)s 应填数字") % {"f": f.label})
    if f.kind == FieldKind.INTEGER and value != value.to_integral_value():
        raise ValueError(_("%(f)s 应填整数") % {"f": f.label})
    if f.min_value is not None and value < f.min_value:
        raise ValueError(_("%(f)s 不能小于 %(m)s") % {"f": f.label, "m": f.min_value.normalize()})
    if f.max_value is not None and value > f.max_value:
        raise ValueError(_("%(f)s 不能大于 %(m)s") % {"f": f.label, "m": f.max_value.normalize()})
    if abs(value) >= Decimal("1e14"):
        raise ValueError(_("%(f)s 数值过大") % {"f": f.label})
    return value.quantize(Decimal("0.0001"))


def _one(f: ReportField, raw: Any, by: Any, village: str, out: Cleaned) -> Any:
    if f.kind == FieldKind.TEXT:
        text = str(raw).strip()
        if len(text) > 500:
            raise ValueError(_("%(f)s 最多 500 字") % {"f": f.label})
        if not isinstance(raw, str) or text.replace(".", "", 1).lstrip("-").isdigit():
            raise ValueError(_("%(f)s 应填文字说明，不能只是数字") % {"f": f.label})
        return text
    if f.kind in (FieldKind.INTEGER, FieldKind.DECIMAL):
        return _number(f, raw)
    if f.kind == FieldKind.CHOICE:
        text = str(raw).strip()
        if text not in f.choice_list:
            raise ValueError(
                _("%(f)s 只能是：%(c)s") % {"f": f.label, "c": "、".join(f.choice_list)}
            )
        return text
    if f.kind == FieldKind.DATE:
        try:
            return dt.date.fromisoformat(str(raw).strip())
        except ValueError:
            raise ValueError(_("%(f)s 应为日期，例如 2018-06-30") % {"f": f.label}) from None
    if f.kind == FieldKind.HOUSEHOLD:
        try:
            household = registry.get_household_for(by, str(raw).strip())
        except DomainError:
            raise ValueError(_("%(f)s：本村没有这个户编号") % {"f": f.label}) from None
        if household.village_id != village:
            raise ValueError(_("%(f)s：本村没有这个户编号") % {"f": f.label})
        out.household = household
        return household.pk
    if f.kind == FieldKind.PERSON:
        try:
            person = registry.get_person_for(by, int(str(raw).strip()))
        except (DomainError, ValueError):
            raise ValueError(_("%(f)s：本村没有此人") % {"f": f.label}) from None
        if person.village_code != village:
            raise ValueError(_("%(f)s：本村没有此人") % {"f": f.label})
        out.person = person
        if out.household is None:
            out.household = person.household
        return person.pk
    raise ValueError(f.kind)  # pragma: no cover - FieldKind is closed


def clean(
    fields: list[ReportField],
    raw: dict[str, Any],
    photos: dict[str, list[bytes]],
    *,
    by: Any,
    village: str,
) -> Cleaned:
    """Every field checked; ``errors`` holds a message for each field that fails."""
    out = Cleaned()
    known = {f.key for f in fields}
    for key in sorted(set(raw) - known):
        out.errors[key] = _("没有这个字段：%(k)s") % {"k": key}
    for f in fields:
        if f.is_photo:
            given = [p for p in photos.get(f.key, []) if p]
            if f.required and not given:
                out.errors[f.key] = _("请拍摄或上传%(f)s") % {"f": f.label}
                continue
            if f.kind == FieldKind.PHOTO and len(given) > 1:
                out.errors[f.key] = _("%(f)s 只能上传一张") % {"f": f.label}
                continue
            try:
                for data in given:
                    images.inspect(data)
            except DomainError as e:
                out.errors[f.key] = f"{f.label}：{e.message}"
                continue
            out.photos[f.key] = given
            continue
        value = raw.get(f.key)
        if _blank(value):
            if f.required:
                out.errors[f.key] = _("请填写%(f)s") % {"f": f.label}
            continue
        if isinstance(value, (list, dict)):
            out.errors[f.key] = _("%(f)s 格式不对") % {"f": f.label}
            continue
        try:
            out.values[f.key] = _one(f, value, by, village, out)
        except ValueError as e:
            out.errors[f.key] = str(e)
    return out
