"""A donor on a phone: logs in, lands on the campaigns with what a donor can do, and is shown
no page they cannot open. Playwright drives Debian's chromium (`make e2e`)."""

from __future__ import annotations

import os

import pytest

pytestmark = [pytest.mark.e2e, pytest.mark.usefixtures("households")]
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


@pytest.mark.django_db(transaction=True)
def test_a_donor_lands_on_their_own_home_on_a_phone(browser, live_server, donor) -> None:  # type: ignore[no-untyped-def]
    page = browser.new_context(viewport={"width": 390, "height": 844}).new_page()
    page.goto(f"{live_server.url}/")
    assert "公益募捐" in page.inner_text("main")  # the public first, not a login form
    page.click("header >> text=登录")
    page.fill("input[name=username]", "donor")
    page.fill("input[name=password]", "pw-donor")
    page.click("button.primary")
    assert page.url == f"{live_server.url}/"
    assert "回执" in page.inner_text("main")
    assert page.locator("header nav a").all_inner_texts() == [
        "募捐",
        "账本",
        "兴农扶贫",
        "我的捐赠",
    ]
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
