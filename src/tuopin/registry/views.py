"""Pages of the registry: area browser, household list and household page, export."""

from __future__ import annotations

import csv
import datetime as dt
from pathlib import Path
from urllib.parse import quote

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.core.paginator import Paginator
from django.http import (
    FileResponse,
    Http404,
    HttpRequest,
    HttpResponse,
    JsonResponse,
    StreamingHttpResponse,
)
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from tuopin.accounts import scoping
from tuopin.accounts import services as account_services
from tuopin.accounts.selectors import acting_user
from tuopin.areas import selectors as area_selectors
from tuopin.core import charts, idcard
from tuopin.core.errors import DomainError, NotFound
from tuopin.core.errors import PermissionDenied as CorePermissionDenied
from tuopin.core.imports import read_errors
from tuopin.core.tabular import neutralise_row
from tuopin.core.uploads import uploaded_file

from . import panels, selectors, services
from .choices import (
    STATUS_TRANSITIONS,
    HouseholdType,
    MemberStatus,
    PovertyCause,
    PovertyStatus,
)
from .errors import BadRegistryFile
from .importing import jobs
from .importing import template as import_template
from .upkeep import selectors as upkeep_selectors


@login_required
@permission_required("registry.view_household", raise_exception=True)
def area_browser(request: HttpRequest, code: str | None = None) -> HttpResponse:
    area, crumbs, rows = selectors.area_breakdown(request.user, code)  # 404: core.middleware
    if code is None and len(rows) == 1:
        # One area in scope (a county officer's county, a cadre's village): show that area
        # with its parts, so that the map is of the user's own area, not a single dot.
        area, crumbs, rows = selectors.area_breakdown(request.user, rows[0].area.code)
    # Every child shown is in the user's scope (area_breakdown), so each has a page to link to.
    # The map fits the areas shown: the whole country for a nationwide user at the top, else
    # the user's own areas (a county officer's county, a cadre's village) or the children.
    area_map = charts.dot_map(
        "areas",
        _("地图：贫困户数"),
        [
            charts.Place(
                r.area.name,
                r.area.longitude,
                r.area.latitude,
                r.households,
                reverse("registry:area", args=[r.area.code]),
            )
            for r in rows
        ],
        nationwide=area is None and scoping.area_prefixes(request.user) is None,
    )
    return render(
        request,
        "registry/areas.html",
        {
            "area": area,
            "crumbs": crumbs,
            "rows": rows,
            "area_map": area_map,
            "total_h": sum(r.households for r in rows),
            "total_p": sum(r.people for r in rows),
        },
    )


@login_required
@permission_required("registry.view_household", raise_exception=True)
def household_list(request: HttpRequest) -> HttpResponse:
    f = {k: request.GET.get(k) or None for k in ("area", "status", "cause", "household_type", "q")}
    closed = request.GET.get("closed") == "1"
    qs = selectors.households_for(request.user, **f, closed=closed).order_by("household_no")
    page = Paginator(qs, 50).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    areas = selectors.area_choices_for(request.user)
    return render(
        request,
        "registry/household_list.html",
        {
            "page": page,
            "f": f,
            "closed": closed,
            "areas": areas,
            "area_unlisted": _unlisted_area(f["area"], areas),
            "query": query.urlencode(),
            "statuses": PovertyStatus.choices,
            "causes": PovertyCause.choices,
            "types": HouseholdType.choices,
            "may_export": request.user.has_perm("registry.export_registry"),
        },
    )


def _unlisted_area(code: str | None, choices: list[selectors.AreaChoice]) -> str | None:
    """The label of a filter area deeper than the choices (a link from the area browser), so
    that the select still shows what the list is filtered by; area names are public."""
    if not code or code in {c.code for c in choices}:
        return None
    try:
        area = area_selectors.get_area(code)
    except NotFound:
        return code
    return _("%(a)s（%(b)s）") % {"a": area.name, "b": area.code}


