"""End to end on a phone-sized screen: a cadre files a newborn with a photo from the
household page; the township officer finds it in the inbox and approves it."""

from __future__ import annotations

import datetime as dt
import os

import pytest

from tuopin.conftest import make_id

from .test_e2e import login

pytestmark = [pytest.mark.e2e, pytest.mark.usefixtures("households", "empty_the_log_afterwards")]
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


@pytest.fixture
def page(browser, live_server):  # type: ignore[no-untyped-def]
    context = browser.new_context(viewport={"width": 390, "height": 844}, locale="zh-CN")
    return context.new_page()


@pytest.mark.django_db(transaction=True)
def test_a_cadre_files_on_the_phone_and_the_township_approves(
    page, live_server, cadre_a, township_officer, tmp_path
) -> None:  # type: ignore[no-untyped-def]
    from tuopin.registry.models import ChangeRequest

    login(page, live_server, "cadre_a", "pw-cadre-a")
    page.goto(f"{live_server.url}/registry/households/A001/")
    page.click("text=提交变更申请")
    page.fill("input[name=name]", "朱小宝")
    page.fill("input[name=id_number]", make_id("422823", dt.date(2020, 2, 2), 13))
    page.select_option("select[name=relation]", "grandson")
    page.fill("textarea[name=reason]", "新生儿落户")
    photo = tmp_path / "birth.jpg"
    photo.write_bytes(b"\xff\xd8 a birth certificate")
    page.set_input_files("input[name=evidence]", str(photo))
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    page.screenshot(path=str(tmp_path / "file.png"), full_page=True)
    page.click("form.stack button.primary")
    assert "变更申请已提交" in page.inner_text("main")
    req = ChangeRequest.objects.get()
    page.context.clear_cookies()
    login(page, live_server, "township", "pw-town")
    page.goto(f"{live_server.url}/registry/requests/")
    page.click(f"a[href$='/requests/{req.pk}/']")
    page.click("button[value=approve]")
    req.refresh_from_db()
    assert req.step_index == 1
