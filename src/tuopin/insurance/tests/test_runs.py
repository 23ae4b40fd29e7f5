"""Enrollment runs from the operator's page: any failure ends the run as failed, a run whose
worker was killed is found and marked interrupted, and resuming it completes it without
insuring or paying anyone twice."""

from __future__ import annotations

import datetime as dt
import os
import socket
import subprocess
import sys

import pytest
from django.test import Client
from django.utils import timezone

from tuopin.core import jobs
from tuopin.core.errors import PermissionDenied
from tuopin.insurance import runs, services
from tuopin.insurance.errors import BadProgramme
from tuopin.insurance.models import EnrollmentRun, Policy, PremiumPayment, Programme, RunStatus
from tuopin.insurance.tests.test_cover import PERIOD
from tuopin.insurance.tests.test_enroll import programme as make_programme


@pytest.fixture
def programme(households: None) -> Programme:
    return make_programme(starts_on=PERIOD, ends_on=PERIOD.replace(month=12, day=31))


def _run(programme: Programme, **fields: object) -> EnrollmentRun:
    return EnrollmentRun.objects.create(programme=programme, period_start=PERIOD, **fields)


def _dead_pid() -> int:
    child = subprocess.run(
        [sys.executable, "-c", "import os; print(os.getpid())"],  # noqa: S603
        capture_output=True,
        text=True,
        check=True,
    )
    return int(child.stdout)


def test_a_run_that_meets_an_unexpected_error_ends_failed_with_it(
    programme: Programme, monkeypatch: pytest.MonkeyPatch
) -> None:
    run = _run(programme)

    def broken(**_kw: object) -> None:
        raise ZeroDivisionError("Key (person_id)=(42) already exists")

    monkeypatch.setattr(runs, "enroll", broken)  # the enrollment it calls, not the run's code
    runs.execute_run(run.pk)
    run.refresh_from_db()
    assert run.status == RunStatus.FAILED
    assert "ZeroDivisionError" in run.error and run.finished_at is not None
    assert "42" not in run.error  # no row values from the message: observers read runs


def test_a_run_that_breaks_a_rule_ends_failed_with_the_rule(programme: Programme) -> None:
    run = EnrollmentRun.objects.create(programme=programme, period_start=dt.date(2030, 1, 1))
    runs.execute_run(run.pk)
    run.refresh_from_db()
    assert run.status == RunStatus.FAILED and run.error


def test_a_run_whose_process_is_gone_is_marked_interrupted(programme: Programme) -> None:
    run = _run(programme, status=RunStatus.RUNNING, worker=f"{socket.gethostname()}:{_dead_pid()}")
    assert runs.mark_interrupted_runs() == 1
    run.refresh_from_db()
    assert run.status == RunStatus.INTERRUPTED and run.error


def test_a_run_whose_process_is_alive_is_left_running(programme: Programme) -> None:
    run = _run(programme, status=RunStatus.RUNNING, worker=f"{socket.gethostname()}:{os.getpid()}")
    assert runs.mark_interrupted_runs() == 0
    run.refresh_from_db()
    assert run.status == RunStatus.RUNNING


def test_a_run_on_another_host_is_interrupted_only_when_its_heartbeat_is_stale(
    programme: Programme,
) -> None:
    now = timezone.now()
    run = _run(programme, status=RunStatus.RUNNING, worker="elsewhere:1", heartbeat_at=now)
    assert runs.mark_interrupted_runs(now=now + jobs.STALE_AFTER / 2) == 0
    assert runs.mark_interrupted_runs(now=now + jobs.STALE_AFTER * 2) == 1
    run.refresh_from_db()
    assert run.status == RunStatus.INTERRUPTED


def test_resuming_an_interrupted_run_completes_it_without_paying_twice(
    programme: Programme,
    operator,
    django_capture_on_commit_callbacks,  # type: ignore[no-untyped-def]
) -> None:
    first = services.enroll(programme_slug="dlz", period_start=PERIOD)
    policies, payments = Policy.objects.count(), PremiumPayment.objects.count()
    assert first.enrolled == policies > 0
    run = _run(programme, status=RunStatus.INTERRUPTED, error="进程中断")
    with django_capture_on_commit_callbacks(execute=True):
        runs.resume_run(by=operator, run_id=run.pk)
    run.refresh_from_db()
    assert (run.status, run.error, run.enrolled) == (RunStatus.DONE, "", 0)
    assert (Policy.objects.count(), PremiumPayment.objects.count()) == (policies, payments)


def test_a_cadre_cannot_resume_a_run(programme: Programme, cadre_a) -> None:  # type: ignore[no-untyped-def]
    run = _run(programme, status=RunStatus.INTERRUPTED)
    with pytest.raises(PermissionDenied):
        runs.resume_run(by=cadre_a, run_id=run.pk)
    run.refresh_from_db()
    assert run.status == RunStatus.INTERRUPTED


