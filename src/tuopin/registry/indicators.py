"""The registry's figures for the dashboards and the work report (``core.indicators``)."""

from __future__ import annotations

import datetime as dt

from django.db.models import Sum
from django.utils.translation import gettext_lazy as _

from tuopin.core.indicators import (
    HOUSEHOLDS,
    PEOPLE,
    Group,
    Indicator,
    before,
    grouped,
    within,
)

from .choices import PovertyStatus
from .models import Household, Person, StatusChange


def _households(prefix: str, width: int, start: dt.date, end: dt.date) -> dict[str, int]:
    return grouped(
        # registered before the end and not closed (销户) by then
        Household.objects.filter(before("created_at", end)).exclude(closed_on__lt=end),
        code_field="village__code",
        prefix=prefix,
        width=width,
    )


def _people(prefix: str, width: int, start: dt.date, end: dt.date) -> dict[str, int]:
    return grouped(
        # registered before the end and still in the register then (not died, moved or merged)
        Person.objects.filter(before("created_at", end)).exclude(left_on__lt=end),
        code_field="village_code",
        prefix=prefix,
        width=width,
    )


def _changes(to: str) -> Group:
    def group(prefix: str, width: int, start: dt.date, end: dt.date) -> dict[str, int]:
        return grouped(
            StatusChange.objects.filter(within("at", start, end), to_status=to),
            code_field="household__village__code",
            prefix=prefix,
            width=width,
        )

    return group


def _lifted_people(prefix: str, width: int, start: dt.date, end: dt.date) -> dict[str, int]:
    return grouped(
        StatusChange.objects.filter(within("at", start, end), to_status=PovertyStatus.LIFTED),
        code_field="household__village__code",
        prefix=prefix,
        width=width,
        value=Sum("household__member_count"),
    )


INDICATORS = [
    Indicator(
        "registry.households",
        _("建档立卡户"),
        HOUSEHOLDS,
        flow=False,
        public=True,
        group=_households,
        direction="registry",
        order=10,
        source=_("建档立卡登记"),
    ),
    Indicator(
        "registry.people",
        _("建档立卡人口"),
        PEOPLE,
        flow=False,
        public=True,
        group=_people,
        direction="registry",
        order=11,
        source=_("建档立卡登记"),
    ),
    Indicator(
        "registry.lifted",
        _("脱贫户"),
        HOUSEHOLDS,
        flow=True,
        public=True,
        group=_changes(PovertyStatus.LIFTED),
        direction="registry",
        order=12,
        source=_("贫困状态变更记录"),
    ),
    Indicator(
        "registry.lifted_people",
        _("脱贫人口"),
        PEOPLE,
        flow=True,
        public=True,
        group=_lifted_people,
        direction="registry",
        order=13,
        source=_("贫困状态变更记录"),
    ),
    Indicator(
        "registry.returned",
        _("返贫户"),
        HOUSEHOLDS,
        flow=True,
        public=True,
        group=_changes(PovertyStatus.RETURNED),
        direction="registry",
        order=14,
        source=_("贫困状态变更记录"),
    ),
]
