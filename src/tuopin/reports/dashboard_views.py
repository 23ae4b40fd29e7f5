"""The dashboard page (数据看板) and its export (XLSX, CSV)."""

from __future__ import annotations

import csv
import io
from decimal import Decimal
from typing import Any

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _

from tuopin.core import charts
from tuopin.core.indicators import FEN, HOUSEHOLDS, ITEMS, PEOPLE, Indicator
from tuopin.core.money import yuan_digits

from . import dashboard as boards


def unit_label(ind: Indicator) -> str:
    return {HOUSEHOLDS: _("户"), PEOPLE: _("人"), ITEMS: _("个"), FEN: _("元")}[ind.unit]


def shown_value(ind: Indicator, value: int) -> Any:
    """Yuan for money (exact), the count otherwise."""
    return Decimal(value) / 100 if ind.unit == FEN else value


def display(ind: Indicator, value: int) -> str:
    """For reading: separators, yuan for money."""
    return yuan_digits(value) if ind.unit == FEN else f"{value:,}"


def _board(request: HttpRequest) -> boards.Dashboard:
    return boards.dashboard(
        request.user,
        area_code=request.GET.get("area"),
        period_text=request.GET.get("period"),
    )


def _map(board: boards.Dashboard, ind: Indicator, title: str, here: str) -> dict[str, Any]:
    """The children as dots sized by the indicator (only the ones the user may open link)."""
    from tuopin.areas import selectors as areas

    found = areas.areas_by_codes([r.code for r in board.children])
    places = [
        charts.Place(
            r.name,
            getattr(found.get(r.code), "longitude", None),
            getattr(found.get(r.code), "latitude", None),
            int(shown_value(ind, r.values.get(ind.code, 0))),
            f"{here}?area={r.code}&period={board.period}&show={ind.code}" if r.drill else "",
        )
        for r in board.children
    ]
    return charts.dot_map(
        "children-map",
        _("地图：%(t)s") % {"t": title},
        places,
        nationwide=board.area is None,
        columns=(_("区划"), title),
    )


@login_required
def dashboard(request: HttpRequest) -> HttpResponse:
    board = _board(request)
    show = request.GET.get("show") or (board.cards[0].indicator.code if board.cards else "")
    card = next((c for c in board.cards if c.indicator.code == show), None)
    here = reverse("dashboard")
    chart_specs = []
    if card is not None:
        ind = card.indicator
        title = _("%(name)s（%(unit)s）") % {"name": ind.name, "unit": unit_label(ind)}
        trend = [(label, int(shown_value(ind, v))) for label, v in board.trend[ind.code]]
        chart_specs.append(charts.bar_chart("trend", title, trend, columns=(_("报告期"), title)))
        if board.children and ind.areal:
            rows = [
                (
                    r.name,
                    int(shown_value(ind, r.values.get(ind.code, 0))),
                    f"{here}?area={r.code}&period={board.period}&show={ind.code}"
                    if r.drill
                    else "",
                )
                for r in board.children
            ]
            chart_specs.append(
                charts.bar_chart("children", title, rows, columns=(_("区划"), title))
            )
            chart_specs.append(_map(board, ind, title, here))
    crumbs = []
    if board.area is not None:
        from tuopin.areas import selectors as areas

        crumbs = [
            a for a in areas.ancestors_of(board.area) if boards.scoping.covers(request.user, a.code)
        ]
    cards = [
        {
            "card": c,
            "value": display(c.indicator, c.value),
            "unit": unit_label(c.indicator),
            "selected": c.indicator.code == show,
            "shown": c.value or c.previous or c.year_before or c.indicator.code == show,
        }
        for c in board.cards
    ]
    live = {c.indicator.code for c, row in zip(board.cards, cards, strict=True) if row["shown"]}
    columns = [i for i in board.areal if i.code in live]
    table = [
        {
            "row": r,
            "cells": [(i.name, display(i, r.values.get(i.code, 0))) for i in columns],
        }
        for r in board.children
        if any(r.values.get(i.code) for i in columns)
    ]
    return render(
        request,
        "reports/dashboard.html",
        {
            "board": board,
            "cards": cards,
            "quiet": [c for c in cards if not c["shown"]],
            "table": table,
            "columns": [(i, unit_label(i)) for i in columns],
            "empty_children": len(board.children) - len(table),
            "charts": chart_specs,
            "show": show,
            "crumbs": crumbs,
            "previous": board.period.previous,
            "next": board.period.shifted(1),
        },
    )


def _rows(board: boards.Dashboard) -> list[list[Any]]:
    header = [_("区划代码"), _("名称")] + [
        _("%(name)s（%(unit)s）") % {"name": i.name, "unit": unit_label(i)} for i in board.areal
    ]
    out: list[list[Any]] = [header]
    for r in board.children:
        out.append(
            [r.code, r.name] + [shown_value(i, r.values.get(i.code, 0)) for i in board.areal]
        )
    totals = {c.indicator.code: c.value for c in board.cards}
    name = board.area.name if board.area is not None else _("全国")
    code = board.area.code if board.area is not None else ""
    out.append(
        [code, _("%(name)s合计") % {"name": name}]
        + [shown_value(i, totals[i.code]) for i in board.areal]
    )
    return out


@login_required
def dashboard_export(request: HttpRequest, fmt: str) -> HttpResponse:
    if fmt not in ("csv", "xlsx"):
        raise Http404
    board = _board(request)
    rows = _rows(board)
    name = f"dashboard-{board.area.code if board.area is not None else 'cn'}-{board.period}"
    if fmt == "csv":
        buf = io.StringIO()
        buf.write("\ufeff")  # Excel opens UTF-8 with a BOM
        writer = csv.writer(buf)
        for line in rows:
            writer.writerow([str(v) for v in line])
        response = HttpResponse(buf.getvalue(), content_type="text/csv; charset=utf-8")
    else:
        from openpyxl import Workbook

        wb = Workbook()
        ws = wb.active
        assert ws is not None
        ws.title = str(board.period)
        for line in rows:
            ws.append([float(v) if isinstance(v, Decimal) else v for v in line])
        out = io.BytesIO()
        wb.save(out)
        response = HttpResponse(
            out.getvalue(),
            content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        )
    response["Content-Disposition"] = f'attachment; filename="{name}.{fmt}"'
    return response


@login_required
def review(request: HttpRequest) -> HttpResponse:
    """月度/季度回顾: the dashboard's figures for a month or quarter, what moved most against
    the period before, and what waits or is overdue for this user."""
    from tuopin.core import attention

    board = _board(request)
    moved = sorted(
        (c for c in board.cards if c.change is not None and c.change != 0),
        key=lambda c: -abs(c.change or 0),
    )[:8]
    new = [c for c in board.cards if c.previous == 0 and c.value]
    return render(
        request,
        "reports/review.html",
        {
            "board": board,
            "moved": [
                {
                    "card": c,
                    "value": display(c.indicator, c.value),
                    "unit": unit_label(c.indicator),
                }
                for c in moved
            ],
            "new": [
                {
                    "card": c,
                    "value": display(c.indicator, c.value),
                    "unit": unit_label(c.indicator),
                }
                for c in new
            ],
            "waiting": attention.waiting_for(request.user),
            "previous": board.period.previous,
            "next": board.period.shifted(1),
        },
    )
