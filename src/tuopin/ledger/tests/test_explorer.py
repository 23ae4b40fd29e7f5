"""The public explorer shows what each entry records, in words, and never who it is about."""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from tuopin.conftest import COUNTY
from tuopin.ledger import services as ledger

pytestmark = pytest.mark.django_db


def _page(client: Client, query: str = "") -> str:
    response = client.get("/ledger/" + query)
    assert response.status_code == 200
    return response.content.decode()


@pytest.fixture
def donation(operator):  # type: ignore[no-untyped-def]
    from tuopin.charity import services as charity
    from tuopin.charity.models import Campaign

    charity.save_campaign(
        by=operator,
        campaign=Campaign(
            slug="dlz",
            title="顶梁柱健康扶贫公益保险",
            programme_name="顶梁柱",
            goal_fen=10_000_000,
            starts_on=dt.date(2026, 1, 1),
            ends_on=dt.date(2026, 12, 31),
            status="open",
        ),
    )
    return charity.record_donation(
        by=operator, campaign_slug="dlz", amount_fen=12_345, channel="online", payment_ref="PAY-77"
    ).donation


def _enrollment(county: str = COUNTY) -> Any:
    return ledger.append_entry(
        kind="enrollment",
        payload={"programme": "dlz", "period_start": "2026-01-01", "county": county, "people": 7},
        commit={"members": ("insurance.batch:dlz:20260101:422823", "digest")},
    )


def test_a_donation_shows_its_campaign_linked_and_its_channel_in_words(donation) -> None:  # type: ignore[no-untyped-def]
    html = _page(Client())
    assert '<a href="/campaigns/dlz/">dlz</a>' in html
    assert "互联网公益平台" in html
    assert "123.45" in html


def test_a_commitment_shows_as_a_short_hash_with_what_it_is(donation) -> None:  # type: ignore[no-untyped-def]
    from tuopin.ledger.models import Entry

    full = json.loads(bytes(Entry.objects.get(index=donation.ledger_index).data))["commitments"]
    html = _page(Client(), f"?index={donation.ledger_index}")
    assert f'<code title="{full["donor"]}">{full["donor"][:8]}</code>' in html
    assert 'href="#what-commitment"' in html and 'id="what-commitment"' in html


def test_the_explorer_never_shows_the_payment_reference(donation) -> None:  # type: ignore[no-untyped-def]
    assert "PAY-77" not in _page(Client())


def test_an_enrollment_names_its_county_from_the_area_tree(area_tree) -> None:  # type: ignore[no-untyped-def]
    _enrollment()
    html = _page(Client())
    assert "巴东县（422823000000）" in html
    assert "<dt>人数</dt><dd>7</dd>" in html


def test_a_visitor_sees_the_programme_without_a_link(area_tree) -> None:  # type: ignore[no-untyped-def]
    _enrollment()
    html = _page(Client())
    assert "<dd>dlz</dd>" in html
    assert "/insurance/programmes/dlz/" not in html


def test_an_operator_gets_the_programme_linked(operator) -> None:  # type: ignore[no-untyped-def]
    _enrollment()
    client = Client()
    client.force_login(operator)
    assert '<a href="/insurance/programmes/dlz/">dlz</a>' in _page(client)


def test_an_unknown_field_shows_under_its_own_key(db) -> None:  # type: ignore[no-untyped-def]
    ledger.append_entry(kind="note", payload={"tally_marks": 3, "nested": {"a": 1}})
    html = _page(Client())
    assert "<dt>tally_marks</dt><dd>3</dd>" in html
    assert "<dt>nested</dt>" in html


def test_a_county_code_not_in_the_tree_shows_as_written(db) -> None:  # type: ignore[no-untyped-def]
    _enrollment(county="not-a-code")
    assert "<dd>not-a-code</dd>" in _page(Client())


def _queries(client: Client) -> int:
    with CaptureQueriesContext(connection) as ctx:
        _page(client)
    return len(ctx.captured_queries)


def test_the_explorer_reads_a_page_of_entries_in_a_fixed_number_of_queries(operator) -> None:  # type: ignore[no-untyped-def]
    client = Client()
    client.force_login(operator)
    for _ in range(2):
        _enrollment()
    few = _queries(client)
    for _ in range(13):
        _enrollment("621102000000")
        ledger.append_entry(
            kind="refund", payload={"campaign": "dlz", "amount_fen": 5, "donation": 0}
        )
    assert _queries(client) == few


def test_an_english_page_labels_fields_in_english(area_tree) -> None:  # type: ignore[no-untyped-def]
    _enrollment()
    html = Client().get("/en/ledger/").content.decode()
    assert "<dt>Programme</dt>" in html
    assert "巴东县 (422823000000)" in html
