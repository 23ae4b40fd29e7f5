"""Field-report figures for the dashboards and the work report (``core.indicators``)."""

from __future__ import annotations

import datetime as dt

from django.db.models import Sum
from django.utils.translation import gettext_lazy as _

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