def test_a_finished_run_cannot_be_resumed(programme: Programme, operator) -> None:  # type: ignore[no-untyped-def]
    run = _run(programme, status=RunStatus.DONE)
    with pytest.raises(BadProgramme):
        runs.resume_run(by=operator, run_id=run.pk)


def test_the_operator_resumes_an_interrupted_run_from_its_page(
    programme: Programme,
    operator,
    django_capture_on_commit_callbacks,  # type: ignore[no-untyped-def]
) -> None:
    run = _run(programme, status=RunStatus.INTERRUPTED, error="进程中断")
    client = Client()
    client.force_login(operator)
    page = client.get(f"/insurance/runs/{run.pk}/").content.decode()
    assert "继续执行" in page and "已中断" in page
    with django_capture_on_commit_callbacks(execute=True):
        resumed = client.post(f"/insurance/runs/{run.pk}/resume")
    assert resumed.status_code == 302
    run.refresh_from_db()
    assert run.status == RunStatus.DONE


def test_the_api_resumes_an_interrupted_run(
    programme: Programme,
    operator,
    django_capture_on_commit_callbacks,  # type: ignore[no-untyped-def]
) -> None:
    run = _run(programme, status=RunStatus.FAILED, error="x")
    client = Client()
    client.force_login(operator)
    with django_capture_on_commit_callbacks(execute=True):
        answer = client.post(f"/api/v1/insurance/runs/{run.pk}/resume")
    assert answer.status_code == 200 and answer.json()["status"] == "queued"
    run.refresh_from_db()
    assert run.status == RunStatus.DONE


def test_a_cadre_posting_resume_gets_forbidden(programme: Programme, cadre_a) -> None:  # type: ignore[no-untyped-def]
    run = _run(programme, status=RunStatus.INTERRUPTED)
    client = Client()
    client.force_login(cadre_a)
    assert client.post(f"/insurance/runs/{run.pk}/resume").status_code == 403


def test_resuming_a_missing_run_is_not_found(operator) -> None:  # type: ignore[no-untyped-def]
    client = Client()
    client.force_login(operator)
    assert client.post("/insurance/runs/999999/resume").status_code == 404


def test_resuming_a_finished_run_from_the_page_says_why(programme: Programme, operator) -> None:  # type: ignore[no-untyped-def]
    run = _run(programme, status=RunStatus.DONE)
    client = Client()
    client.force_login(operator)
    page = client.post(f"/insurance/runs/{run.pk}/resume", follow=True).content.decode()
    assert "只有已中断或失败的批次可以继续" in page


def test_a_run_delivered_twice_runs_once(programme: Programme) -> None:
    run = _run(programme)
    runs.execute_run(run.pk)
    EnrollmentRun.objects.filter(pk=run.pk).update(error="marker")
    runs.execute_run(run.pk)  # the queue delivers the task again
    run.refresh_from_db()
    assert (run.status, run.error) == (RunStatus.DONE, "marker")


def test_a_run_is_running_from_the_moment_a_worker_takes_it(programme: Programme) -> None:
    run = _run(programme)
    assert jobs.take(EnrollmentRun, run.pk, queued=RunStatus.QUEUED, running=RunStatus.RUNNING)
    run.refresh_from_db()
    # So a worker killed before it even counted the eligible is found at start-up.
    assert run.status == RunStatus.RUNNING and run.worker == jobs.this_process()


def test_a_run_whose_starter_lost_the_permission_fails(programme: Programme, operator) -> None:  # type: ignore[no-untyped-def]
    run = _run(programme, started_by=operator)
    operator.groups.clear()
    runs.execute_run(run.pk)
    run.refresh_from_db()
    assert run.status == RunStatus.FAILED and run.enrolled == 0


def test_a_resumed_run_keeps_what_its_first_attempt_enrolled(
    programme: Programme,
    operator,
    django_capture_on_commit_callbacks,  # type: ignore[no-untyped-def]
) -> None:
    run = _run(programme, status=RunStatus.INTERRUPTED, enrolled=7, premium_fen=70_000)
    with django_capture_on_commit_callbacks(execute=True):
        runs.resume_run(by=operator, run_id=run.pk)
    run.refresh_from_db()
    everyone = Policy.objects.count()
    assert run.enrolled == 7 + everyone and run.premium_fen == 70_000 + everyone * 10_000


def test_a_run_on_this_host_with_a_stale_heartbeat_is_interrupted(programme: Programme) -> None:
    # Its pid may have been given to another process since: the heartbeat settles it.
    now = timezone.now()
    run = _run(
        programme,
        status=RunStatus.RUNNING,
        worker=f"{socket.gethostname()}:{os.getpid()}",
        heartbeat_at=now - jobs.STALE_AFTER * 2,
    )
    assert runs.mark_interrupted_runs(now=now) == 1
    run.refresh_from_db()
    assert run.status == RunStatus.INTERRUPTED
