"""The donor's check runs in the browser: Playwright drives Debian's chromium."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from tuopin.ledger import services

pytestmark = pytest.mark.e2e
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


@pytest.mark.usefixtures("empty_the_log_afterwards")
@pytest.mark.django_db(transaction=True)
def test_a_receipt_verifies_in_the_browser_and_a_forged_one_does_not(  # type: ignore[no-untyped-def]
    browser, live_server, settings, tmp_path: Path
) -> None:
    settings.LEDGER_KEY_FILE = tmp_path / "ledger.key"
    signer = services.generate_key(path=settings.LEDGER_KEY_FILE, name=settings.LEDGER_ORIGIN)
    for i in range(7):
        services.append_entry(
            kind="donation",
            payload={"amount_fen": 1000 + i},
            commit={"donor": (f"donor:{i}", f"donor-{i}")},
        )
    services.integrate(signer=signer)
    good = services.receipt_for(5, subject="donor:5")
    forged = good.replace(good.split("\n")[3], good.split("\n")[4], 1)
    page = browser.new_page(viewport={"width": 390, "height": 844})
    page.goto(f"{live_server.url}/ledger/verify")
    assert page.input_value("input[name=vkey]") == signer.verifier.vkey()
    page.fill("textarea[name=receipt]", good)
    page.click("button.primary")
    page.wait_for_selector("#verify-result.ok")
    assert "1005" in page.text_content("#verify-result details pre")  # the JSON, folded away
    card = page.inner_text("#verify-result .receipt-card")
    assert "回执有效" in card and "捐赠" in card and "¥10.05" in card and "捐赠人" in card
    assert page.inner_text("#verify-result dl.facts dt >> nth=0") == "类型"
    assert not page.is_visible("#verify-result details pre")
    page.fill("textarea[name=receipt]", forged)
    page.click("button.primary")
    page.wait_for_selector("#verify-result.bad")
    failure = page.inner_text("#verify-result")
    assert "回执无效" in failure and "根哈希不一致" in failure
    assert "mismatch" not in failure
    page.goto(f"{live_server.url}/ledger/")
    assert "10.05" in page.inner_text("main")
