"""In English, the pages' own punctuation is English: no Chinese colon, parentheses or list
comma beside translated text (names and other data keep their own characters)."""

from __future__ import annotations

import re

import pytest
from django.test import Client

pytestmark = pytest.mark.usefixtures("households")
CHINESE_PUNCTUATION = re.compile(r"[：（）、，]")


def visible_text(html: str) -> str:
    html = re.sub(r"<(script|style)\b.*?</\1>", "", html, flags=re.S)
    return re.sub(r"<[^>]+>", " ", html)


@pytest.mark.parametrize(
    "url",
    ["/en/", "/en/registry/households/A001/", "/en/ledger/", "/en/registry/people/"],
)
def test_english_pages_use_english_punctuation(client: Client, county_officer, url: str) -> None:  # type: ignore[no-untyped-def]
    client.force_login(county_officer)
    response = client.post(url, {"q": "唐俊"}) if "people" in url else client.get(url)
    assert response.status_code == 200
    text = visible_text(response.content.decode())
    assert "Poor households" in text  # it is the English page
    assert CHINESE_PUNCTUATION.findall(text) == []


def test_the_household_page_in_english_reads_naturally(client: Client, county_officer) -> None:  # type: ignore[no-untyped-def]
    client.force_login(county_officer)
    text = visible_text(client.get("/en/registry/households/A001/").content.decode())
    assert "溪丘湾村 (422823101201)" in text
