"""Drafts and publication of the work report: an operator generates a draft (HTML, kept as
generated) and a background task typesets its PDF with WeasyPrint; another operator reviews
and publishes it, which keeps that PDF (typeset now if the task has not run) and puts its
SHA-256 on the ledger."""

from __future__ import annotations

import hashlib
import logging
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
from .models import PdfState, ReportStatus, WorkReport

log = logging.getLogger(__name__)

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
    from .tasks import typeset_report

    report = workreport.build(by, period_text=period_text, area_code=area_code)
    with transaction.atomic():
        draft = WorkReport.objects.create(
            period=report.period.code,
            area_code=report.area.code if report.area is not None else "",
            html=render_html(report),
            created_by=by,
            created_at=timezone.now(),
        )
        transaction.on_commit(lambda: typeset_report.enqueue(draft.pk))
    return draft


def _keep(pdf: bytes) -> tuple[str, str]:
    """Write ``pdf`` under its hash (once: the same bytes are the same file)."""
    digest = hashlib.sha256(pdf).hexdigest()
    folder = Path(settings.MEDIA_ROOT) / FOLDER
    folder.mkdir(parents=True, exist_ok=True)
    target = folder / f"{digest}.pdf"
    if not target.is_file():
        tmp = target.with_suffix(".part")
        tmp.write_bytes(pdf)
        tmp.replace(target)
    return str(target), digest


def typeset(report_id: int) -> None:
    """The background half of :func:`generate`: typeset the draft's PDF and keep it. A
    report published meanwhile (it was typeset then) is left alone; a failure is recorded
    on the report, for its page to say."""
    found = WorkReport.objects.filter(pk=report_id, status=ReportStatus.DRAFT).first()
    if found is None or found.pdf_state == PdfState.READY:
        return
    try:
        path, digest = _keep(render_pdf(found.html))
    except Exception as e:  # recorded for the report's page; the worker goes on
        log.exception("typesetting work report %s failed", report_id)
        WorkReport.objects.filter(pk=report_id, status=ReportStatus.DRAFT).update(
            pdf_state=PdfState.FAILED, pdf_error=f"{type(e).__name__}: {e}"[:300]
        )
        return
    WorkReport.objects.filter(pk=report_id, status=ReportStatus.DRAFT).update(
        pdf_state=PdfState.READY, pdf_path=path, pdf_sha256=digest, pdf_error=""
    )


def _kept_pdf(report: WorkReport) -> bytes | None:
    """The PDF the task kept for ``report``, if it is there and still the same bytes."""
    if report.pdf_state != PdfState.READY or not report.pdf_path:
        return None
    path = Path(report.pdf_path)
    if not path.is_file():
        return None
    pdf = path.read_bytes()
    return pdf if hashlib.sha256(pdf).hexdigest() == report.pdf_sha256 else None


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
        pdf = _kept_pdf(locked) or render_pdf(locked.html)
        target, digest = _keep(pdf)
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
        locked.pdf_path, locked.pdf_sha256 = target, digest
        locked.pdf_state, locked.pdf_error = PdfState.READY, ""
        locked.published_by, locked.published_at = by, timezone.now()
        locked.ledger_index = entry.index
        locked.save()
    return locked


def pdf_bytes(report: WorkReport) -> bytes | None:
    """The PDF as kept, or None while the draft's is being typeset (or failed)."""
    return _kept_pdf(report)
