"""The frame every page shares: a skip link to the content, an icon (also at /favicon.ico),
and a back office that says whose it is."""

from __future__ import annotations

import re

import pytest
from django.contrib.staticfiles import finders
from django.test import Client


@pytest.mark.django_db
def test_the_first_thing_a_keyboard_reaches_is_the_skip_link_to_the_content(
    client: Client,
) -> None:
    html = client.get("/ledger/").content.decode()
    body = html[html.index("<body>") :]
    first = re.search(r"<(a|button|input|select|textarea)\b[^>]*>", body)
    assert first is not None and first.group(0) == '<a class="skip" href="#main">'
    assert body[first.end() :].startswith("跳到正文</a>")
    assert '<main id="main"' in body


@pytest.mark.django_db
def test_every_page_names_its_icon_and_the_icon_is_served(client: Client) -> None:
    html = client.get("/campaigns/").content.decode()
    icon = re.search(r'<link rel="icon" href="([^"]+)" type="image/svg\+xml">', html)
    assert icon is not None and icon.group(1) == "/static/tuopin/favicon.svg"
    assert finders.find("tuopin/favicon.svg") is not None


@pytest.mark.django_db
def test_favicon_ico_leads_to_the_icon(client: Client) -> None:
    response = client.get("/favicon.ico")
    assert response.status_code == 302
    assert response["Location"] == "/static/tuopin/favicon.svg"


@pytest.mark.django_db
def test_the_admin_is_branded(client: Client) -> None:
    html = client.get("/admin/login/").content.decode()
    assert "脱贫 · 后台管理" in html and "Django" not in re.sub(r"<[^>]+>", "", html)
    english = client.get("/en/admin/login/").content.decode()
    assert "tuopin · Administration" in english
