"""An import whose worker was killed is found at start-up and marked interrupted; its officer
resumes it and it completes, writing nobody twice."""

from __future__ import annotations

import socket
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from tuopin.conftest import VILLAGE_A, person_row
from tuopin.core import jobs as core_jobs
from tuopin.registry.choices import ImportStatus
from tuopin.registry.importing import jobs
from tuopin.registry.models import Household, ImportJob, Person

pytestmark = pytest.mark.usefixtures("area_tree")


@pytest.fixture(autouse=True)
def _media(settings, tmp_path: Path) -> Path:  # type: ignore[no-untyped-def]
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


def _dead_worker() -> str:
    child = subprocess.run(  # noqa: S603
        [sys.executable, "-c", "import os; print(os.getpid())"],
        capture_output=True,
        text=True,
        check=True,
    )
    return f"{socket.gethostname()}:{int(child.stdout)}"


@pytest.fixture
def killed(county_officer, write_csv: Callable[..., Path]) -> ImportJob:  # type: ignore[no-untyped-def]
    """A job the worker had started (one household written) when it was killed."""
    path = write_csv(
        [person_row("H1", "甲", seq=11, village=VILLAGE_A), person_row("H2", "乙", seq=21)]
    )
    job = jobs.start_import(
        upload=SimpleUploadedFile("export.csv", path.read_bytes()), by=county_officer
    )
    jobs.execute_import(job.pk)  # as if it had got this far before the kill
    ImportJob.objects.filter(pk=job.pk).update(
        status=ImportStatus.RUNNING, worker=_dead_worker(), finished_at=None
    )
    return job


def test_an_import_whose_worker_died_is_marked_interrupted(killed: ImportJob) -> None:
    assert jobs.mark_interrupted_imports() == 1
    killed.refresh_from_db()
    assert killed.status == ImportStatus.INTERRUPTED and killed.error


def test_an_import_of_a_live_worker_is_left_running(killed: ImportJob) -> None:
    ImportJob.objects.filter(pk=killed.pk).update(worker=core_jobs.this_process())
    assert jobs.mark_interrupted_imports() == 0


def test_the_officer_resumes_an_interrupted_import_and_nobody_is_written_twice(
    killed: ImportJob,
    county_officer,  # type: ignore[no-untyped-def]
    django_capture_on_commit_callbacks,  # type: ignore[no-untyped-def]
) -> None:
    jobs.mark_interrupted_imports()
    client = Client()
    client.force_login(county_officer)
    assert "继续导入" in client.get(f"/registry/import/{killed.pk}/").content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        assert client.post(f"/registry/import/{killed.pk}/resume").status_code == 302
    killed.refresh_from_db()
    assert killed.status == ImportStatus.DONE
    assert Household.objects.count() == 2 and Person.objects.count() == 2


def test_another_officer_cannot_resume_it(killed: ImportJob, unmasking_officer) -> None:  # type: ignore[no-untyped-def]
    jobs.mark_interrupted_imports()
    client = Client()
    client.force_login(unmasking_officer)
    assert client.post(f"/registry/import/{killed.pk}/resume").status_code == 404
    killed.refresh_from_db()
    assert killed.status == ImportStatus.INTERRUPTED


def test_a_finished_import_is_not_resumed(killed: ImportJob, county_officer) -> None:  # type: ignore[no-untyped-def]
    ImportJob.objects.filter(pk=killed.pk).update(status=ImportStatus.DONE)
    client = Client()
    client.force_login(county_officer)
    page = client.post(f"/registry/import/{killed.pk}/resume", follow=True).content.decode()
    assert "只有已中断或失败的导入可以继续" in page


def test_an_import_delivered_twice_runs_once(
    county_officer,  # type: ignore[no-untyped-def]
    write_csv: Callable[..., Path],
) -> None:
    path = write_csv([person_row("H1", "甲", seq=11, village=VILLAGE_A)])
    job = jobs.start_import(
        upload=SimpleUploadedFile("export.csv", path.read_bytes()), by=county_officer
    )
    jobs.execute_import(job.pk)
    ImportJob.objects.filter(pk=job.pk).update(households_created=99)
    jobs.execute_import(job.pk)  # the queue delivers the task again
    job.refresh_from_db()
    assert job.households_created == 99


def test_a_cadre_cannot_start_an_import_through_the_service(
    cadre_a,  # type: ignore[no-untyped-def]
    write_csv: Callable[..., Path],
) -> None:
    from tuopin.core.errors import PermissionDenied

    path = write_csv([person_row("H1", "甲", seq=11, village=VILLAGE_A)])
    with pytest.raises(PermissionDenied):
        jobs.start_import(upload=SimpleUploadedFile("export.csv", path.read_bytes()), by=cadre_a)
    assert not ImportJob.objects.exists()


def test_an_import_whose_uploader_lost_the_permission_writes_nothing(
    county_officer,  # type: ignore[no-untyped-def]
    write_csv: Callable[..., Path],
) -> None:
    path = write_csv([person_row("H1", "甲", seq=11, village=VILLAGE_A)])
    job = jobs.start_import(
        upload=SimpleUploadedFile("export.csv", path.read_bytes()), by=county_officer
    )
    county_officer.groups.clear()
    jobs.execute_import(job.pk)
    job.refresh_from_db()
    assert job.status == ImportStatus.FAILED and not Household.objects.exists()
