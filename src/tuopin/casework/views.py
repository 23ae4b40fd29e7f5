"""Phone-first pages of field reports: the cadre files from the village (photos from the
camera) and corrects returned reports; officers work through their inbox, review with the
photos and their flags, decide, approve an area's period; reports with drill-down and XLSX.

Thin: every read through ``selectors``/``aggregates`` (permission and scope), every write
through ``services``; domain errors become pages through the core middleware."""

from __future__ import annotations

import datetime as dt
import io
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from tuopin.accounts import approvals, permissions, scoping
from tuopin.accounts.selectors import acting_user
from tuopin.areas import codes
from tuopin.areas import selectors as areas
from tuopin.core import charts as chart_specs
from tuopin.core.errors import DomainError
from tuopin.documents import evidence
from tuopin.registry import selectors as registry

from . import aggregates, periods, roster, selectors, services
from .errors import InvalidReport
from .models import FieldKind, ReportType, Submission


@login_required
def index(request: HttpRequest) -> HttpResponse:
    """Start page: what I can file, my inbox, the reports."""
    user = request.user
    types = list(selectors.report_types_for(user))
    inbox = selectors.inbox_for(user) if permissions.has(user, selectors.VIEW) else []
    return render(
        request,
        "casework/index.html",
        {
            "types": types,
            "may_file": permissions.has(user, selectors.FILE),
            "may_view": permissions.has(user, selectors.VIEW),
            "may_report": permissions.has(user, selectors.AGGREGATES),
            "waiting": len(inbox),
            "overdue": sum(1 for i in inbox if i.overdue),
            "unreported": _unreported(user, types) if permissions.has(user, selectors.FILE) else [],
        },
    )


def _unreported(user: Any, types: list[ReportType]) -> list[dict[str, Any]]:
    """The cadre's roster villages that have not reported this period, per periodic type."""
    out = []
    today = timezone.localdate()
    for rt in types:
        if not rt.periodic:
            continue
        start = periods.period_start(today, rt.periodicity)
        for v in _villages(user):
            if v.code in roster.missing(rt, start, v.code):
                label = periods.period_label(start, rt.periodicity)
                out.append({"type": rt, "village": v, "period": label})
    return out


@login_required
@require_POST
def nil_return(request: HttpRequest) -> HttpResponse:
    """本期无上报: a roster village says it has nothing to report this period."""
    user = acting_user(request)
    permissions.require(user, selectors.FILE, _("没有上报的权限"))
    try:
        rt = selectors.get_report_type_for(user, request.POST.get("type", ""))
        roster.declare_nothing(
            report_type=rt,
            village=request.POST.get("village", ""),
            reason=request.POST.get("reason", ""),
            by=user,
        )
    except DomainError as e:
        messages.error(request, e.message)
    else:
        messages.success(request, _("已申报本期无上报"))
    return redirect("casework:index")


def _villages(user: Any) -> list[Any]:
    mine = sorted(c for c in approvals.scope_codes(user) if codes.level_of(c) == codes.VILLAGE)
    return list(areas.areas_by_codes(mine).values())


def _choices(user: Any, village: str) -> dict[str, list[tuple[str, str]]]:
    """Households and people of the village for the form's pickers (names masked as shown
    elsewhere to a cadre: the name, the age)."""
    households = registry.households_for(user, area=village).order_by("household_no")[:500]
    people = registry.people_for(user).filter(village_code=village).order_by("household_id")[:800]
    return {
        "household": [(h.household_no, f"{h.household_no} {h.head_name}") for h in households],
        "person": [(str(p.pk), f"{p.name}（{p.age}岁）") for p in people],
    }


def _posted(request: HttpRequest, rt: ReportType) -> tuple[dict[str, Any], dict[str, list[bytes]]]:
    values: dict[str, Any] = {}
    photos: dict[str, list[bytes]] = {}
    for f in rt.fields.all():
        if f.is_photo:
            photos[f.key] = [evidence.read_upload(u) for u in request.FILES.getlist(f.key)]
        elif f.key in request.POST:
            values[f.key] = request.POST.get(f.key, "")
    return values, photos


