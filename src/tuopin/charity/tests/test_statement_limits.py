"""A statement is read under the upload limits: a file past the byte limit or a line with an
over-long field is refused with a message, never a 500, and nothing is stored."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from tuopin.charity import services
from tuopin.charity.models import Campaign, Statement
from tuopin.core.tabular import TableTooLarge

pytestmark = pytest.mark.django_db


def test_a_statement_field_over_128k_is_refused_with_its_line(
    campaign: Campaign,
    operator,  # type: ignore[no-untyped-def]
    tmp_path: Path,
) -> None:
    path = tmp_path / "s.csv"
    path.write_text("交易号,金额（元）\nP1,50\n" + "P2," + "9" * 200_000 + "\n", encoding="utf-8")
    with pytest.raises(TableTooLarge) as exc:
        services.reconcile_statement(campaign_slug="dlz", channel="online", path=path, by=operator)
    assert (exc.value.code, exc.value.detail["line"]) == ("cell_too_long", 3)
    assert Statement.objects.count() == 0


def test_an_oversized_statement_upload_is_refused_on_the_page(
    campaign: Campaign,
    operator,  # type: ignore[no-untyped-def]
    settings,  # type: ignore[no-untyped-def]
    tmp_path: Path,
) -> None:
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.TUOPIN_UPLOAD_MAX_BYTES = 1000
    content = "交易号,金额（元）\n" + "P1,50\n" * 500
    client = Client()
    client.force_login(operator)
    page = client.post(
        "/charity/campaigns/dlz/statements/",
        {"channel": "online", "file": SimpleUploadedFile("big.csv", content.encode())},
    )
    assert page.status_code == 200 and "文件过大" in page.content.decode()
    assert Statement.objects.count() == 0
    assert not (tmp_path / "media").exists()
