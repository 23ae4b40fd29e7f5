"""Writes of the reports app that are not imports or publication: the partner indicators an
operator defines, the chronicle's events and the featured cases. Each checks its actor and
refuses bad input before writing anything."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from tuopin.accounts import permissions
from tuopin.core import indicators
from tuopin.core.errors import ValidationFailed

from .models import Event, FeaturedCase, PartnerIndicator, Unit

ADD_EVENT, CHANGE_EVENT, DELETE_EVENT = (
    "reports.add_event",
    "reports.change_event",
    "reports.delete_event",
)
ADD_CASE, CHANGE_CASE = "reports.add_featuredcase", "reports.change_featuredcase"
DELETE_CASE = "reports.delete_featuredcase"


def area_code_of(raw: str) -> str:
    """A place given as 6, 9 or 12 digits, as the stored 12-digit code ("" for none)."""
    raw = (raw or "").strip()
    if not raw:
        return ""
    from tuopin.areas.selectors import AreaNotFound, get_area

    try:
        return get_area(raw).code
    except AreaNotFound as e:
        raise ValidationFailed(e.message, code="unknown_area") from None


def indicator_codes(raw: str) -> str:
    """Indicator codes separated by commas or spaces, each one that exists, as stored."""
    codes = [c for c in re.split(r"[,，、\s]+", raw or "") if c]
    unknown = [c for c in codes if indicators.get(c) is None]
    if unknown:
        raise ValidationFailed(
            _("未知的指标代号：%(codes)s") % {"codes": "、".join(unknown)}, code="unknown_indicator"
        )
    return ",".join(dict.fromkeys(codes))


def _direction(key: str) -> str:
    from .workreport import DIRECTIONS

    if key not in {k for k, _t, _s in DIRECTIONS}:
        raise ValidationFailed(_("未知的篇章：%(d)s") % {"d": key}, code="bad_direction")
    return key


def _title(raw: str, message: str) -> str:
    title = (raw or "").strip()
    if not title:
        raise ValidationFailed(message, code="title_required")
    if len(title) > 120:
        raise ValidationFailed(_("标题不能超过 120 个字"), code="title_too_long")
    return title


def define_partner_indicator(
    *, code: str, name: str, unit: str, direction: str = "partners", public: bool = True, by: Any
) -> PartnerIndicator:
    """A figure partners report (idempotent on the code: an existing one is returned)."""
    permissions.require(by, "reports.add_partnerindicator", _("没有设置合作方指标的权限"))
    if unit not in Unit.values:
        raise ValidationFailed(_("未知的单位：%(u)s") % {"u": unit}, code="bad_unit")
    found, _created = PartnerIndicator.objects.get_or_create(
        code=code, defaults={"name": name, "unit": unit, "direction": direction, "public": public}
    )
    return found


def record_event(
    *,
    day: dt.date,
    title: str,
    text: str = "",
    area_code: str = "",
    url: str = "",
    public: bool = True,
    by: Any,
) -> Event:
    """An event of the chronicle (大事记); the same title on the same day is recorded once."""
    permissions.require(by, ADD_EVENT, _("没有记录大事记的权限"))
    title = _title(title, _("请填写事件"))
    found, _created = Event.objects.get_or_create(
        day=day,
        title=title,
        defaults={
            "text": text.strip(),
            "area_code": area_code_of(area_code),
            "url": _link(url),
            "public": public,
            "by": by,
            "at": timezone.now(),
        },
    )
    return found


def _link(url: str) -> str:
    """A link of an event: a page of this site (``/…``) or an http(s) address."""
    url = (url or "").strip()
    if url and not (url.startswith(("https://", "http://")) or re.match(r"^/(?!/)", url)):
        raise ValidationFailed(_("链接应以 / 或 http(s):// 开头"), code="bad_link")
    return url[:300]


def remove_event(*, event: Event, by: Any) -> None:
    """Take an operator's event out of the chronicle (a report already published keeps it:
    its HTML and PDF were fixed when it was published)."""
    permissions.require(by, DELETE_EVENT, _("没有删除大事记的权限"))
    Event.objects.filter(pk=event.pk).delete()


def feature_case(
    *,
    direction: str,
    day: dt.date,
    title: str,
    text: str,
    area_code: str = "",
    indicators: str = "",
    photo: bytes | None = None,
    by: Any,
) -> FeaturedCase:
    """A case for a chapter of the report (idempotent on the title): its place, its text, a
    photo (checked as evidence photos are) and the indicators it illustrates."""
    permissions.require(by, ADD_CASE, _("没有添加典型案例的权限"))
    fields = _case_fields(direction, day, title, text, area_code, indicators)
    with transaction.atomic():
        found, created = FeaturedCase.objects.get_or_create(
            title=fields.pop("title"), defaults={**fields, "by": by}
        )
        if created and photo is not None:
            found.photo = _stored(photo)
            found.save(update_fields=["photo"])
    return found


def update_case(
    *,
    case: FeaturedCase,
    direction: str,
    day: dt.date,
    title: str,
    text: str,
    area_code: str = "",
    indicators: str = "",
    photo: bytes | None = None,
    by: Any,
) -> FeaturedCase:
    """Correct a featured case; a new photo replaces the old one (``None`` keeps it)."""
    permissions.require(by, CHANGE_CASE, _("没有修改典型案例的权限"))
    fields = _case_fields(direction, day, title, text, area_code, indicators)
    if FeaturedCase.objects.filter(title=fields["title"]).exclude(pk=case.pk).exists():
        raise ValidationFailed(_("已有同名的典型案例"), code="duplicate_title")
    with transaction.atomic():
        for name, value in fields.items():
            setattr(case, name, value)
        if photo is not None:
            case.photo = _stored(photo)
        case.save()
    return case


def remove_case(*, case: FeaturedCase, by: Any) -> None:
    permissions.require(by, DELETE_CASE, _("没有删除典型案例的权限"))
    FeaturedCase.objects.filter(pk=case.pk).delete()


def _case_fields(
    direction: str, day: dt.date, title: str, text: str, area_code: str, codes: str
) -> dict[str, Any]:
    if not (text or "").strip():
        raise ValidationFailed(_("请填写案例正文"), code="text_required")
    return {
        "direction": _direction(direction),
        "day": day,
        "title": _title(title, _("请填写案例标题")),
        "text": text.strip(),
        "area_code": area_code_of(area_code),
        "indicators": indicator_codes(codes),
    }


def _stored(photo: bytes) -> Any:
    """The photo stored once per content; a file that is no photo is refused (BadImage)."""
    from tuopin.documents import evidence

    return evidence.store_photo(photo)