def _form(
    request: HttpRequest,
    rt: ReportType,
    *,
    village: str,
    values: dict[str, Any],
    errors: dict[str, str],
    submission: Submission | None = None,
    status: int = 200,
) -> HttpResponse:
    user = request.user
    return render(
        request,
        "casework/form.html",
        {
            "rt": rt,
            "fields": list(rt.fields.all()),
            "village": village,
            "villages": _villages(user),
            "values": values,
            "errors": errors,
            "pickers": _choices(user, village) if village else {},
            "submission": submission,
            "period": request.POST.get("period", ""),
            "today_period": periods.period_label(
                periods.period_start(timezone.localdate(), rt.periodicity), rt.periodicity
            ),
        },
        status=status,
    )


@login_required
def file(request: HttpRequest, type_slug: str) -> HttpResponse:
    """The cadre's form: fields of the type, photos from the phone's camera."""
    user = acting_user(request)
    permissions.require(user, selectors.FILE, _("没有上报的权限"))
    rt = selectors.get_report_type_for(user, type_slug)
    villages = _villages(user)
    village = request.POST.get("village") or request.GET.get("village") or ""
    if not village and villages:
        village = villages[0].code
    if request.method != "POST":
        return _form(request, rt, village=village, values={}, errors={})
    values, photos = _posted(request, rt)
    try:
        period = (
            periods.parse_period(request.POST["period"], rt.periodicity)
            if (rt.periodic and request.POST.get("period"))
            else None
        )
    except (ValueError, IndexError):
        return _form(
            request,
            rt,
            village=village,
            values=values,
            status=422,
            errors={"period": _("报告期格式应为 2018-06")},
        )
    try:
        s = services.file_submission(
            report_type=rt, village=village, values=values, photos=photos, period=period, by=user
        )
    except InvalidReport as e:
        errors = e.detail if isinstance(e.detail, dict) else {"": e.message}
        return _form(request, rt, village=village, values=values, errors=errors, status=422)
    messages.success(request, _("已上报，等待审批"))
    return redirect("casework:submission", s.pk)


@login_required
def refile(request: HttpRequest, returned_id: int) -> HttpResponse:
    """Correct a returned report and file it again."""
    user = acting_user(request)
    permissions.require(user, services.REFILE, _("没有修改上报的权限"))
    s = selectors.get_submission_for(user, returned_id)
    rt = s.report_type
    if request.method != "POST":
        raw = {}
        for v in s.values.select_related("field"):
            if v.field.kind == FieldKind.HOUSEHOLD and s.household:
                raw[v.field.key] = s.household.household_no
            elif v.number is not None:
                raw[v.field.key] = f"{v.number.normalize():f}"
            elif v.date is not None:
                raw[v.field.key] = v.date.isoformat()
            elif v.ref is not None:
                raw[v.field.key] = str(v.ref)
            else:
                raw[v.field.key] = v.text
        return _form(request, rt, village=s.area_id, values=raw, errors={}, submission=s)
    values, photos = _posted(request, rt)
    try:
        services.refile_submission(submission=s, values=values, photos=photos, by=user)
    except InvalidReport as e:
        errors = e.detail if isinstance(e.detail, dict) else {"": e.message}
        return _form(
            request, rt, village=s.area_id, values=values, errors=errors, submission=s, status=422
        )
    messages.success(request, _("已重新上报"))
    return redirect("casework:submission", s.pk)


