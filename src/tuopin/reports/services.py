"""Writes of the reports app that are not imports or publication: the partner indicators an
operator defines, the chronicle's events and the featured cases. Each checks its actor."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext as _

from tuopin.accounts import permissions
from tuopin.core.errors import ValidationFailed

from .models import Event, FeaturedCase, PartnerIndicator, Unit


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
    permissions.require(by, "reports.add_event", _("没有记录大事记的权限"))
    title = title.strip()
    if not title:
        raise ValidationFailed(_("请填写事件"), code="title_required")
    found, _created = Event.objects.get_or_create(
        day=day,
        title=title[:120],
        defaults={
            "text": text,
            "area_code": area_code,
            "url": url,
            "public": public,
            "by": by,
            "at": timezone.now(),
        },
    )
    return found


def feature_case(
    *, direction: str, day: dt.date, title: str, text: str, area_code: str = "", by: Any
) -> FeaturedCase:
    """A case for a chapter of the report (idempotent on the title)."""
    permissions.require(by, "reports.add_featuredcase", _("没有添加典型案例的权限"))
    found, _created = FeaturedCase.objects.get_or_create(
        title=title[:120],
        defaults={
            "direction": direction,
            "day": day,
            "text": text,
            "area_code": area_code,
            "by": by,
        },
    )
    return found
