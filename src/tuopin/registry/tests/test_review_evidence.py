"""Evidence of the annual review's facts: photos and documents attached when the cadre records
a household's facts, at most nine, read back only through the item's access function."""

from __future__ import annotations

import io

import pytest
from django.test import Client
from PIL import Image

from tuopin.conftest import COUNTY, VILLAGE_A
from tuopin.registry.errors import BadRequest
from tuopin.registry.models import ReviewEvidence, ReviewItem
from tuopin.registry.upkeep import review

pytestmark = pytest.mark.django_db
ALL_GOOD = dict.fromkeys(("food", "clothing", "education", "medical", "housing", "water"), True)


@pytest.fixture
def item(households, county_officer) -> ReviewItem:  # type: ignore[no-untyped-def]
    rnd = review.open_review(county=COUNTY, year=2024, line_fen=400_000, by=county_officer)
    return ReviewItem.objects.get(round=rnd, household__household_no="A001")


def _photo(colour: str = "red") -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (120, 90), colour).save(out, "JPEG")
    return out.getvalue()


def _record(item, cadre, evidence, income: int = 1_000_000):  # type: ignore[no-untyped-def]
    return review.record_facts(
        item=item, income_fen=income, checks=ALL_GOOD, by=cadre, evidence=evidence
    )


def _client(user) -> Client:  # type: ignore[no-untyped-def]
    c = Client()
    c.force_login(user)
    return c


def test_it_keeps_the_photos_of_the_facts(item, cadre_a) -> None:
    _record(item, cadre_a, [_photo("red"), _photo("blue")])
    assert list(item.evidence.values_list("position", flat=True)) == [0, 1]


def test_a_later_save_adds_to_the_photos(item, cadre_a) -> None:
    _record(item, cadre_a, [_photo("red")])
    _record(item, cadre_a, [_photo("blue")])
    assert item.evidence.count() == 2


def test_a_save_without_photos_keeps_those_attached(item, cadre_a) -> None:
    _record(item, cadre_a, [_photo("red")])
    _record(item, cadre_a, None, income=2_000_000)
    assert item.evidence.count() == 1


def test_a_tenth_file_is_refused_and_nothing_is_saved(item, cadre_a) -> None:
    _record(item, cadre_a, [_photo(c) for c in ("red", "blue", "green", "white", "black")])
    _record(item, cadre_a, [_photo(c) for c in ("gray", "yellow", "pink", "orange")])
    with pytest.raises(BadRequest) as exc:
        _record(item, cadre_a, [_photo("purple")], income=5)
    assert exc.value.code == "too_many_files"
    item.refresh_from_db()
    assert item.income_fen == 1_000_000 and item.evidence.count() == 9


def test_the_village_page_links_the_photos(item, cadre_a) -> None:
    _record(item, cadre_a, [_photo()])
    page = _client(cadre_a).get(f"/registry/review/{item.round_id}/{VILLAGE_A}/").content
    assert f"/registry/review/items/{item.pk}/evidence/0/".encode() in page


def test_the_form_uploads_a_photo(item, cadre_a) -> None:
    from django.core.files.uploadedfile import SimpleUploadedFile

    _client(cadre_a).post(
        f"/registry/review/items/{item.pk}/facts",
        {
            "income": "10000",
            **dict.fromkeys(ALL_GOOD, "1"),
            "evidence": SimpleUploadedFile("house.jpg", _photo(), "image/jpeg"),
        },
    )
    assert ReviewEvidence.objects.get(item=item).name == "house.jpg"


def test_the_cadre_sees_the_photo(item, cadre_a) -> None:
    _record(item, cadre_a, [_photo()])
    response = _client(cadre_a).get(f"/registry/review/items/{item.pk}/evidence/0/")
    assert response.status_code == 200 and response["Content-Type"] == "image/jpeg"


def test_a_cadre_of_another_village_does_not_find_it(item, cadre_a, cadre_b) -> None:
    _record(item, cadre_a, [_photo()])
    response = _client(cadre_b).get(f"/registry/review/items/{item.pk}/evidence/0/")
    assert response.status_code == 404


def test_an_uploaded_web_page_is_downloaded_not_shown(item, cadre_a) -> None:
    from django.core.files.uploadedfile import SimpleUploadedFile

    page = SimpleUploadedFile("x.html", b"<script>alert(1)</script>", "text/html")
    _record(item, cadre_a, [page])
    response = _client(cadre_a).get(f"/registry/review/items/{item.pk}/evidence/0/")
    assert response["Content-Type"] == "application/octet-stream"
    assert response["Content-Disposition"].startswith("attachment")


def test_the_api_takes_base64_photos(item, cadre_a) -> None:
    import base64

    body = {
        "income_fen": 1_000_000,
        **ALL_GOOD,
        "evidence": [base64.b64encode(_photo()).decode()],
    }
    answer = _client(cadre_a).post(
        f"/api/v1/registry/reviews/items/{item.pk}/facts", body, content_type="application/json"
    )
    assert answer.json()["evidence"] == 1
