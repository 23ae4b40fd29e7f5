"""The village view a page at a time: search first, the next rows as a compressed fragment
(no CSRF token, no echoed search), counts over every match, every villager reachable."""

from __future__ import annotations

import gzip
import re

import pytest
from django.test import Client

from tuopin.conftest import VILLAGE_A, VILLAGE_B
from tuopin.insurance import views
from tuopin.insurance.models import Programme

from .test_cover import insured  # noqa: F401 - the fixture

EVERYONE = ["唐俊", "朱婷婷", "朱明", "王强"]  # village A, in the page's order


@pytest.fixture
def two_a_page(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(views, "VILLAGE_PAGE", 2)


@pytest.fixture
def client(cadre_a) -> Client:  # type: ignore[no-untyped-def]
    c = Client()
    c.force_login(cadre_a)
    return c


def names(html: str) -> list[str]:
    return re.findall(r'<td class="lead"[^>]*><a href="[^"]*">([^<]+)</a>', html)


def cards(html: str) -> list[tuple[str, str]]:
    return re.findall(r'<div class="n">(\d+)</div><div class="l">([^<]+)</div>', html)


def test_the_page_shows_the_first_rows_and_counts_every_villager(
    insured: Programme,  # noqa: F811
    client: Client,
    two_a_page: None,
) -> None:
    body = client.get(f"/insurance/villages/{VILLAGE_A}/").content.decode()
    assert names(body) == EVERYONE[:2]
    assert cards(body)[0] == ("4", "在册人口")
    assert 'id="village-next" href="?q=&amp;page=2"' in body
    assert "village-rows.js" in body


def test_the_next_page_opens_without_the_script(
    insured: Programme,  # noqa: F811
    client: Client,
    two_a_page: None,
) -> None:
    body = client.get(f"/insurance/villages/{VILLAGE_A}/?page=2").content.decode()
    assert names(body) == EVERYONE[2:]
    assert 'id="village-next"' not in body  # the last page


def test_every_villager_is_reachable_through_the_rows_fragments(
    insured: Programme,  # noqa: F811
    client: Client,
    two_a_page: None,
) -> None:
    response = client.get(f"/insurance/villages/{VILLAGE_A}/rows?page=1")
    seen = names(response.content.decode())
    more = response["X-More"]
    while more:
        response = client.get(f"/insurance/villages/{VILLAGE_A}/rows{more}")
        seen += names(response.content.decode())
        more = response["X-More"]
    assert seen == EVERYONE


def test_the_rows_fragment_is_compressed_and_holds_no_token_nor_the_search(
    insured: Programme,  # noqa: F811
    client: Client,
) -> None:
    response = client.get(
        f"/insurance/villages/{VILLAGE_A}/rows?q=朱&page=1", HTTP_ACCEPT_ENCODING="gzip"
    )
    assert response["Content-Encoding"] == "gzip"
    html = gzip.decompress(response.content).decode()
    assert names(html) == ["朱婷婷", "朱明"]
    assert "csrfmiddlewaretoken" not in html and "q=" not in html
    assert response["X-More"] == ""


def test_the_page_itself_is_never_compressed(
    insured: Programme,  # noqa: F811
    client: Client,
) -> None:
    # It carries the CSRF token (the language and log-out forms) and echoes the search.
    response = client.get(f"/insurance/villages/{VILLAGE_A}/?q=朱", HTTP_ACCEPT_ENCODING="gzip")
    assert "Content-Encoding" not in response
    body = response.content.decode()
    assert "csrfmiddlewaretoken" in body and 'value="朱"' in body


def test_a_search_counts_and_pages_its_matches(
    insured: Programme,  # noqa: F811
    client: Client,
    two_a_page: None,
) -> None:
    body = client.get(f"/insurance/villages/{VILLAGE_A}/?q=朱").content.decode()
    assert names(body) == ["朱婷婷", "朱明"]
    assert cards(body)[0] == ("2", "查到的人")
    assert 'id="village-next"' not in body


def test_the_rows_of_a_village_out_of_scope_are_not_found(
    insured: Programme,  # noqa: F811
    client: Client,
) -> None:
    assert client.get(f"/insurance/villages/{VILLAGE_B}/rows?page=1").status_code == 404
    assert client.get("/insurance/villages/999999999999/rows").status_code == 404


def test_a_bad_page_number_is_the_first_page(
    insured: Programme,  # noqa: F811
    client: Client,
    two_a_page: None,
) -> None:
    body = client.get(f"/insurance/villages/{VILLAGE_A}/?page=x").content.decode()
    assert names(body) == EVERYONE[:2]
