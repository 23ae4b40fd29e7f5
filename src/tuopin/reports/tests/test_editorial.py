"""The chronicle's events and the featured cases: written on pages by operators through
services that check them, read through one access function, and printed in the report with
the figures a case links to."""

from __future__ import annotations

import datetime as dt

import pytest
from django.test import Client
from django.utils import timezone

from tuopin.casework.tests.factories import photo
from tuopin.conftest import COUNTY
from tuopin.core import periods
from tuopin.core.errors import NotFound, PermissionDenied, ValidationFailed
from tuopin.documents.errors import BadImage
from tuopin.documents.models import Photo
from tuopin.registry.models import Household
from tuopin.reports import editorial, services, workreport
from tuopin.reports.models import Event, FeaturedCase


def _day() -> dt.date:
    return timezone.localdate()


def _case(operator, **extra):  # type: ignore[no-untyped-def]
    fields = {"direction": "more", "day": _day(), "title": "村里的新路", "text": "修好了路。"}
    return services.feature_case(**(fields | extra), by=operator)


def test_it_records_an_event_that_the_chronicle_page_shows(operator) -> None:  # type: ignore[no-untyped-def]
    client = Client()
    client.force_login(operator)
    client.post(
        "/reports/chronicle/add",
        {"day": _day().isoformat(), "title": "示范班开班", "public": "on"},
    )
    period = periods.containing(_day(), periods.HALF)
    page = Client().get("/reports/chronicle/", {"period": period.code}).content.decode()
    assert "示范班开班" in page


def test_an_event_not_public_is_hidden_from_the_public(operator) -> None:  # type: ignore[no-untyped-def]
    services.record_event(day=_day(), title="内部会议", public=False, by=operator)
    page = Client().get("/reports/chronicle/").content.decode()
    assert "内部会议" not in page


def test_an_event_with_an_unknown_place_is_refused(operator) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(ValidationFailed) as e:
        services.record_event(day=_day(), title="某事", area_code="999999", by=operator)
    assert e.value.code == "unknown_area" and not Event.objects.exists()


def test_an_event_link_that_is_no_web_address_is_refused(operator) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(ValidationFailed) as e:
        services.record_event(day=_day(), title="某事", url="javascript:alert(1)", by=operator)
    assert e.value.code == "bad_link"


def test_a_county_officer_records_no_event(county_officer) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(PermissionDenied):
        services.record_event(day=_day(), title="某事", by=county_officer)


def test_an_operator_removes_an_event(operator) -> None:  # type: ignore[no-untyped-def]
    event = services.record_event(day=_day(), title="记错了", by=operator)
    client = Client()
    client.force_login(operator)
    client.post(f"/reports/chronicle/{event.pk}/remove")
    assert not Event.objects.filter(pk=event.pk).exists()


def test_it_features_a_case_with_a_photo_from_the_page(area_tree, operator) -> None:  # type: ignore[no-untyped-def]
    from django.core.files.uploadedfile import SimpleUploadedFile

    client = Client()
    client.force_login(operator)
    client.post(
        "/reports/cases/",
        {
            "direction": "ecommerce",
            "day": _day().isoformat(),
            "title": "红米卖上好价",
            "area": COUNTY,
            "text": "合作社收购。",
            "indicators": "registry.households",
            "photo": SimpleUploadedFile("a.jpg", photo(5), "image/jpeg"),
        },
    )
    case = FeaturedCase.objects.get(title="红米卖上好价")
    served = client.get(f"/reports/cases/{case.pk}/photo")
    assert case.photo is not None and served.content == photo(5)


def test_a_case_photo_that_is_no_image_is_refused_and_nothing_written(operator) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(BadImage):
        _case(operator, photo=b"not a photo at all")
    assert not FeaturedCase.objects.exists() and not Photo.objects.exists()


def test_a_case_naming_an_unknown_indicator_is_refused(operator) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(ValidationFailed) as e:
        _case(operator, indicators="registry.households, no.such")
    assert e.value.code == "unknown_indicator" and "no.such" in e.value.message


def test_correcting_a_case_without_a_photo_keeps_its_photo(operator) -> None:  # type: ignore[no-untyped-def]
    case = _case(operator, photo=photo(6))
    kept = case.photo_id
    services.update_case(
        case=case, direction="more", day=_day(), title="村里的新路", text="改过的正文", by=operator
    )
    case.refresh_from_db()
    assert case.photo_id == kept and case.text == "改过的正文"


def test_a_county_officer_cannot_read_a_case(operator, county_officer) -> None:  # type: ignore[no-untyped-def]
    case = _case(operator)
    with pytest.raises(NotFound):
        editorial.get_case_for(county_officer, case.pk)


def test_the_report_prints_the_figures_a_case_links_to(households, operator) -> None:  # type: ignore[no-untyped-def]
    _case(operator, area_code=COUNTY, indicators="registry.households")
    report = workreport.build(operator, period_text=periods.containing(_day(), periods.MONTH).code)
    (case,) = [c for chapter in report.chapters for c in chapter.cases]
    (figure,) = case.figures
    assert figure.value == Household.objects.filter(village__code__startswith=COUNTY[:6]).count()
    assert "registry.households" in report.footnotes[figure.note - 1]