@login_required
def inbox(request: HttpRequest) -> HttpResponse:
    user = request.user
    selectors.submissions_for(user)  # the permission
    items = selectors.inbox_for(user)
    # Periodic reports are approved by area and period: one button per unit waiting here.
    units: dict[tuple[str, str, str], dict[str, Any]] = {}
    for i in items:
        s = i.submission
        if i.waiting == "decide" and s.report_type.periodic:
            label = periods.period_label(s.period_start, s.report_type.periodicity)
            unit = units.setdefault(
                (s.report_type.slug, label, s.step_area),
                {
                    "type": s.report_type,
                    "period": label,
                    "start": s.period_start,
                    "area": s.step_area,
                    "n": 0,
                },
            )
            unit["n"] += 1
    names = areas.areas_by_codes([u["area"] for u in units.values()])
    for u in units.values():
        u["area_name"] = getattr(names.get(u["area"]), "name", u["area"])
        u["roster"] = done = roster.completeness(u["type"], u["start"], u["area"])
        u["missing_names"] = _("、").join(name for _code, name in done.missing[:10]) + (
            "…" if len(done.missing) > 10 else ""
        )
    return render(request, "casework/inbox.html", {"items": items, "units": list(units.values())})


@login_required
def submission(request: HttpRequest, submission_id: int) -> HttpResponse:
    """Review: the values, the photos side by side with their flags, the trail, the decision."""
    user = request.user
    s = selectors.get_submission_for(user, submission_id)
    may = selectors.actions_for(user, s)
    mine = approvals.decider_index(user, s.step_list, services.DECIDE)
    level_names = [areas.areas_by_codes(s.step_list).get(c) for c in s.step_list]
    return render(
        request,
        "casework/submission.html",
        {
            "s": s,
            "values": selectors.values_of(s),
            "photos": list(selectors.photos_of(user, s)),
            "decisions": list(s.decisions.select_related("by")),
            "may": may,
            "targets": [
                (i, _("退回村里") if i < 0 else getattr(level_names[i], "name", ""))
                for i in approvals.send_back_targets(mine)
            ]
            if "send_back" in may and mine is not None
            else [],
            "steps": [(i, a) for i, a in enumerate(level_names)],
            "may_refile": selectors.may_refile(user, s),
            "may_forward": s.report_type.forwardable
            and s.status == "approved"
            and not s.forwarded
            and bool(s.step_list)
            and approvals.may_decide(user, s.step_list[-1], services.DECIDE),
            "area_approval": s.report_type.periodic
            and s.status == "pending"
            and approvals.may_decide(user, s.step_area, services.DECIDE),
            "period": periods.period_label(s.period_start, s.report_type.periodicity),
        },
    )


@login_required
@require_POST
def decide(request: HttpRequest, submission_id: int) -> HttpResponse:
    user = acting_user(request)
    permissions.require(user, services.DECIDE, _("没有审批的权限"))
    s = selectors.get_submission_for(user, submission_id)
    to_step = request.POST.get("to_step")
    try:
        services.decide(
            submission=s,
            action=request.POST.get("action", ""),
            comment=request.POST.get("comment", ""),
            to_step=int(to_step) if to_step not in (None, "") else None,
            by=user,
        )
    except (DomainError, ValueError) as e:
        messages.error(request, getattr(e, "message", _("审批操作无效")))
    else:
        messages.success(request, _("已记录审批意见"))
    return redirect("casework:submission", s.pk)


@login_required
@require_POST
def approve_area(request: HttpRequest) -> HttpResponse:
    """Approve an area's period (bottom-up); back to the inbox with the outcome."""
    user = acting_user(request)
    permissions.require(user, services.DECIDE, _("没有审批的权限"))
    try:
        rt = selectors.get_report_type_for(user, request.POST.get("type", ""))
        start = periods.parse_period(request.POST.get("period", ""), rt.periodicity)
        done = services.approve_area(
            report_type=rt,
            period_start=start,
            area_code=request.POST.get("area", ""),
            comment=request.POST.get("comment", ""),
            by=user,
        )
    except (DomainError, ValueError, IndexError) as e:
        messages.error(request, getattr(e, "message", _("审批操作无效")))
    else:
        messages.success(request, _("已审批通过 %(n)s 份") % {"n": len(done)})
    return redirect("casework:inbox")


