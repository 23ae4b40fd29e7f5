"""订单农业 figures for the dashboards and the work report (``core.indicators``): households
under contract, the area they plant to order, and what the harvest paid them."""

from __future__ import annotations

import datetime as dt

from django.db.models import Count, Sum
from django.utils.translation import gettext_lazy as _

from tuopin.core.indicators import FEN, HOUSEHOLDS, Indicator, before, grouped, within

from .models import HouseholdContract, Payment


def _contracted(prefix: str, width: int, start: dt.date, end: dt.date) -> dict[str, int]:
    return grouped(
        HouseholdContract.objects.filter(before("signed_at", end)),
        code_field="village_code",
        prefix=prefix,
        width=width,
        value=Count("household", distinct=True),  # a household lives in one village
    )


def _paid(prefix: str, width: int, start: dt.date, end: dt.date) -> dict[str, int]:
    return grouped(
        Payment.objects.filter(within("paid_at", start, end)),
        code_field="village_code",
        prefix=prefix,
        width=width,
        value=Sum("gross_fen"),
    )


INDICATORS = [
    Indicator(
        "farming.contracted_households",
        _("订单农业签约户"),
        HOUSEHOLDS,
        flow=False,
        public=True,
        group=_contracted,
        direction="farming",
        order=65,
        source=_("农户订单合同"),
    ),
    Indicator(
        "farming.procurement_fen",
        _("保护价收购货款"),
        FEN,
        flow=True,
        public=True,
        group=_paid,
        direction="farming",
        order=66,
        source=_("收购付款（账本）"),
    ),
]
