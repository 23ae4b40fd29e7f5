"""Field-report figures for the dashboards and the work report (``core.indicators``)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db.models import Sum
from django.utils.translation import gettext_lazy as _

from tuopin.core.attention import Waiting
from tuopin.core.indicators import FEN, ITEMS, Indicator, grouped, within

from .models import Disbursement, Submission


def _filed(prefix: str, width: int, start: dt.date, end: dt.date) -> dict[str, int]:
    return grouped(
        Submission.objects.filter(within("filed_at", start, end)),
        code_field="area__code",
        prefix=prefix,
        width=width,
    )


def _disbursed(prefix: str, width: int, start: dt.date, end: dt.date) -> dict[str, int]:
    return grouped(
        Disbursement.objects.filter(within("paid_at", start, end)),
        code_field="pledge__submission__area__code",
        prefix=prefix,
        width=width,
        value=Sum("amount_fen"),
    )


INDICATORS = [
    Indicator(
        "casework.filed",
        _("村情上报"),
        ITEMS,
        flow=True,
        public=True,
        group=_filed,
        direction="casework",
        order=40,
        source=_("村情上报"),
    ),
    Indicator(
        "casework.disbursed_fen",
        _("爱心人士资助拨付"),
        FEN,
        flow=True,
        public=True,
        group=_disbursed,
        direction="casework",
        order=41,
        source=_("拨付（账本）"),
    ),
]


def waiting(user: Any) -> list[Waiting]:
    """待办: field reports waiting for ``user`` (overdue apart)."""
    from django.urls import reverse

    from .selectors import inbox_for

    items = inbox_for(user)
    overdue = sum(1 for i in items if i.overdue)
    url = reverse("casework:inbox")
    return [
        Waiting(str(_("逾期未审批的村情上报")), overdue, url, overdue=True),
        Waiting(str(_("待我处理的村情上报")), len(items) - overdue, url),
    ]