@login_required
def photo(request: HttpRequest, submission_id: int, use_id: int) -> HttpResponse:
    """A submission's photo, only through its access function (never a public media URL)."""
    use = selectors.get_photo_for(request.user, submission_id, use_id)
    response = HttpResponse(evidence.read_photo(use.photo), content_type=use.photo.media_type)
    response["Cache-Control"] = "private, max-age=3600"
    response["X-Content-Type-Options"] = "nosniff"
    return response


def _report_args(request: HttpRequest, type_slug: str) -> tuple[ReportType, str, dt.date]:
    user = request.user
    permissions.require(user, selectors.AGGREGATES, _("没有查看上报汇总的权限"))
    rt = selectors.get_report_type_for(user, type_slug)
    area = request.GET.get("area") or aggregates.default_area(user) or ""
    if not area:
        first = rt.submissions.order_by("area_id").values_list("area_id", flat=True).first()
        area = approvals.area_at(first, codes.COUNTY) if first else "110000000000"
    try:
        start = periods.parse_period(request.GET.get("period", ""), rt.periodicity)
    except (ValueError, IndexError):
        latest = rt.submissions.order_by("-period_start").values_list("period_start", flat=True)
        start = latest.first() or periods.period_start(timezone.localdate(), rt.periodicity)
    return rt, area, start


@login_required
def report(request: HttpRequest, type_slug: str) -> HttpResponse:
    """智能报表: totals and shares of an area's period, by child area, with drill-down."""
    rt, area, start = _report_args(request, type_slug)
    agg = aggregates.aggregate(request.user, rt, area_code=area, period_start=start)
    label = periods.period_label(start, rt.periodicity)
    first_numeric = agg.numeric_fields[0] if agg.numeric_fields else None
    chart = (
        chart_specs.bar_chart(
            "report",
            first_numeric.label,
            [(r.name, int(r.totals.get(first_numeric.key, 0))) for r in agg.rows],
            columns=(_("区划"), first_numeric.label),
        )
        if first_numeric and agg.rows
        else None
    )
    parent = agg.area.parent_id if codes.level_of(area) > codes.COUNTY else None
    return render(
        request,
        "casework/report.html",
        {
            "agg": agg,
            "rt": rt,
            "period": label,
            "chart": chart,
            "chart_field": first_numeric,
            "parent": parent if parent and scoping.covers(request.user, parent) else None,
            "drill": agg.child_level is not None and agg.child_level < codes.VILLAGE + 1,
            "export_url": reverse("casework:export", args=[rt.slug])
            + f"?area={area}&period={label}",
        },
    )


@login_required
def export(request: HttpRequest, type_slug: str) -> HttpResponse:
    """The same table as an XLSX workbook."""
    from openpyxl import Workbook

    rt, area, start = _report_args(request, type_slug)
    agg = aggregates.aggregate(request.user, rt, area_code=area, period_start=start)
    wb = Workbook()
    ws = wb.active
    assert ws is not None
    ws.title = periods.period_label(start, rt.periodicity)
    header = [_("区划代码"), _("名称"), _("上报份数")]
    header += [f.label for f in agg.numeric_fields]
    for f in agg.choice_fields:
        header += [f"{f.label}：{c}" for c in f.choice_list]
    ws.append(header)
    for r in [*agg.rows, agg.total]:
        line: list[Any] = [r.code, r.name if r is not agg.total else _("合计"), r.reports]
        line += [float(r.totals.get(f.key, 0)) for f in agg.numeric_fields]
        for f in agg.choice_fields:
            line += [r.shares.get(f.key, {}).get(c, 0) for c in f.choice_list]
        ws.append(line)
    out = io.BytesIO()
    wb.save(out)
    response = HttpResponse(
        out.getvalue(),
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
    response["Content-Disposition"] = f'attachment; filename="{rt.slug}-{area}-{ws.title}.xlsx"'
    return response
