"""Imports from the upload page run in the background: the upload is stored (content-
addressed), an :class:`ImportJob` row records status, progress, counts and the report of
rejected rows, and a task (``registry.tasks.run_import``) does the work after the request's
transaction commits. Reads of jobs are here too: an officer sees only the officer's own."""

from __future__ import annotations

import datetime as dt
import logging
import secrets
from pathlib import Path
from typing import TYPE_CHECKING

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from tuopin.accounts import permissions
from tuopin.core import jobs
from tuopin.core.errors import DomainError
from tuopin.core.imports import write_errors
from tuopin.core.tabular import Limits, open_table
from tuopin.core.uploads import purge_uploads, store_upload

from ..choices import ImportStatus
from ..errors import BadRegistryFile, ImportFailed, ImportJobNotFound
from ..models import ImportJob
from .columns import REQUIRED, map_columns
from .report import ImportReport
from .run import RegistryImport

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser
    from django.core.files.uploadedfile import UploadedFile

    from tuopin.accounts.models import User

logger = logging.getLogger(__name__)
PERMISSION = "registry.import_registry"
REPORTS_FOLDER = "import-reports"  # one of core.uploads.TRANSIENT_FOLDERS


def start_import(*, upload: UploadedFile, by: User) -> ImportJob:
    """Store an upload and queue its import. The header is checked now, so that a file that
    can never be imported (unreadable, too large, required columns missing) is refused at
    once; everything else is found by the task and listed in the job's report."""
    permissions.require(by, PERMISSION)
    path = store_upload(upload)
    table = open_table(path, Limits.from_settings())
    table.close()  # only the header now; the task reads the rows
    missing = [c for c in REQUIRED if c not in map_columns(table.header)]
    if missing:
        raise BadRegistryFile(_("缺少必需的列：%(cols)s") % {"cols": ", ".join(missing)})
    job = ImportJob.objects.create(file_path=str(path), file_name=(upload.name or "")[:200], by=by)
    from ..tasks import run_import

    transaction.on_commit(lambda: run_import.enqueue(job.pk))
    return job


def execute_import(job_id: int) -> None:
    """Carry out a queued import, recording progress, counts, the rejected rows and, if it
    stops, why. Whatever happens the job ends done or failed with what was written; then
    uploads past their retention period are deleted."""
    if not jobs.take(ImportJob, job_id, queued=ImportStatus.QUEUED, running=ImportStatus.RUNNING):
        return  # delivered twice, or no longer queued
    job = ImportJob.objects.select_related("by").get(pk=job_id)
    report = ImportReport()
    status, error = ImportStatus.DONE, ""
    try:
        if job.by is None or not permissions.has(job.by, PERMISSION):
            # Never import without the officer's scope: that would write anywhere.
            raise BadRegistryFile(_("导入人已不存在或已无导入权限"), code="importer_gone")
        run = RegistryImport(job.file_path, by=job.by, limits=Limits.from_settings())
        report = run.report

        def progress(rows_read: int) -> None:
            ImportJob.objects.filter(pk=job.pk).update(**jobs.beat(rows_read=rows_read))

        run.progress = progress
        _counts, total = run.count_households()
        ImportJob.objects.filter(pk=job.pk).update(rows_total=total)
        run.run()
    except ImportFailed as exc:
        status, error = ImportStatus.FAILED, exc.message
    except DomainError as exc:
        status, error = ImportStatus.FAILED, exc.message
    except Exception as exc:
        logger.exception("import job %s failed", job.pk)
        status = ImportStatus.FAILED
        error = _("内部错误（%(kind)s），已记入日志") % {"kind": type(exc).__name__}
    errors_path = ""
    if report.errors:
        folder = Path(settings.MEDIA_ROOT) / REPORTS_FOLDER
        folder.mkdir(parents=True, exist_ok=True)
        target = folder / f"job-{job.pk}-{secrets.token_hex(8)}.csv"
        write_errors(target, report.errors)
        errors_path = str(target)
    ImportJob.objects.filter(pk=job.pk).update(
        status=status,
        error=error[:1000],
        errors_path=errors_path,
        finished_at=timezone.now(),
        **report.as_dict(),
    )
    purge_uploads()


def mark_interrupted_imports(*, now: dt.datetime | None = None) -> int:
    """Mark as interrupted every running import whose process is gone. Returns the count."""
    return jobs.mark_interrupted(
        ImportJob,
        running=ImportStatus.RUNNING,
        interrupted=ImportStatus.INTERRUPTED,
        error=_("处理进程中断（服务重启或进程被终止）；可以继续导入"),
        now=now,
    )


RESUMABLE = (ImportStatus.INTERRUPTED, ImportStatus.FAILED)


def resume_import(*, by: User, job_id: int) -> ImportJob:
    """Queue one of the officer's interrupted or failed imports again. The import is
    idempotent: households already written are found and left as they are."""
    from ..tasks import run_import

    job = get_import_job_for(by, job_id)
    with transaction.atomic():
        job = ImportJob.objects.select_for_update().get(pk=job.pk)
        if job.status not in RESUMABLE:
            raise BadRegistryFile(
                _("只有已中断或失败的导入可以继续（当前：%(s)s）")
                % {"s": job.get_status_display()},
                code="import_not_resumable",
            )
        if not Path(job.file_path).is_file():
            raise BadRegistryFile(_("上传的文件已过保存期，请重新上传"), code="upload_expired")
        ImportJob.objects.filter(pk=job.pk).update(
            status=ImportStatus.QUEUED, error="", finished_at=None, worker=""
        )
        transaction.on_commit(lambda: run_import.enqueue(job.pk))
    job.refresh_from_db()
    return job


def import_jobs_for(user: User | AnonymousUser) -> list[ImportJob]:
    """The user's latest imports (an officer sees only the officer's own)."""
    permissions.require(user, PERMISSION)
    return list(ImportJob.objects.filter(by_id=user.pk)[:20])


def get_import_job_for(user: User | AnonymousUser, job_id: int) -> ImportJob:
    """One of the user's imports; someone else's looks exactly like a missing one."""
    permissions.require(user, PERMISSION)
    job = ImportJob.objects.filter(pk=job_id, by_id=user.pk).first()
    if job is None:
        raise ImportJobNotFound(_("导入任务不存在"))
    return job
