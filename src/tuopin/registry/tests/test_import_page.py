"""The import page: an officer uploads the export, it is imported in the background with its
progress and a report of rejected rows; oversized and hostile files are refused."""

from __future__ import annotations

import os
import time
from collections.abc import Callable
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.test import Client

from tuopin.conftest import VILLAGE_A, VILLAGE_C, person_row
from tuopin.registry.models import Household, ImportJob

pytestmark = pytest.mark.usefixtures("area_tree")


@pytest.fixture(autouse=True)
def _media(settings, tmp_path: Path) -> Path:  # type: ignore[no-untyped-def]
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


def upload(client: Client, path: Path, name: str = "export.csv"):  # type: ignore[no-untyped-def]
    file = SimpleUploadedFile(name, path.read_bytes(), content_type="text/csv")
    return client.post("/registry/import/", {"file": file})


def test_officer_upload_is_imported_in_the_background_with_a_report(
    client: Client,
    county_officer,  # type: ignore[no-untyped-def]
    write_csv: Callable[..., Path],
    django_capture_on_commit_callbacks,  # type: ignore[no-untyped-def]
    _media: Path,
) -> None:
    path = write_csv(
        [
            person_row("H1", "甲", seq=11, village=VILLAGE_A),
            person_row("H2", "乙", seq=21, village=VILLAGE_C),
        ]
    )
    client.force_login(county_officer)
    with django_capture_on_commit_callbacks(execute=True):  # the task is enqueued on commit
        response = upload(client, path)
    job = ImportJob.objects.get()
    assert response.status_code == 302 and response["Location"].endswith(f"/import/{job.pk}/")
    assert list(Household.objects.values_list("household_no", flat=True)) == ["H1"]
    page = client.get(f"/registry/import/{job.pk}/").content.decode()
    assert "unknown_village" in page
    progress = client.get(f"/registry/import/{job.pk}/?format=json").json()
    assert progress == {"status": "done", "percent": 100, "rows_read": 2, "rows_total": 2}
    errors = client.get(f"/registry/import/{job.pk}/errors.csv")
    assert "3,H2,乙,village_code,village_code,unknown_village" in b"".join(
        errors.streaming_content
    ).decode(  # type: ignore[attr-defined]
        "utf-8-sig"
    )
    stored = list((_media / "uploads").iterdir())
    assert len(stored) == 1 and len(stored[0].stem) == 64  # addressed by content hash


def test_a_queued_import_shows_its_progress_before_the_worker_runs(
    client: Client,
    county_officer,  # type: ignore[no-untyped-def]
    write_csv: Callable[..., Path],
) -> None:
    client.force_login(county_officer)
    upload(client, write_csv([person_row("H1", "甲", seq=11)]))  # on_commit never runs here
    job = ImportJob.objects.get()
    assert client.get(f"/registry/import/{job.pk}/?format=json").json()["status"] == "queued"
    assert Household.objects.count() == 0


def test_another_officer_cannot_see_an_import(
    client: Client,
    county_officer,
    unmasking_officer,  # type: ignore[no-untyped-def]
    write_csv: Callable[..., Path],
) -> None:
    client.force_login(county_officer)
    upload(client, write_csv([person_row("H1", "甲", seq=11)]))
    job = ImportJob.objects.get()
    client.force_login(unmasking_officer)
    assert client.get(f"/registry/import/{job.pk}/").status_code == 404
    assert client.get(f"/registry/import/{job.pk}/errors.csv").status_code == 404


def test_an_upload_over_the_byte_limit_is_refused_and_not_kept(
    client: Client,
    county_officer,  # type: ignore[no-untyped-def]
    write_csv: Callable[..., Path],
    settings,  # type: ignore[no-untyped-def]
    _media: Path,
) -> None:
    settings.TUOPIN_UPLOAD_MAX_BYTES = 2000
    rows = [person_row(f"H{i}", "甲", seq=11 + 2 * i) for i in range(40)]
    path = write_csv(rows)
    assert path.stat().st_size > 2000
    client.force_login(county_officer)
    page = client.post("/registry/import/", {"file": path.open("rb")}, follow=True)
    assert "文件过大" in page.content.decode()
    assert ImportJob.objects.count() == 0
    assert not (_media / "uploads").exists()


def test_a_file_over_the_row_limit_fails_its_job_with_nothing_written(
    client: Client,
    county_officer,  # type: ignore[no-untyped-def]
    write_csv: Callable[..., Path],
    settings,  # type: ignore[no-untyped-def]
    django_capture_on_commit_callbacks,  # type: ignore[no-untyped-def]
) -> None:
    settings.TUOPIN_IMPORT_MAX_ROWS = 2
    client.force_login(county_officer)
    rows = [person_row(f"H{i}", "甲", seq=11 + 2 * i) for i in range(3)]
    with django_capture_on_commit_callbacks(execute=True):
        upload(client, write_csv(rows))
    job = ImportJob.objects.get()
    assert job.status == "failed" and "2" in job.error
    assert Household.objects.count() == 0


def test_a_file_missing_required_columns_is_refused_at_upload(
    client: Client,
    county_officer,  # type: ignore[no-untyped-def]
    write_csv: Callable[..., Path],
) -> None:
    client.force_login(county_officer)
    page = upload(client, write_csv([["H1", "甲"]], header=["household_no", "name"]))
    assert page.status_code == 200 and "id_number" in page.content.decode()
    assert ImportJob.objects.count() == 0


def test_purge_uploads_deletes_only_files_past_retention(
    settings,  # type: ignore[no-untyped-def]
    _media: Path,
) -> None:
    settings.TUOPIN_UPLOAD_RETENTION_DAYS = 30
    folder = _media / "uploads"
    folder.mkdir(parents=True)
    old, new = folder / "old.csv", folder / "new.csv"
    old.write_text("x")
    new.write_text("y")
    long_ago = time.time() - 31 * 86400
    os.utime(old, (long_ago, long_ago))
    call_command("registry", "purge-uploads")
    assert sorted(p.name for p in folder.iterdir()) == ["new.csv"]


def test_cadre_cannot_open_the_import_page(client: Client, cadre_a) -> None:  # type: ignore[no-untyped-def]
    client.force_login(cadre_a)
    assert client.get("/registry/import/").status_code == 403