@login_required
@permission_required("registry.view_household", raise_exception=True)
def household_detail(request: HttpRequest, household_no: str) -> HttpResponse:
    household = selectors.get_household_for(request.user, household_no)
    unmask = scoping.may_unmask(request.user) and request.GET.get("unmask") == "1"
    if unmask:
        account_services.log_unmask(
            user=acting_user(request),
            subject=household.household_no,
            context="household_page",
        )
    return render(
        request,
        "registry/household_detail.html",
        {
            "h": household,
            "members": selectors.members_of(request.user, household),
            "history": selectors.status_history(request.user, household),
            "unmask": unmask,
            "next_statuses": [
                (s, PovertyStatus(s).label)
                for s in sorted(STATUS_TRANSITIONS.get(household.status, ()))
            ],
            "may_unmask": scoping.may_unmask(request.user),
            "member_statuses": MemberStatus.choices,
            "panels": panels.panels_for(request.user, household),
            "timeline": upkeep_selectors.history_for(request.user, household),
        },
    )


class _Echo:
    def write(self, value: str) -> str:
        return value


@login_required
@permission_required("registry.export_registry", raise_exception=True)
def household_export(request: HttpRequest) -> StreamingHttpResponse:
    """Stream the user's scope as CSV (UTF-8 with BOM, opens in Excel), masked like the pages."""
    writer = csv.writer(_Echo())
    area = request.GET.get("area") or None
    user = acting_user(request)
    rows = services.export_rows(user=user, area=area)  # checks the permission now

    def lines():  # type: ignore[no-untyped-def]
        yield "\ufeff" + writer.writerow(services.export_header(user=user))
        for row in rows:
            yield writer.writerow(neutralise_row(row))

    name = f"tuopin-registry-{timezone.localdate():%Y%m%d}.csv"
    response = StreamingHttpResponse(lines(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


def _year(text: str) -> int | None:
    """A blank year is none; anything else that is not a plain year is -1, which the service
    refuses with its message (never a 500 on ``²⁰²⁰`` or a thousand digits)."""
    if not text:
        return None
    if text.isascii() and text.isdigit() and len(text) <= 4:
        return int(text)
    return -1


@login_required
@permission_required("registry.change_household", raise_exception=True)
def household_status(request: HttpRequest, household_no: str) -> HttpResponse:
    """POST: change a household's poverty status (脱贫 / 返贫) with a reason."""
    household = selectors.get_household_for(request.user, household_no)
    if request.method == "POST":
        year_text = request.POST.get("year", "").strip()
        try:
            services.change_status(
                household=household,
                to_status=request.POST.get("to_status", ""),
                year=_year(year_text),
                reason=request.POST.get("reason", ""),
                by=acting_user(request),
            )
            messages.success(request, _("状态已更新"))
        except DomainError as exc:
            messages.error(request, exc.message)
    return redirect("registry:household", household_no=household.household_no)


@login_required
@permission_required("registry.change_person", raise_exception=True)
def member_status(request: HttpRequest, household_no: str) -> HttpResponse:
    """POST: a member died, moved out, or is back in the household (减员 / 恢复)."""
    household = selectors.get_household_for(request.user, household_no)
    if request.method == "POST":
        person = request.POST.get("person", "")
        try:
            on = dt.date.fromisoformat(request.POST.get("on", ""))
        except ValueError:
            messages.error(request, _("日期无效"))
        else:
            try:
                services.change_member_status(
                    household=household,
                    # Not a whole number: nobody has that id (a 404 below, like a stranger).
                    person_id=int(person)
                    if person.isascii() and person.isdigit() and len(person) < 19
                    else 0,
                    status=request.POST.get("status", ""),
                    on=on,
                    by=acting_user(request),
                )
                messages.success(request, _("成员状态已更新"))
            except NotFound:
                raise  # the 404 page (core.middleware), like a stranger's household
            except DomainError as exc:
                messages.error(request, exc.message)
    return redirect("registry:household", household_no=household.household_no)


@login_required
@permission_required("registry.import_registry", raise_exception=True)
def registry_import(request: HttpRequest) -> HttpResponse:
    """Upload the national export: the file is stored and imported in the background, and the
    page moves on to the job's progress. Rows outside the officer's scope are refused."""
    if request.method == "POST":
        try:
            upload = uploaded_file(request)
            if upload is None:
                raise BadRegistryFile(_("请选择要导入的文件"), code="no_file")
            job = jobs.start_import(upload=upload, by=acting_user(request))
        except DomainError as exc:
            messages.error(request, exc.message)
        else:
            return redirect("registry:import_job", job_id=job.pk)
    return render(
        request,
        "registry/import.html",
        {
            "jobs": jobs.import_jobs_for(request.user),
            "max_mb": round(settings.TUOPIN_UPLOAD_MAX_BYTES / (1024 * 1024), 1),
            "days": settings.TUOPIN_UPLOAD_RETENTION_DAYS,
            "columns": import_template.accepted_columns(),
        },
    )


@login_required
@permission_required("registry.import_registry", raise_exception=True)
def import_template_csv(request: HttpRequest) -> HttpResponse:
    """A file to fill in: the Chinese column titles and one invented example row."""
    response = HttpResponse(
        import_template.template_csv(request.user), content_type="text/csv; charset=utf-8"
    )
    name = quote(_("建档立卡导入模板") + ".csv")
    response["Content-Disposition"] = (
        f"attachment; filename=\"registry-template.csv\"; filename*=UTF-8''{name}"
    )
    return response


@login_required
@permission_required("registry.import_registry", raise_exception=True)
def import_job(request: HttpRequest, job_id: int) -> HttpResponse:
    """An import's progress (polled while it runs), its counts and its rejected rows."""
    job = jobs.get_import_job_for(request.user, job_id)
    if request.GET.get("format") == "json":
        return JsonResponse(
            {
                "status": job.status,
                "percent": job.percent,
                "rows_read": job.rows_read,
                "rows_total": job.rows_total,
            }
        )
    errors = read_errors(job.errors_path, limit=200) if job.errors_path else []
    may_resume = job.status in jobs.RESUMABLE
    context = {"job": job, "errors": errors, "may_resume": may_resume}
    return render(request, "registry/import_job.html", context)


@login_required
@require_POST
def import_job_resume(request: HttpRequest, job_id: int) -> HttpResponse:
    """Queue an interrupted or failed import again (the import is idempotent)."""
    try:
        jobs.resume_import(by=acting_user(request), job_id=job_id)
    except (NotFound, CorePermissionDenied):
        raise  # a 404 or 403 page (core.middleware)
    except DomainError as exc:
        messages.error(request, exc.message)
    return redirect("registry:import_job", job_id=job_id)


@login_required
@permission_required("registry.import_registry", raise_exception=True)
def import_job_errors(request: HttpRequest, job_id: int) -> FileResponse:
    """The rejected rows of one import, as CSV (kept as long as the upload)."""
    job = jobs.get_import_job_for(request.user, job_id)
    path = Path(job.errors_path) if job.errors_path else None
    if path is None or not path.is_file():
        raise Http404(_("报告不存在或已过保存期"))
    response = FileResponse(path.open("rb"), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="import-{job.pk}-errors.csv"'
    return response


@login_required
@permission_required("registry.view_person", raise_exception=True)
def people_search(request: HttpRequest) -> HttpResponse:
    """Find people in scope by name (prefix) or by a whole ID number (keyed hash, exact).

    The form posts, so that ID numbers never land in URLs, server logs or browser history, and
    the page never echoes a whole ID number back.
    """
    q = request.POST.get("q", "").strip() if request.method == "POST" else ""
    looks_like_id = len(q) >= 15 and q[:6].isdigit()
    people: list[object] = []
    if q:
        qs = selectors.people_for(
            request.user, id_number=q if looks_like_id else None, name=None if looks_like_id else q
        )
        people = list(qs.order_by("name", "id")[:100])
    shown = idcard.mask(idcard.normalise(q)) if looks_like_id else q
    return render(
        request,
        "registry/people.html",
        {"q": q, "shown": shown, "is_id": looks_like_id, "people": people},
    )
