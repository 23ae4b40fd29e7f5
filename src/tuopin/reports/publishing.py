"""Drafts and publication of the work report: an operator generates a draft (HTML, kept as
generated), another operator reviews and publishes it; publishing typesets the PDF with
WeasyPrint from the same HTML and puts the PDF's SHA-256 on the ledger."""

from __future__ import annotations

import hashlib
from pathlib import Path
from typing import Any

from django.conf import settings
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import gettext as _

from tuopin.accounts import permissions
from tuopin.core.errors import DomainError, NotFound
from tuopin.ledger import services as ledger

from . import workreport
from .models import ReportStatus, WorkReport

GENERATE = "reports.add_workreport"
VIEW = "reports.view_workreport"
PUBLISH = "reports.publish_workreport"
FOLDER = "work-reports"


class CannotPublish(DomainError):
    code = "cannot_publish"
    status = 409


def font_face() -> str:
    """``@font-face`` rules for the CJK font the project installs (the Noto Sans CJK wheel,
    else the system's), so that the PDF never falls back to boxes."""
    from tuopin.documents.synthetic.fonts import FontMissing, font_files

    try:
        files = font_files()
    except FontMissing:
        return ""
    return "".join(
        f'@font-face {{ font-family: "Report CJK"; src: url("{p.as_uri()}"); }}' for p in files[:1]
    )


def render_html(report: workreport.Report) -> str:
    return render_to_string("reports/workreport.html", {"r": report, "font_face": font_face()})


def render_pdf(html: str) -> bytes:
    from PIL import ImageFile
    from weasyprint import HTML

    # WeasyPrint sets Pillow's process-wide LOAD_TRUNCATED_IMAGES on import; the evidence
    # checks (documents.images) rely on Pillow refusing a truncated photo, so put it back.
    ImageFile.LOAD_TRUNCATED_IMAGES = False
    return HTML(string=html, base_url=str(settings.BASE_DIR)).write_pdf()  # type: ignore[no-any-return]


def generate(*, period_text: str, area_code: str | None = None, by: Any) -> WorkReport:
    """A draft of the period's report for the area, as ``by`` may see it."""
    permissions.require(by, GENERATE, _("没有生成工作报告的权限"))
    report = workreport.build(by, period_text=period_text, area_code=area_code)
    return WorkReport.objects.create(
        period=report.period.code,
        area_code=report.area.code if report.area is not None else "",
        html=render_html(report),
        created_by=by,
        created_at=timezone.now(),
    )


def reports_for(user: Any) -> Any:
    """Published reports for everyone; drafts too for who may generate or publish them."""
    qs = WorkReport.objects.select_related("created_by", "published_by")
    if permissions.has(user, VIEW):
        return qs
    return qs.filter(status=ReportStatus.PUBLISHED)


def get_report_for(user: Any, report_id: int) -> WorkReport:
    found = reports_for(user).filter(pk=report_id).first()
    if found is None:
        raise NotFound(_("工作报告不存在"))
    return found


def publish(*, report: WorkReport, by: Any) -> WorkReport:
    """Review passed: typeset the PDF, keep it, and append its hash to the ledger. The
    operator who generated the draft cannot publish it (four eyes)."""
    permissions.require(by, PUBLISH, _("没有审核发布工作报告的权限"))
    with transaction.atomic():
        locked = WorkReport.objects.select_for_update().get(pk=report.pk)
        if locked.status != ReportStatus.DRAFT:
            raise CannotPublish(_("这份报告已经发布"))
        if locked.created_by_id == by.pk:
            raise CannotPublish(_("须由生成者以外的另一位运营人员审核发布"))
        pdf = render_pdf(locked.html)
        digest = hashlib.sha256(pdf).hexdigest()
        folder = Path(settings.MEDIA_ROOT) / FOLDER
        folder.mkdir(parents=True, exist_ok=True)
        target = folder / f"{digest}.pdf"
        target.write_bytes(pdf)
        entry = ledger.append_entry(
            kind="decision",
            payload={
                "subject": "reports.work_report",
                "action": "publish",
                "period": locked.period,
                "area": locked.area_code,
                "pdf_sha256": digest,
            },
        )
        locked.status = ReportStatus.PUBLISHED
        locked.pdf_path, locked.pdf_sha256 = str(target), digest
        locked.published_by, locked.published_at = by, timezone.now()
        locked.ledger_index = entry.index
        locked.save()
    return locked


def pdf_bytes(report: WorkReport) -> bytes:
    """The published PDF as kept, or a fresh typesetting of a draft."""
    if report.pdf_path and Path(report.pdf_path).is_file():
        return Path(report.pdf_path).read_bytes()
    return render_pdf(report.html)
