"""生态脱贫 figures for the dashboards and the work report (``core.indicators``): trees and
m² adopted in each project's county, wages paid to poor people for planting and patrols."""

from __future__ import annotations

import datetime as dt

from django.db.models import Sum
from django.utils.translation import gettext_lazy as _

from tuopin.core.chronicle import Happening
from tuopin.core.indicators import FEN, ITEMS, Indicator, grouped, within

from .models import Adoption, Project, ProjectKind, WorkLog


def _adopted(kind: str):  # type: ignore[no-untyped-def]
    def group(prefix: str, width: int, start: dt.date, end: dt.date) -> dict[str, int]:
        return grouped(
            Adoption.objects.filter(within("created_at", start, end), project__kind=kind),
            code_field="project__county__code",
            prefix=prefix,
            width=width,
            value=Sum("units"),
        )

    return group


def _wages(prefix: str, width: int, start: dt.date, end: dt.date) -> dict[str, int]:
    return grouped(
        WorkLog.objects.filter(within("approved_at", start, end), ledger_index__isnull=False),
        code_field="order__village_code",
        prefix=prefix,
        width=width,
        value=Sum("wage_fen"),
    )


INDICATORS = [
    Indicator(
        "forest.trees",
        _("认种的树"),
        ITEMS,
        flow=True,
        public=True,
        group=_adopted(ProjectKind.TREE),
        direction="forest",
        order=70,
        source=_("认种记录（每棵树一条账本记录）"),
    ),
    Indicator(
        "forest.area_m2",
        _("认领的保护地（平方米）"),
        ITEMS,
        flow=True,
        public=True,
        group=_adopted(ProjectKind.AREA),
        direction="forest",
        order=71,
        source=_("认领记录（账本）"),
    ),
    Indicator(
        "forest.wages_fen",
        _("贫困人口种植与巡护工资"),
        FEN,
        flow=True,
        public=True,
        group=_wages,
        direction="forest",
        order=72,
        source=_("出工记录与工资发放（账本）"),
    ),
]


def happenings(prefix: str, start: dt.date, end: dt.date) -> list[Happening]:
    """大事记: projects that opened in the period."""
    qs = Project.objects.filter(within("opens_at", start, end)).select_related("county")
    if prefix:
        qs = qs.filter(county__code__startswith=prefix)
    return [
        Happening(
            p.opens_at.date(), _("%(name)s开放认种") % {"name": p.name}, area_code=p.county_id
        )
        for p in qs
    ]
