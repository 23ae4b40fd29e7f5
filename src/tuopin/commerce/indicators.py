"""兴农扶贫 figures for the dashboards and the work report (``core.indicators``): sales of
poor counties' produce through every outlet (the imported statements), products listed."""

from __future__ import annotations

import datetime as dt

from django.db.models import Sum
from django.utils.translation import gettext_lazy as _

from tuopin.core.indicators import FEN, ITEMS, Indicator, before, grouped

from .models import Product, SalesLine


def _sales(prefix: str, width: int, start: dt.date, end: dt.date) -> dict[str, int]:
    return grouped(
        SalesLine.objects.filter(date__gte=start, date__lt=end),
        code_field="county_code",
        prefix=prefix,
        width=width,
        value=Sum("amount_fen"),
    )


def _products(prefix: str, width: int, start: dt.date, end: dt.date) -> dict[str, int]:
    return grouped(
        Product.objects.filter(before("created_at", end)),
        code_field="county_code",
        prefix=prefix,
        width=width,
    )


INDICATORS = [
    Indicator(
        "commerce.sales_fen",
        _("贫困县产品销售额"),
        FEN,
        flow=True,
        public=True,
        group=_sales,
        direction="commerce",
        order=60,
        source=_("各渠道销售对账单（兴农扶贫）"),
    ),
    Indicator(
        "commerce.products",
        _("兴农扶贫频道商品"),
        ITEMS,
        flow=False,
        public=True,
        group=_products,
        direction="commerce",
        order=61,
        source=_("兴农扶贫商品目录"),
    ),
]
