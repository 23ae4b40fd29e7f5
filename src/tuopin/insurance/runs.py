"""The life of an enrollment run queued from the operator's page: carry it out, notice when
its worker was killed, and resume it.

A run records which process carries it and a heartbeat at every county (:mod:`core.jobs`). Any
failure, expected or not, ends the run as failed with the reason; a run whose process died
(found at start-up by ``tuopin serve``, or by ``tuopin insurance recover-runs``) is marked
interrupted. Resuming queues the same run again: enrollment is idempotent, so the counties
already paid for are skipped.
"""

from __future__ import annotations

import datetime as dt
import logging
from typing import TYPE_CHECKING

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from tuopin.accounts import permissions
from tuopin.core import jobs
from tuopin.core.errors import DomainError

from .errors import BadProgramme, RunNotFound
from .models import EnrollmentRun, RunStatus
from .services import enroll

if TYPE_CHECKING:
    from tuopin.accounts.models import User

log = logging.getLogger(__name__)


def summary(run: EnrollmentRun) -> dict[str, object]:
    """A run's state as the API and the progress page's poll report it (one shape for both)."""
    return {
        "id": run.pk,
        "programme": run.programme.slug,
        "period_start": run.period_start,
        "status": run.status,
        "percent": run.percent,
        "counties_done": run.counties_done,
        "counties_total": run.counties_total,
        "eligible": run.eligible,
        "enrolled": run.enrolled,
        "exited": run.exited,
        "premium_fen": run.premium_fen,
        "error": run.error,
    }


def execute_run(run_id: int) -> None:
    """Carry out a queued run, recording its progress and outcome on the run.

    Never raises: a domain error or any other failure ends the run as failed with its reason
    (an unexpected one is logged with its traceback).
    """
    if not jobs.take(EnrollmentRun, run_id, queued=RunStatus.QUEUED, running=RunStatus.RUNNING):
        return  # delivered twice, or no longer queued
    run = EnrollmentRun.objects.select_related("programme", "started_by").get(pk=run_id)
    if run.started_by is not None and not permissions.has(
        run.started_by, "insurance.add_enrollmentrun"
    ):
        _finish(run, RunStatus.FAILED, _("发起人已无批量参保的权限"))
        return
    try:
        enroll(
            programme_slug=run.programme.slug,
            period_start=run.period_start,
            override_reason=run.override_reason,
            run=run,
        )
    except DomainError as exc:
        _finish(run, RunStatus.FAILED, exc.message)
        return
    except Exception as exc:
        log.exception("enrollment run %s failed", run.pk)
        # The kind only: the message may quote rows (a constraint's key values), and
        # observers read the run. The traceback is in the log.
        _finish(
            run,
            RunStatus.FAILED,
            _("内部错误（%(kind)s），已记入日志") % {"kind": type(exc).__name__},
        )
        return
    _finish(run, RunStatus.DONE, "")


def _finish(run: EnrollmentRun, status: str, error: str) -> None:
    EnrollmentRun.objects.filter(pk=run.pk).update(
        status=status, error=error[:300], finished_at=timezone.now()
    )


def mark_interrupted_runs(*, now: dt.datetime | None = None) -> int:
    """Mark as interrupted every running run whose process is gone. Returns the count."""
    return jobs.mark_interrupted(
        EnrollmentRun,
        running=RunStatus.RUNNING,
        interrupted=RunStatus.INTERRUPTED,
        error=_("处理进程中断（服务重启或进程被终止）；可以继续执行"),
        now=now,
    )


RESUMABLE = (RunStatus.INTERRUPTED, RunStatus.FAILED)


def resume_run(*, by: User, run_id: int) -> EnrollmentRun:
    """Queue an interrupted or failed run again. Enrollment is idempotent: the counties it
    already paid for insure nobody twice and pay nothing twice."""
    from .tasks import run_enrollment

    permissions.require(by, "insurance.add_enrollmentrun", _("没有批量参保的权限"))
    with transaction.atomic():
        run = EnrollmentRun.objects.select_for_update().filter(pk=run_id).first()
        if run is None:
            raise RunNotFound(_("参保批次不存在"))
        if run.status not in RESUMABLE:
            raise BadProgramme(
                _("只有已中断或失败的批次可以继续（当前：%(s)s）")
                % {"s": run.get_status_display()},
                code="run_not_resumable",
            )
        run.status = RunStatus.QUEUED
        run.error = ""
        run.finished_at = None
        run.worker = ""
        run.save(update_fields=["status", "error", "finished_at", "worker"])
        transaction.on_commit(lambda: run_enrollment.enqueue(run.pk))
    return run
