"""Childcare figures for the dashboards and the work report (``core.indicators``)."""

from __future__ import annotations

import datetime as dt

from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from tuopin.core.chronicle import Happening
from tuopin.core.indicators import ITEMS, PEOPLE, Indicator, grouped

from .models import Centre, CentreChild


def _centres(prefix: str, width: int, start: dt.date, end: dt.date) -> dict[str, int]:
    """Centres open at the end of the period."""
    return grouped(
        Centre.objects.filter(opened_on__lt=end).filter(
            Q(closed_on__isnull=True) | Q(closed_on__gte=end)
        ),
        code_field="village_code",
        prefix=prefix,
        width=width,
    )


def _children(prefix: str, width: int, start: dt.date, end: dt.date) -> dict[str, int]:
    """Children enrolled at some time in the period."""
    return grouped(
        CentreChild.objects.filter(enrolled_on__lt=end).filter(
            Q(left_on__isnull=True) | Q(left_on__gte=start)
        ),
        code_field="centre__village_code",
        prefix=prefix,
        width=width,
    )


INDICATORS = [
    Indicator(
        "childcare.centres",
        _("养育中心"),
        ITEMS,
        flow=False,
        public=True,
        group=_centres,
        direction="childcare",
        order=50,
        source=_("养育中心登记"),
    ),
    Indicator(
        "childcare.children",
        _("在园儿童"),
        PEOPLE,
        flow=False,
        public=True,
        group=_children,
        direction="childcare",
        order=51,
        source=_("养育中心入园记录"),
    ),
]


def happenings(prefix: str, start: dt.date, end: dt.date) -> list[Happening]:
    """大事记: nurturing centres opened in the period in the area."""
    qs = Centre.objects.filter(opened_on__gte=start, opened_on__lt=end)
    if prefix:
        qs = qs.filter(village_code__startswith=prefix)
    return [
        Happening(c.opened_on, _("%(name)s开办") % {"name": c.name}, area_code=c.village_code)
        for c in qs
    ]
