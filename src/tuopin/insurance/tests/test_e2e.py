"""The village cadre's phone: the whole village's cover on one page, search by name, a
villager's page. Playwright drives Debian's chromium (`make e2e`)."""

from __future__ import annotations

import datetime as dt
import os

import pytest
from django.utils import timezone

from tuopin.conftest import VILLAGE_A
from tuopin.insurance import services
from tuopin.insurance.models import CoverageItem, Programme

pytestmark = [
    pytest.mark.e2e,
    pytest.mark.usefixtures("households", "empty_the_log_afterwards"),
]
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


@pytest.mark.django_db(transaction=True)
def test_a_cadre_checks_the_village_cover_on_a_phone(browser, live_server, cadre_a) -> None:  # type: ignore[no-untyped-def]
    period = dt.date(timezone.localdate().year, 1, 1)
    p = Programme.objects.create(
        slug="dlz",
        name="顶梁柱",
        sponsor="中国扶贫基金会",
        insurer="某保险",
        premium_fen=5_000,
        min_age=18,
        max_age=60,
        starts_on=period,
        ends_on=period.replace(month=12, day=31),
    )
    CoverageItem.objects.create(
        programme=p, benefit="accident", per_claim_limit_fen=1_000_000, yearly_limit_fen=1_000_000
    )
    services.enroll(programme_slug="dlz", period_start=period)
    page = browser.new_context(viewport={"width": 390, "height": 844}).new_page()
    page.goto(f"{live_server.url}/login/")
    page.fill("input[name=username]", "cadre_a")
    page.fill("input[name=password]", "pw-cadre-a")
    page.click("button.primary")
    page.click("header >> text=村保障")  # one village: straight to it
    assert page.url.endswith(f"/insurance/villages/{VILLAGE_A}/")
    body = page.inner_text("main")
    assert "唐俊" in body and "李华" not in body and "10,000.00/10,000.00" in body
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    page.fill("input[name=q]", "朱")
    page.click("main form button")
    names = page.locator("table.cover td.lead").all_inner_texts()
    assert names == ["朱婷婷", "朱明"]
    page.click("text=朱明")
    text = page.inner_text("main")
    assert "DLZ-" in text and "意外伤害" in text and "暂无赔付" in text
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
