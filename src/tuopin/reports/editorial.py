"""Reads of what operators write for the report: the chronicle's events (大事记) and the
featured cases (典型案例). One access function per resource, used by the pages and the admin.

Public events are for everyone; an event marked not public, and every featured case before a
report publishes it, only for who may see them (out of scope looks like not found)."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from django.utils.translation import gettext as _

from tuopin.accounts import permissions
from tuopin.core import chronicle, periods
from tuopin.core.errors import NotFound

from .models import Event, FeaturedCase

VIEW_EVENTS = "reports.view_event"
VIEW_CASES = "reports.view_featuredcase"


def events_for(user: Any) -> QuerySet[Event]:
    qs = Event.objects.select_related("by")
    if permissions.has(user, VIEW_EVENTS):
        return qs
    return qs.filter(public=True)


def get_event_for(user: Any, event_id: int) -> Event:
    found = events_for(user).filter(pk=event_id).first()
    if found is None:
        raise NotFound(_("大事记不存在"))
    return found


def chronicle_of(user: Any, period: periods.Period) -> list[tuple[Any, Event | None]]:
    """The period's chronicle as the report prints it: operators' events (each with its row,
    for who may remove it) and the apps' own happenings, by date."""
    rows: list[tuple[Any, Event | None]] = [
        (e, e) for e in events_for(user).filter(day__gte=period.start, day__lt=period.end)
    ]
    rows += [(h, None) for h in chronicle.happenings("", period.start, period.end)]
    return sorted(rows, key=lambda r: (r[0].day, r[0].title))


def cases_for(user: Any) -> QuerySet[FeaturedCase]:
    permissions.require(user, VIEW_CASES, _("没有查看典型案例的权限"))
    return FeaturedCase.objects.select_related("photo", "by")


def get_case_for(user: Any, case_id: int) -> FeaturedCase:
    found = (
        FeaturedCase.objects.select_related("photo", "by").filter(pk=case_id).first()
        if permissions.has(user, VIEW_CASES)
        else None
    )
    if found is None:
        raise NotFound(_("典型案例不存在"))
    return found
