"""403, 404 and 500 are pages of the site: its frame, its nav, a way back."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client, RequestFactory
from django.utils import translation
from django.views.defaults import server_error


@pytest.fixture
def production(settings: Any) -> None:
    settings.DEBUG = False


@pytest.mark.usefixtures("production")
def test_a_forbidden_page_is_shown_in_the_site_frame(donor) -> None:  # type: ignore[no-untyped-def]
    client = Client()
    client.force_login(donor)
    response = client.get("/registry/areas/")
    text = response.content.decode()
    assert response.status_code == 403
    assert 'class="brand"' in text and "<nav" in text and "没有权限" in text
    assert 'href="/"' in text


@pytest.mark.usefixtures("production", "area_tree")
def test_a_missing_page_is_shown_in_the_site_frame_with_a_login_link() -> None:
    response = Client().get("/no-such-page/")
    text = response.content.decode()
    assert response.status_code == 404
    assert 'class="brand"' in text and "找不到页面" in text and 'href="/login/"' in text


@pytest.mark.usefixtures("production", "area_tree")
def test_a_missing_object_for_a_logged_in_user_is_the_framed_404(county_officer) -> None:  # type: ignore[no-untyped-def]
    client = Client()
    client.force_login(county_officer)
    response = client.get("/registry/households/NOPE/")
    assert response.status_code == 404
    assert "找不到页面" in response.content.decode() and "贫困户" in response.content.decode()


def test_the_server_error_page_renders_without_the_database() -> None:
    # Django's own handler renders it with an empty context; no ``db`` fixture here, so a
    # query would fail the test (the database may be what broke).
    with translation.override("zh-hans"):  # no request: the thread's language is used
        response = server_error(RequestFactory().get("/"))
    html = response.content.decode()
    assert response.status_code == 500
    assert 'class="brand"' in html and "服务器出错" in html and 'href="/login/"' in html


@pytest.mark.usefixtures("production", "area_tree")
def test_the_missing_page_speaks_english_under_en() -> None:
    response = Client().get("/en/no-such-page/")
    assert response.status_code == 404
    assert "Page not found" in response.content.decode()
