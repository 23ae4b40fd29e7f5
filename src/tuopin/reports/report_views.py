"""Pages of the work report (工作报告) and the partner figures' imports."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from tuopin.accounts import permissions
from tuopin.accounts.selectors import acting_user
from tuopin.core.errors import DomainError
from tuopin.core.imports import read_errors
from tuopin.core.uploads import store_upload, uploaded_file

from . import partners, publishing
from .models import PartnerImport, PdfState


def reports(request: HttpRequest) -> HttpResponse:
    """Published reports for everyone; drafts and the generate form for operators."""
    user = request.user
    return render(
        request,
        "reports/reports.html",
        {
            "rows": publishing.reports_for(user)[:50],
            "may_generate": permissions.has(user, publishing.GENERATE),
            "may_publish": permissions.has(user, publishing.PUBLISH),
            "may_cases": permissions.has(user, "reports.view_featuredcase"),
        },
    )


@login_required
@require_POST
def generate(request: HttpRequest) -> HttpResponse:
    user = acting_user(request)
    permissions.require(user, publishing.GENERATE, _("没有生成工作报告的权限"))
    try:
        draft = publishing.generate(
            period_text=request.POST.get("period", ""),
            area_code=request.POST.get("area") or None,
            by=user,
        )
    except DomainError as e:
        messages.error(request, e.message)
        return redirect("work_reports")
    messages.success(request, _("已生成草稿，请另一位运营人员审核后发布"))
    return redirect("work_report", draft.pk)


def report(request: HttpRequest, report_id: int) -> HttpResponse:
    """The report as generated (a document of its own, printable)."""
    found = publishing.get_report_for(request.user, report_id)
    response = HttpResponse(found.html)
    response["X-Robots-Tag"] = "noindex" if found.status != "published" else "all"
    return response


def report_pdf(request: HttpRequest, report_id: int) -> HttpResponse:
    """The kept PDF; while a draft's is being typeset, a page that says so and looks again."""
    found = publishing.get_report_for(request.user, report_id)
    pdf = publishing.pdf_bytes(found)
    if pdf is None:
        response = render(request, "reports/report_pending.html", {"r": found}, status=202)
        if found.pdf_state == PdfState.PENDING:
            response["Refresh"] = "5"
        return response
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="report-{found.period}.pdf"'
    return response


@login_required
@require_POST
def publish(request: HttpRequest, report_id: int) -> HttpResponse:
    user = acting_user(request)
    permissions.require(user, publishing.PUBLISH, _("没有审核发布工作报告的权限"))
    found = publishing.get_report_for(user, report_id)
    try:
        publishing.publish(report=found, by=user)
    except DomainError as e:
        messages.error(request, e.message)
    else:
        messages.success(request, _("已发布，PDF 的哈希已写入公开账本"))
    return redirect("work_reports")


@login_required
def partner_imports(request: HttpRequest) -> HttpResponse:
    """Import a partner's figures (CSV/XLSX) and see earlier imports."""
    user = acting_user(request)
    permissions.require(user, partners.IMPORT, _("没有导入合作方数据的权限"))
    result: Any = None
    if request.method == "POST":
        upload = uploaded_file(request)
        if upload is None:
            messages.error(request, _("请选择文件"))
        else:
            path = store_upload(upload)
            try:
                result = partners.import_partner_figures(
                    path=path,
                    by=user,
                    filename=upload.name or "",
                    source=request.POST.get("source", ""),
                    replace=request.POST.get("replace") == "1",
                )
            except DomainError as e:
                messages.error(request, e.message)
            else:
                return redirect("partner_import", result.imported.pk)
    return render(
        request,
        "reports/partner_imports.html",
        {"rows": PartnerImport.objects.select_related("by")[:50]},
    )


@login_required
def partner_import(request: HttpRequest, import_id: int) -> HttpResponse:
    user = request.user
    permissions.require(user, partners.IMPORT, _("没有导入合作方数据的权限"))
    found = PartnerImport.objects.filter(pk=import_id).first()
    if found is None:
        from tuopin.core.errors import NotFound

        raise NotFound(_("导入记录不存在"))
    errors = read_errors(found.errors_path, limit=200) if found.errors_path else []
    return render(
        request,
        "reports/partner_import.html",
        {
            "imp": found,
            "errors": errors,
            "figures": found.figures.select_related("indicator")[:200],
        },
    )
