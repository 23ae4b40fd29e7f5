"""County sales statistics as an XLSX workbook: counties, outlets, top products, months."""

from __future__ import annotations

from io import BytesIO

from django.utils.translation import gettext as _
from openpyxl import Workbook

from tuopin.core.tabular import neutralise_row

from .statistics import SalesStatistics


def statistics_workbook(stats: SalesStatistics) -> bytes:
    wb = Workbook()
    ws = wb.active
    assert ws is not None
    ws.title = _("各县")
    ws.append([_("县代码"), _("县"), _("贫困县"), _("数量"), _("销售额（元）"), _("商品数")])
    for c in stats.counties:
        ws.append(
            neutralise_row(
                [
                    c.code,
                    c.name,
                    _("是") if c.poor else _("否"),
                    c.quantity,
                    c.amount_fen / 100,
                    c.products,
                ]
            )
        )
    for title, rows, head in (
        (_("渠道"), stats.outlets, _("渠道")),
        (_("热销商品"), stats.products, _("商品")),
        (_("月份"), stats.months, _("月份")),
    ):
        sheet = wb.create_sheet(str(title))
        sheet.append([str(head), _("数量"), _("销售额（元）")])
        for r in rows:
            sheet.append(neutralise_row([r.label, r.quantity, r.amount_fen / 100]))
    out = BytesIO()
    wb.save(out)
    return out.getvalue()
