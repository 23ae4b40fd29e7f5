"""The operator's programme set-up page in a real browser: it fits a desktop and a phone
without sideways scrolling, and the county filter narrows the checkboxes (`make e2e`)."""

from __future__ import annotations

import os

import pytest

from tuopin.insurance.models import Programme

pytestmark = [pytest.mark.e2e, pytest.mark.usefixtures("area_tree", "empty_the_log_afterwards")]
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


def _open(browser, live_server, width: int):  # type: ignore[no-untyped-def]
    page = browser.new_context(viewport={"width": width, "height": 900}).new_page()
    page.goto(f"{live_server.url}/login/")
    page.fill("input[name=username]", "operator")
    page.fill("input[name=password]", "pw-op")
    page.click("button.primary")
    page.goto(f"{live_server.url}/insurance/programmes/new/")
    return page


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("width", [1280, 390])
def test_the_programme_form_fits_the_screen(browser, live_server, operator, width: int) -> None:  # type: ignore[no-untyped-def]
    page = _open(browser, live_server, width)
    if os.environ.get("TUOPIN_SCREENSHOTS"):  # for a person to look at, not for the test
        page.screenshot(
            path=f"{os.environ['TUOPIN_SCREENSHOTS']}/programme-{width}.png", full_page=True
        )
    assert page.evaluate("document.documentElement.scrollWidth <= innerWidth")


@pytest.mark.django_db(transaction=True)
def test_the_county_filter_narrows_the_list_and_the_choice_is_saved(  # type: ignore[no-untyped-def]
    browser, live_server, operator
) -> None:
    page = _open(browser, live_server, 390)
    page.fill("#county-filter", "安定")  # not a national poor county: nothing left
    assert page.locator("fieldset.counties details.province:visible").count() == 0
    page.fill("#county-filter", "巴东")
    page.check("text=巴东县")
    page.fill("#id_slug", "hbx")
    page.fill("#id_name", "好保险")
    page.fill("#id_sponsor", "基金会")
    page.fill("#id_insurer", "某保险")
    page.fill("#id_premium_yuan", "50")
    page.fill("#id_starts_on", "2026-01-01")
    page.fill("#id_ends_on", "2026-12-31")
    page.click("button.primary >> text=保存")
    page.wait_for_url(f"{live_server.url}/insurance/programmes/hbx/")
    assert list(Programme.objects.get().counties.values_list("name", flat=True)) == ["巴东县"]
