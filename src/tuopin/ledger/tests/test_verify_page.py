"""The receipt check's words come from the page, in the page's language."""

from __future__ import annotations

import json

import pytest
from django.test import Client

pytestmark = pytest.mark.django_db


def _texts(client: Client, url: str) -> dict[str, object]:
    html = client.get(url).content.decode()
    start = html.index('<script id="verify-texts" type="application/json">')
    body = html[start:].split(">", 1)[1].split("</script>", 1)[0]
    return json.loads(body)  # type: ignore[no-any-return]


def test_the_check_speaks_chinese_by_default() -> None:
    texts = _texts(Client(), "/ledger/verify")
    assert texts["bad"] == "回执无效"
    assert "根哈希不一致" in texts["errors"]["root_mismatch"]  # type: ignore[index]


def test_an_english_page_hands_the_script_english() -> None:
    texts = _texts(Client(), "/en/ledger/verify")
    assert texts["bad"] == "The receipt is not valid"
    assert texts["kinds"]["donation"] != "捐赠"  # type: ignore[index]
