"""The work report: built from the data, refused without data, published by a second
operator with its PDF's hash on the ledger, and the PDF is text with the headline figures."""

from __future__ import annotations

import hashlib
import io
import json

import pytest
from django.utils import timezone
from pypdf import PdfReader

from tuopin.accounts import roles
from tuopin.accounts import services as accounts
from tuopin.core import periods
from tuopin.core.errors import PermissionDenied
from tuopin.ledger.models import Entry
from tuopin.registry.models import Household
from tuopin.reports import publishing, workreport
from tuopin.reports.models import Event, PdfState, ReportStatus


@pytest.fixture
def this_month() -> str:
    return periods.containing(timezone.localdate(), periods.MONTH).code


@pytest.fixture
def reviewer(area_tree):  # type: ignore[no-untyped-def]
    return accounts.create_user(username="reviewer", role=roles.OPERATOR, password="pw-rev")


def test_it_puts_the_registry_figures_in_the_highlights(households, operator, this_month) -> None:  # type: ignore[no-untyped-def]
    report = workreport.build(operator, period_text=this_month)
    codes = {f.indicator.code: f.value for f in report.highlights}
    assert codes["registry.households"] == Household.objects.count()
    assert len(report.footnotes) >= len(report.highlights)


def test_it_refuses_a_period_with_no_data(households, operator) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(workreport.NoData):
        workreport.build(operator, period_text="2001H1")


def test_the_chronicle_has_operators_events_of_the_period(households, operator, this_month) -> None:  # type: ignore[no-untyped-def]
    today = timezone.localdate()
    Event.objects.create(day=today, title="县域示范班开班", by=operator, at=timezone.now())
    Event.objects.create(
        day=today.replace(year=today.year - 1), title="去年的事", by=operator, at=timezone.now()
    )
    titles = [h.title for h in workreport.build(operator, period_text=this_month).chronicle]
    assert "县域示范班开班" in titles and "去年的事" not in titles


def test_a_draft_is_published_only_by_another_operator(
    households, operator, reviewer, this_month
) -> None:  # type: ignore[no-untyped-def]
    draft = publishing.generate(period_text=this_month, by=operator)
    assert draft.status == ReportStatus.DRAFT and draft.ledger_index is None
    with pytest.raises(publishing.CannotPublish):
        publishing.publish(report=draft, by=operator)
    done = publishing.publish(report=draft, by=reviewer)
    pdf = publishing.pdf_bytes(done)
    assert pdf is not None
    assert hashlib.sha256(pdf).hexdigest() == done.pdf_sha256
    body = json.loads(bytes(Entry.objects.get(index=done.ledger_index).data))
    assert body["pdf_sha256"] == done.pdf_sha256 and body["period"] == this_month
    with pytest.raises(publishing.CannotPublish):
        publishing.publish(report=done, by=reviewer)


def test_the_pdf_is_searchable_text_with_the_sections_and_figures(
    households, operator, this_month
) -> None:  # type: ignore[no-untyped-def]
    report = workreport.build(operator, period_text=this_month)
    pdf = publishing.render_pdf(publishing.render_html(report))
    reader = PdfReader(io.BytesIO(pdf))
    text = "".join(page.extract_text() for page in reader.pages)
    assert len(reader.pages) >= 4
    for heading in ("数据亮点", "大事记", "主要方向", "数据来源"):
        assert heading in text
    assert "建档立卡户" in text and str(Household.objects.count()) in text


def test_a_cadre_may_not_generate_a_report(households, cadre_a, this_month) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(PermissionDenied):
        publishing.generate(period_text=this_month, by=cadre_a)


def test_a_featured_case_carries_its_photo_inside_the_report(
    households, operator, this_month
) -> None:  # type: ignore[no-untyped-def]
    from tuopin.casework.tests.factories import photo
    from tuopin.documents import evidence
    from tuopin.reports.models import FeaturedCase

    FeaturedCase.objects.create(
        direction="more",
        day=timezone.localdate(),
        title="村里的合作社",
        text="……",
        photo=evidence.store_photo(photo(3)),
        by=operator,
    )
    html = publishing.render_html(workreport.build(operator, period_text=this_month))
    assert "村里的合作社" in html and 'src="data:image/jpeg;base64,' in html


def test_only_an_operator_records_the_chronicle(households, operator, cadre_a) -> None:  # type: ignore[no-untyped-def]
    from tuopin.reports import services

    day = timezone.localdate()
    with pytest.raises(PermissionDenied):
        services.record_event(day=day, title="村里修了路", by=cadre_a)
    first = services.record_event(day=day, title="示范班开班", by=operator)
    assert services.record_event(day=day, title="示范班开班", by=operator).pk == first.pk


def test_a_draft_pdf_is_typeset_in_the_background(
    households, operator, this_month, django_capture_on_commit_callbacks
) -> None:  # type: ignore[no-untyped-def]
    with django_capture_on_commit_callbacks(execute=True):  # the task is enqueued on commit
        draft = publishing.generate(period_text=this_month, by=operator)
    draft.refresh_from_db()
    pdf = publishing.pdf_bytes(draft)
    assert draft.pdf_state == PdfState.READY
    assert pdf is not None and hashlib.sha256(pdf).hexdigest() == draft.pdf_sha256


def test_publishing_keeps_the_pdf_typeset_for_the_draft(
    households, operator, reviewer, this_month, django_capture_on_commit_callbacks, monkeypatch
) -> None:  # type: ignore[no-untyped-def]
    with django_capture_on_commit_callbacks(execute=True):
        draft = publishing.generate(period_text=this_month, by=operator)
    draft.refresh_from_db()

    def typeset_again(html: str) -> bytes:
        raise AssertionError("publishing typeset the PDF again")

    monkeypatch.setattr(publishing, "render_pdf", typeset_again)
    done = publishing.publish(report=draft, by=reviewer)
    assert done.pdf_sha256 == draft.pdf_sha256


def test_the_pdf_of_a_draft_being_typeset_is_a_page_that_says_so(
    households, operator, this_month
) -> None:  # type: ignore[no-untyped-def]
    from django.test import Client

    draft = publishing.generate(period_text=this_month, by=operator)  # the task has not run
    client = Client()
    client.force_login(operator)
    response = client.get(f"/reports/{draft.pk}/report.pdf")
    assert response.status_code == 202 and "正在后台排版" in response.content.decode()


def test_a_failed_typesetting_is_recorded_on_the_report(
    households, operator, this_month, monkeypatch
) -> None:  # type: ignore[no-untyped-def]
    draft = publishing.generate(period_text=this_month, by=operator)

    def broken(html: str) -> bytes:  # WeasyPrint failing (a missing system library, say)
        raise OSError("cannot load library 'pango'")

    monkeypatch.setattr(publishing, "render_pdf", broken)
    publishing.typeset(draft.pk)
    draft.refresh_from_db()
    assert draft.pdf_state == PdfState.FAILED and "pango" in draft.pdf_error
