"""Monthly centre figures for the centre page, the county and the dashboards: children
served, sessions, attendance rate, home visits and screenings. Grouped queries over any
number of centres (four, whatever the count), never a loop per centre or child."""

from __future__ import annotations

import calendar
import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.db.models import Count, Q, QuerySet

from tuopin.core.ages import years_before

from .demand import CHILD_AGE
from .models import Attendance, Centre, CentreChild, HomeVisit, Screening, Session


@dataclass
class MonthFigures:
    children: int = 0
    """Enrolled at some time in the month and under three at its start."""
    sessions: int = 0
    attendances: int = 0
    visits: int = 0
    screenings: int = 0
    referrals: int = 0
    possible: int = 0
    """Places offered: sessions × children, summed per centre."""

    @property
    def attendance_rate(self) -> float | None:
        """Sign-ins ÷ places offered (each centre's sessions × its children)."""
        return round(self.attendances / self.possible, 3) if self.possible else None


def month_bounds(year: int, month: int) -> tuple[dt.date, dt.date]:
    return dt.date(year, month, 1), dt.date(year, month, calendar.monthrange(year, month)[1])


def _rows(qs: Any) -> list[dict[str, Any]]:
    return list(qs)


def monthly(centres: QuerySet[Centre], year: int, month: int) -> dict[int, MonthFigures]:
    first, last = month_bounds(year, month)
    ids = list(centres.values_list("pk", flat=True))
    out = {pk: MonthFigures() for pk in ids}
    served = (
        CentreChild.objects.filter(centre_id__in=ids, enrolled_on__lte=last)
        .filter(Q(left_on__isnull=True) | Q(left_on__gte=first))
        .filter(birth_date__gt=years_before(first, CHILD_AGE))
        .values("centre_id")
        .annotate(n=Count("id"))
        .order_by()
    )
    for r in _rows(served):
        out[r["centre_id"]].children = r["n"]
    in_month = {"held_on__gte": first, "held_on__lte": last}
    for r in _rows(
        Session.objects.filter(centre_id__in=ids, **in_month)
        .values("centre_id")
        .annotate(n=Count("id"))
        .order_by()
    ):
        out[r["centre_id"]].sessions = r["n"]
    for r in _rows(
        Attendance.objects.filter(
            session__centre_id__in=ids,
            session__held_on__gte=first,
            session__held_on__lte=last,
        )
        .values("session__centre_id")
        .annotate(n=Count("id"))
        .order_by()
    ):
        out[r["session__centre_id"]].attendances = r["n"]
    for r in _rows(
        HomeVisit.objects.filter(
            child__centre_id__in=ids, visited_on__gte=first, visited_on__lte=last
        )
        .values("child__centre_id")
        .annotate(n=Count("id"))
        .order_by()
    ):
        out[r["child__centre_id"]].visits = r["n"]
    refer = Q(gross_motor="refer") | Q(fine_motor="refer") | Q(language="refer") | Q(social="refer")
    for r in _rows(
        Screening.objects.filter(
            child__centre_id__in=ids, screened_on__gte=first, screened_on__lte=last
        )
        .values("child__centre_id")
        .annotate(n=Count("id"), referred=Count("id", filter=refer))
        .order_by()
    ):
        out[r["child__centre_id"]].screenings = r["n"]
        out[r["child__centre_id"]].referrals = r["referred"]
    for f in out.values():
        f.possible = f.sessions * f.children
    return out


def total(figures: dict[int, MonthFigures]) -> MonthFigures:
    t = MonthFigures()
    for f in figures.values():
        t.children += f.children
        t.sessions += f.sessions
        t.attendances += f.attendances
        t.visits += f.visits
        t.screenings += f.screenings
        t.referrals += f.referrals
        t.possible += f.possible
    return t
