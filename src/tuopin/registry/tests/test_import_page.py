"""The import page: an officer uploads the export; rows outside the officer's scope are refused."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from tuopin.conftest import VILLAGE_A, VILLAGE_C, person_row
from tuopin.registry.models import Household

pytestmark = pytest.mark.usefixtures("area_tree")


def test_officer_upload_imports_in_scope_and_lists_rejections(
    client: Client,
    county_officer,
    write_csv: Callable[..., Path],
    settings,
    tmp_path: Path,  # type: ignore[no-untyped-def]
) -> None:
    settings.MEDIA_ROOT = tmp_path / "media"
    path = write_csv(
        [
            person_row("H1", "甲", seq=11, village=VILLAGE_A),
            person_row("H2", "乙", seq=21, village=VILLAGE_C),
        ]
    )
    client.force_login(county_officer)
    upload = SimpleUploadedFile("export.csv", path.read_bytes(), content_type="text/csv")
    page = client.post("/registry/import/", {"file": upload}).content.decode()
    assert list(Household.objects.values_list("household_no", flat=True)) == ["H1"]
    assert "unknown_village" in page
    errors = client.get("/registry/import/errors.csv").content.decode("utf-8-sig")
    assert "3,village_code,unknown_village" in errors
    stored = list((tmp_path / "media" / "uploads").iterdir())
    assert len(stored) == 1 and len(stored[0].stem) == 64  # addressed by content hash


def test_cadre_cannot_open_the_import_page(client: Client, cadre_a) -> None:  # type: ignore[no-untyped-def]
    client.force_login(cadre_a)
    assert client.get("/registry/import/").status_code == 403
