"""The phone pages: filing with a camera photo, the review page with the flags, the report."""

from __future__ import annotations

import io

from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from openpyxl import load_workbook

from tuopin.casework.models import Submission
from tuopin.conftest import COUNTY

from .factories import IN_JUNE, chicken, photo


def test_a_cadre_files_from_the_form_with_a_camera_photo(types, households, cadre_a) -> None:  # type: ignore[no-untyped-def]
    client = Client()
    client.force_login(cadre_a)
    page = client.get("/casework/new/black-chicken/").content.decode()
    assert 'capture="environment"' in page and 'accept="image/*"' in page
    upload = SimpleUploadedFile("p.jpg", photo(3, taken=IN_JUNE), content_type="image/jpeg")
    r = client.post(
        "/casework/new/black-chicken/",
        {
            "period": "2018-06",
            "household": "A001",
            "birds": "44",
            "growth": "一般",
            "photo": upload,
        },
    )
    assert r.status_code == 302, r.content.decode()[:2000]
    assert Submission.objects.get().values.get(field__key="birds").number == 44


def test_a_bad_form_shows_every_message_and_files_nothing(types, households, cadre_a) -> None:  # type: ignore[no-untyped-def]
    client = Client()
    client.force_login(cadre_a)
    r = client.post("/casework/new/black-chicken/", {"household": "A001", "birds": "x"})
    html = r.content.decode()
    assert r.status_code == 422
    assert "应填数字" in html and "请选择" not in html and "请拍摄或上传现场照片" in html
    assert Submission.objects.count() == 0


def test_the_reviewer_sees_the_reused_photo_flag_and_the_photo(
    types, households, cadre_a, township
) -> None:  # type: ignore[no-untyped-def]
    chicken(types, cadre_a, seed=7)
    again = chicken(types, cadre_a, seed=7, household="A002")
    client = Client()
    client.force_login(township)
    html = client.get(f"/casework/{again.pk}/").content.decode()
    assert "照片重复使用" in html
    use = again.photos.get()
    r = client.get(f"/casework/{again.pk}/photos/{use.pk}")
    assert r.status_code == 200 and r["Content-Type"] == "image/jpeg"


def test_the_report_exports_the_same_totals_as_xlsx(
    types, households, cadre_a, county_officer
) -> None:  # type: ignore[no-untyped-def]
    chicken(types, cadre_a, birds="120", seed=1)
    chicken(types, cadre_a, birds="30", seed=2, household="A002")
    client = Client()
    client.force_login(county_officer)
    html = client.get(f"/casework/reports/black-chicken/?area={COUNTY}&period=2018-06").content
    assert b"150" in html
    r = client.get(f"/casework/reports/black-chicken/export.xlsx?area={COUNTY}&period=2018-06")
    ws = load_workbook(io.BytesIO(r.content)).active
    rows = list(ws.iter_rows(values_only=True))
    assert rows[-1][3] == 150 and rows[-1][2] == 2


def test_the_inbox_offers_an_area_approval_for_a_periodic_month(
    types, households, cadre_a, township
) -> None:  # type: ignore[no-untyped-def]
    chicken(types, cadre_a, seed=1)
    chicken(types, cadre_a, seed=2, household="A002")
    client = Client()
    client.force_login(township)
    html = client.get("/casework/inbox/").content.decode()
    assert "2 份待本级审批" in html
    r = client.post(
        "/casework/approve/", {"type": "black-chicken", "period": "2018-06", "area": "422823101000"}
    )
    assert r.status_code == 302
    assert set(Submission.objects.values_list("step_index", flat=True)) == {1}
