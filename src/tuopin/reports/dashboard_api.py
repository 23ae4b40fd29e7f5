"""API of the dashboards (数据看板) and the work reports, for phone apps and scripts."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.http import HttpRequest
from django.urls import reverse
from ninja import Router, Schema

from tuopin.accounts.selectors import acting_user

from . import dashboard as boards
from . import publishing

router = Router(tags=["reports"])


class CardOut(Schema):
    code: str
    name: str
    unit: str
    value: int
    previous: int
    year_before: int
    source: str


class ChildOut(Schema):
    code: str
    name: str
    values: dict[str, int]


class DashboardOut(Schema):
    area: str
    area_name: str
    period: str
    start: dt.date
    end: dt.date
    public_only: bool
    cards: list[CardOut]
    children: list[ChildOut]


@router.get("/dashboard", response=DashboardOut, summary="Indicators of an area and a period")
def dashboard(request: HttpRequest, area: str | None = None, period: str | None = None) -> Any:
    board = boards.dashboard(acting_user(request), area_code=area, period_text=period)
    return {
        "area": board.area.code if board.area is not None else "",
        "area_name": board.area.name if board.area is not None else "全国",
        "period": board.period.code,
        "start": board.period.start,
        "end": board.period.end,
        "public_only": board.public_only,
        "cards": [
            {
                "code": c.indicator.code,
                "name": str(c.indicator.name),
                "unit": c.indicator.unit,
                "value": c.value,
                "previous": c.previous,
                "year_before": c.year_before,
                "source": str(c.indicator.source),
            }
            for c in board.cards
        ],
        "children": [{"code": r.code, "name": r.name, "values": r.values} for r in board.children],
    }


class WorkReportOut(Schema):
    id: int
    period: str
    area: str
    status: str
    published_at: dt.datetime | None
    pdf_sha256: str
    ledger_index: int | None
    pdf_url: str


@router.get("/work-reports", response=list[WorkReportOut], summary="Work reports I may read")
def work_reports(request: HttpRequest) -> list[dict[str, Any]]:
    return [
        {
            "id": r.pk,
            "period": r.period,
            "area": r.area_code,
            "status": r.status,
            "published_at": r.published_at,
            "pdf_sha256": r.pdf_sha256,
            "ledger_index": r.ledger_index,
            "pdf_url": reverse("work_report_pdf", args=[r.pk]),
        }
        for r in publishing.reports_for(acting_user(request))[:100]
    ]
