"""The operator starts an enrollment run in a real browser, on a phone and a desktop: the
preview keeps the CSRF token out of the URL, a short campaign is refused with the numbers, and
the run starts only after the money is confirmed (`make e2e`)."""

from __future__ import annotations

import os
import re
from pathlib import Path

import pytest

from tuopin.insurance.models import EnrollmentRun

from .test_run_page import PERIOD, funded

pytestmark = [
    pytest.mark.e2e,
    pytest.mark.usefixtures("households", "empty_the_log_afterwards"),
]
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("width", [390, 1280])
def test_an_operator_previews_is_refused_then_overrides_and_confirms(  # type: ignore[no-untyped-def]
    browser, live_server, operator, width: int, tmp_path: Path
) -> None:
    funded(operator, raised_fen=30_000)
    page = browser.new_context(viewport={"width": width, "height": 900}).new_page()
    errors: list[str] = []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.goto(f"{live_server.url}/login/")
    page.fill("input[name=username]", "operator")
    page.fill("input[name=password]", "pw-op")
    page.click("button.primary")
    page.goto(f"{live_server.url}/insurance/programmes/dlz/")
    page.fill("input[name=period_start]", PERIOD.isoformat())
    page.click("button[value=preview]")
    assert "csrf" not in page.url and "period_start" not in page.url
    assert "6 人" in page.inner_text(".notice")
    page.screenshot(path=str(tmp_path / f"preview-{width}.png"), full_page=True)
    page.click("button[value=start]")
    refusal = page.inner_text(".notice.bad")
    assert "善款不足" in refusal and "¥600.00" in refusal and "¥300.00" in refusal
    page.screenshot(path=str(tmp_path / f"refused-{width}.png"), full_page=True)
    page.fill("input[name=override_reason]", "保险公司先行垫付")
    page.click("button[value=start]")
    assert "保险公司先行垫付" in page.inner_text(".notice.confirm")
    assert page.evaluate("document.documentElement.scrollWidth") <= width
    page.screenshot(path=str(tmp_path / f"confirm-{width}.png"), full_page=True)
    assert not EnrollmentRun.objects.exists()
    page.click("text=确认开始")
    page.wait_for_url(re.compile(r"/insurance/runs/\d+/"))
    assert EnrollmentRun.objects.get().override_reason == "保险公司先行垫付"
    assert errors == []
