"""Pages for running centres: the list with this month's figures (and opening one), and a
centre's page (roster, month, sessions with attendance, home visits, screenings, enrolment)."""

from __future__ import annotations

import datetime as dt

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from tuopin.accounts import permissions
from tuopin.accounts.selectors import acting_user
from tuopin.core.ages import years_before
from tuopin.core.errors import DomainError
from tuopin.registry import selectors as registry

from . import centres, reporting, selectors
from .demand import CHILD_AGE
from .models import Outcome


def _month(request: HttpRequest) -> tuple[int, int]:
    raw = request.GET.get("month", "")
    try:
        day = dt.date.fromisoformat(raw + "-01")
    except ValueError:
        day = timezone.localdate()
    return day.year, day.month


def _date(raw: str) -> dt.date:
    try:
        return dt.date.fromisoformat(raw)
    except ValueError:
        from .errors import BadCentreRecord

        raise BadCentreRecord(_("日期无效：%(d)s") % {"d": raw}, code="bad_date") from None


@login_required
def centre_list(request: HttpRequest) -> HttpResponse:
    found = centres.centres_for(request.user).order_by("county_code", "name")
    year, month = _month(request)
    figures = reporting.monthly(found, year, month)
    if request.method == "POST":
        try:
            site = None
            if request.POST.get("plan_site"):
                site = selectors.get_plan_site_for(request.user, _int(request.POST["plan_site"]))
            centre = centres.open_centre(
                by=acting_user(request),
                name=request.POST.get("name", "") or (site.name + _("养育中心") if site else ""),
                county_code=site.plan.county_code if site else request.POST.get("county", ""),
                village_code=(site.code if site and site.code.isdigit() else "")
                or request.POST.get("village", "")
                or (site.villages[0] if site and site.villages else ""),
                opened_on=_date(request.POST.get("opened_on", "")),
                plan_site=site,
                floor_area_m2=site.floor_area_m2 if site else None,
            )
        except (DomainError, ValueError) as exc:
            if isinstance(exc, DomainError) and exc.status == 403:
                raise
            messages.error(request, getattr(exc, "message", str(exc)))
        else:
            return redirect("childcare:centre", centre.pk)
    return render(
        request,
        "childcare/centres.html",
        {
            "rows": [(c, figures[c.pk]) for c in found],
            "total": reporting.total(figures),
            "month": f"{year:04d}-{month:02d}",
            "may_open": permissions.has(request.user, "childcare.add_centre"),
            "plan_sites": selectors.open_plan_sites(request.user),
            "today": timezone.localdate(),
        },
    )


@login_required
def centre(request: HttpRequest, centre_id: int) -> HttpResponse:
    c = centres.get_centre_for(request.user, centre_id)
    today = timezone.localdate()
    if request.method == "POST":
        try:
            _act(request, c)
        except DomainError as exc:
            if exc.status == 403:
                raise
            messages.error(request, exc.message)
        else:
            return redirect("childcare:centre", c.pk)
    year, month = _month(request)
    # The roster as on the month's last day (or today, for this month): the page reads only.
    as_on = min(today, reporting.month_bounds(year, month)[1])
    children = list(centres.roster(c, as_on))
    return render(
        request,
        "childcare/centre.html",
        {
            "c": c,
            "children": [(k, _months(k.birth_date, as_on)) for k in children],
            "as_on": as_on,
            "figures": reporting.monthly(type(c).objects.filter(pk=c.pk), year, month)[c.pk],
            "month": f"{year:04d}-{month:02d}",
            "sessions": c.sessions.prefetch_related("attendance")[:10],
            "today": today,
            "outcomes": Outcome.choices,
            "ages": centres.SCREENING_AGES,
            "eligible": _eligible(request, c, today),
            "may": {
                "enrol": permissions.has(request.user, "childcare.add_centrechild"),
                "session": permissions.has(request.user, "childcare.add_session"),
                "visit": permissions.has(request.user, "childcare.add_homevisit"),
                "screening": permissions.has(request.user, "childcare.add_screening"),
            },
        },
    )


def _int(raw: str | None) -> int:
    if raw is None or not raw.strip().isdigit():
        from .errors import BadCentreRecord

        raise BadCentreRecord(_("请选择一个孩子或填写数字"), code="bad_number")
    return int(raw)


def _months(birth: dt.date, on: dt.date) -> int:
    return (on.year - birth.year) * 12 + on.month - birth.month - (on.day < birth.day)


def _eligible(request: HttpRequest, c: object, today: dt.date) -> list[object]:
    """Children under three of the centre's villages, not at any centre (officers only)."""
    from .models import Centre, CentreChild

    assert isinstance(c, Centre)
    if not permissions.has(request.user, "childcare.add_centrechild"):
        return []
    villages = list(c.plan_site.villages) if c.plan_site else []
    villages.append(c.village_code)
    enrolled = CentreChild.objects.filter(left_on__isnull=True).values("person_id")
    return list(
        registry.people_for(request.user)
        .filter(
            village_code__in=villages,
            birth_date__gt=years_before(today, CHILD_AGE),
            birth_date__lte=today,
            status="present",
        )
        .exclude(pk__in=enrolled)
        .order_by("village_code", "household_id")[:200]
    )


def _act(request: HttpRequest, c: object) -> None:
    from .models import Centre

    assert isinstance(c, Centre)
    by = acting_user(request)
    post = request.POST
    action = post.get("action")
    if action == "enrol":
        centres.enrol_child(
            by=by,
            centre=c,
            person_id=_int(post.get("person")),
            carer_id=int(post["carer"]) if post.get("carer") else None,
            on=_date(post.get("on", "")),
        )
        messages.success(request, _("已登记入园"))
    elif action == "session":
        centres.record_session(
            by=by,
            centre=c,
            held_on=_date(post.get("held_on", "")),
            topic=post.get("topic", ""),
            present=[int(x) for x in post.getlist("present") if x.isdigit()],
        )
        messages.success(request, _("已记录活动和签到"))
    elif action == "visit":
        centres.record_visit(
            by=by,
            child_id=_int(post.get("child")),
            visited_on=_date(post.get("visited_on", "")),
            notes=post.get("notes", ""),
        )
        messages.success(request, _("已记录入户指导"))
    elif action == "screening":
        centres.record_screening(
            by=by,
            child_id=_int(post.get("child")),
            age_months=_int(post.get("age_months")),
            screened_on=_date(post.get("screened_on", "")),
            outcomes={
                k: post.get(k, "") for k in ("gross_motor", "fine_motor", "language", "social")
            },
        )
        messages.success(request, _("已记录发育筛查"))
    else:
        from .errors import BadCentreRecord

        raise BadCentreRecord(_("未知操作"), code="bad_action")
