"""The upload page's help: a template file to fill in and the list of accepted columns; and
the job page's rejected rows in the file's own words."""

from __future__ import annotations

import csv
import io
from collections.abc import Callable
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from tuopin.accounts.permissions import has
from tuopin.core.errors import PermissionDenied
from tuopin.registry import services
from tuopin.registry.importing.columns import COLUMNS, REQUIRED
from tuopin.registry.importing.template import template_csv
from tuopin.registry.models import Household, ImportJob

pytestmark = pytest.mark.usefixtures("area_tree")


@pytest.fixture(autouse=True)
def _media(settings, tmp_path: Path) -> Path:  # type: ignore[no-untyped-def]
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


def template_rows(client: Client) -> list[list[str]]:
    response = client.get("/registry/import/template.csv")
    assert response.status_code == 200
    return list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))


def test_the_template_is_utf8_with_a_bom(client: Client, county_officer) -> None:  # type: ignore[no-untyped-def]
    client.force_login(county_officer)
    assert client.get("/registry/import/template.csv").content.startswith(b"\xef\xbb\xbf")


def test_the_template_has_every_column_under_its_chinese_title(
    client: Client,
    county_officer,  # type: ignore[no-untyped-def]
) -> None:
    client.force_login(county_officer)
    header = template_rows(client)[0]
    assert header == [names[0] for names in COLUMNS.values()]


def test_the_template_has_one_example_row(client: Client, county_officer) -> None:  # type: ignore[no-untyped-def]
    client.force_login(county_officer)
    rows = template_rows(client)
    assert len(rows) == 2 and "示例" in rows[1][1]


def test_the_templates_example_row_is_refused_if_left_in(
    county_officer,  # type: ignore[no-untyped-def]
    tmp_path: Path,
) -> None:
    path = tmp_path / "template.csv"
    path.write_bytes(template_csv(county_officer))
    report = services.import_registry(path=path)
    assert report.rejected_households == 1 and not Household.objects.exists()


def test_a_cadre_cannot_download_the_template(cadre_a) -> None:  # type: ignore[no-untyped-def]
    assert not has(cadre_a, "registry.import_registry")
    with pytest.raises(PermissionDenied):
        template_csv(cadre_a)


def test_the_upload_page_lists_the_accepted_columns(client: Client, county_officer) -> None:  # type: ignore[no-untyped-def]
    client.force_login(county_officer)
    page = client.get("/registry/import/").content.decode()
    assert all(f"<code>{key}</code>" in page for key in COLUMNS)
    assert all(names[0] in page for names in COLUMNS.values())


def test_the_upload_page_marks_the_required_columns(client: Client, county_officer) -> None:  # type: ignore[no-untyped-def]
    client.force_login(county_officer)
    page = client.get("/registry/import/").content.decode()
    assert page.count("<strong>必填</strong>") == len(REQUIRED)


def test_the_upload_page_links_the_template(client: Client, county_officer) -> None:  # type: ignore[no-untyped-def]
    client.force_login(county_officer)
    page = client.get("/registry/import/").content.decode()
    assert 'href="/registry/import/template.csv"' in page


def test_the_job_page_names_the_rejected_rows_household_and_person(
    client: Client,
    county_officer,  # type: ignore[no-untyped-def]
    write_csv: Callable[..., Path],
    django_capture_on_commit_callbacks,  # type: ignore[no-untyped-def]
) -> None:
    from tuopin.conftest import person_row

    client.force_login(county_officer)
    path = write_csv([person_row("H5", "唐俊", seq=11, relation="不知道")])
    file = SimpleUploadedFile("export.csv", path.read_bytes(), content_type="text/csv")
    with django_capture_on_commit_callbacks(execute=True):
        client.post("/registry/import/", {"file": file})
    job = ImportJob.objects.get()
    page = client.get(f"/registry/import/{job.pk}/").content.decode()
    assert '<td data-label="户编号">H5</td><td data-label="姓名">唐俊</td>' in page


def test_the_upload_page_says_how_to_write_a_column_without_a_code_list(
    client: Client,
    county_officer,  # type: ignore[no-untyped-def]
) -> None:
    client.force_login(county_officer)
    page = client.get("/registry/import/").content.decode()
    assert "12 位村级区划代码" in page
