"""The campaign page's charts in a real browser (`make e2e`): drawn from the page's JSON by the
vendored ECharts at phone and desktop widths, the same size, with 12–14 px text, no console
error; without JavaScript the same figures are in tables that open with a tap."""

from __future__ import annotations

import os

import pytest

from tuopin.charity.models import Campaign
from tuopin.reports import selectors
from tuopin.reports.tests.test_campaign import funded  # noqa: F401 (a fixture)

pytestmark = [pytest.mark.e2e, pytest.mark.usefixtures("households", "empty_the_log_afterwards")]
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHARTS = ("channels", "counties")


def open_page(browser, url: str, width: int, *, javascript: bool = True):  # type: ignore[no-untyped-def]
    context = browser.new_context(
        viewport={"width": width, "height": 900}, java_script_enabled=javascript
    )
    page = context.new_page()
    page.route("**/favicon.ico", lambda route: route.fulfill(status=204))  # not this page's
    errors: list[str] = []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.on("response", lambda r: errors.append(f"{r.status} {r.url}") if r.status >= 400 else None)
    page.goto(url)
    return page, errors


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("width", [390, 1280])
def test_the_campaign_charts_draw_alike_on_a_phone_and_a_desktop(  # type: ignore[no-untyped-def]
    browser,
    live_server,
    funded: Campaign,  # noqa: F811
    width: int,
) -> None:
    page, errors = open_page(browser, f"{live_server.url}/campaigns/dlz/", width)
    for key in (*CHARTS, "county-map"):
        page.wait_for_selector(f"#chart-{key}[data-drawn] svg")
    boxes = [page.locator(f"#chart-{key}").bounding_box() for key in CHARTS]
    assert boxes[0] is not None and boxes[1] is not None
    assert (boxes[0]["width"], boxes[0]["height"]) == (boxes[1]["width"], boxes[1]["height"])
    assert 300 <= boxes[0]["width"] <= min(width, 760)
    svg = page.locator("#chart-channels svg").bounding_box()
    assert svg is not None and svg["width"] == boxes[0]["width"]  # drawn at size, not scaled
    sizes = page.evaluate(
        "[...document.querySelectorAll('.chart-box svg text')]"
        ".map(t => parseFloat(getComputedStyle(t).fontSize))"
    )
    assert sizes and all(12 <= s <= 14 for s in sizes), sizes
    labels = page.inner_text("#chart-channels")
    for label, fen, _n in selectors.campaign_overview(funded).by_channel:
        assert label in labels and f"{fen // 100:,}" in labels
    assert page.locator("#chart-county-map svg text", has_text="巴东县").count() == 1
    assert (
        page.evaluate("[...document.querySelectorAll('details.chart-data')].some(d => d.open)")
        is False
    )
    assert page.locator("#chart-channels[role=img][aria-label]").count() == 1
    assert page.evaluate("document.documentElement.scrollWidth") <= width
    assert errors == []


@pytest.mark.django_db(transaction=True)
def test_without_javascript_the_figures_are_in_tables_that_open_with_a_tap(  # type: ignore[no-untyped-def]
    browser,
    live_server,
    funded: Campaign,  # noqa: F811
) -> None:
    page, errors = open_page(browser, f"{live_server.url}/campaigns/dlz/", 390, javascript=False)
    assert not page.is_visible("#chart-channels")  # no empty box where a chart would be
    page.click("figure:has(#chart-channels) summary")  # the table opens without a script
    table = page.locator("details.chart-data[open] table", has_text="善款来源")
    label, fen, _n = selectors.campaign_overview(funded).by_channel[0]
    assert (
        table.count() == 1
        and f"{fen // 100:,}" in table.inner_text()
        and label in table.inner_text()
    )
    assert errors == []


@pytest.mark.django_db(transaction=True)
def test_an_operator_taps_a_county_dot_and_lands_on_the_countys_page(  # type: ignore[no-untyped-def]
    browser,
    live_server,
    funded: Campaign,  # noqa: F811
    operator,
) -> None:
    page, errors = open_page(browser, f"{live_server.url}/login/", 390)
    page.fill("input[name=username]", "operator")
    page.fill("input[name=password]", "pw-op")
    page.click("button.primary")
    page.goto(f"{live_server.url}/insurance/programmes/dlz/")
    page.wait_for_selector("#chart-county-map[data-drawn] svg")
    page.locator("#chart-county-map").scroll_into_view_if_needed()
    box = page.locator("#chart-county-map").bounding_box()
    assert box is not None
    x, y = page.evaluate(
        """() => {
        const chart = echarts.getInstanceByDom(document.getElementById('chart-county-map'));
        return chart.convertToPixel({seriesIndex: 1}, [110.34, 31.04]);
        }"""
    )
    page.mouse.move(box["x"] + x, box["y"] + y)
    page.wait_for_selector("#chart-county-map >> text=巴东县：6")  # the tooltip
    page.mouse.click(box["x"] + x, box["y"] + y)
    page.wait_for_url(f"{live_server.url}/registry/areas/422823000000/")
    assert "巴东县" in page.inner_text("h1")
    assert errors == []
