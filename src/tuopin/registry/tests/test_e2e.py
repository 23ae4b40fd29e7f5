"""End to end in a real browser (Playwright driving Debian's /usr/bin/chromium).

Run with `make e2e`. A village cadre logs in on a phone-sized screen, sees only their
village, opens a household with masked ID numbers, and gets 404 for another village.
"""

from __future__ import annotations

import os

import pytest

from tuopin.conftest import VILLAGE_A

pytestmark = [
    pytest.mark.e2e,
    pytest.mark.usefixtures("households"),
]
# Playwright's sync API runs an event loop in this thread; the ORM calls are still sync.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


@pytest.fixture
def page(browser, live_server):  # type: ignore[no-untyped-def]
    context = browser.new_context(viewport={"width": 390, "height": 844}, locale="zh-CN")
    return context.new_page()


def login(page, live_server, username: str, password: str) -> None:  # type: ignore[no-untyped-def]
    page.goto(f"{live_server.url}/login/")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", password)
    page.click("button.primary")


@pytest.mark.django_db(transaction=True)
def test_cadre_on_a_phone_sees_own_village_only(page, live_server, cadre_a) -> None:  # type: ignore[no-untyped-def]
    from tuopin.registry.models import Person

    login(page, live_server, "cadre_a", "pw-cadre-a")
    # A cadre with one village lands on it (reports.views.home).
    assert page.url.endswith(f"/insurance/villages/{VILLAGE_A}/")
    page.click("header >> text=贫困户")
    body = page.inner_text("main")
    assert "A001" in body and "B001" not in body
    page.click("text=A001")
    own = Person.objects.get(name="唐俊")
    text = page.inner_text("main")
    assert own.masked_id in text and own.id_number not in text
    response = page.goto(f"{live_server.url}/registry/households/B001/")
    assert response is not None and response.status == 404
    # The layout fits the phone: no horizontal scrolling.
    page.goto(f"{live_server.url}/registry/households/")
    assert page.evaluate("document.documentElement.scrollWidth") <= 390


@pytest.mark.django_db(transaction=True)
def test_language_switch_to_english(page, live_server, cadre_a) -> None:  # type: ignore[no-untyped-def]
    login(page, live_server, "cadre_a", "pw-cadre-a")
    page.click("button[name=language]")
    page.wait_for_load_state()
    assert "/en/" in page.url
    assert "Poor households" in page.inner_text("header")
