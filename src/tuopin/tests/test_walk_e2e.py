"""Every role's day in a real browser (issue 9): each demo user logs in, lands, opens every
nav item it is shown and does its main task, on a phone (390 px) and a desktop (1280 px).

On every page: no console error, no failed same-origin request, no serious or critical
accessibility violation (axe-core, vendored in ``vendor/``, injected into the page), and every
same-origin link the role is shown answers without a 4xx/5xx. The small demo is built once per
screen width and one browser walks every role over it (`make e2e`).
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urldefrag, urlsplit

import pytest

from tuopin.demo.services import DEMO_PASSWORD

pytestmark = [pytest.mark.e2e, pytest.mark.usefixtures("empty_the_log_afterwards")]
# Playwright's sync API runs an event loop in this thread; the ORM calls are still sync.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

AXE = Path(__file__).parent / "vendor" / "axe.min.js"
# The hand-written SVG chart and map tags (core/templatetags/charts.py) put links inside an
# image; they are being replaced by a vendored chart library (issue 9, item 9), whose output
# is checked like everything else. Drop this once the tags are gone.
AXE_EXCLUDE = ".chart > svg"
ROLES = [
    "cadre",
    "township",
    "county",
    "operator",
    "adjuster",
    "observer",
    "helper",
    "donor",
    None,  # logged out
]
# Links that change state or leave the site's pages: followed by no one on a walk.
SKIP_LINKS = ("/logout/", "/i18n/", "/api/v1/docs")


LINKS_PER_KIND = 3
LINKS_AT_WIDTH = 390  # the same links at every width: followed once, on the phone


@dataclass
class Server:
    """The live server, and the links one role has followed on it."""

    url: str
    checked: dict[str, int] = field(default_factory=dict)  # url → status
    kinds: dict[tuple[str | None, str, str], int] = field(default_factory=dict)


def link_kind(url: str) -> tuple[str, str]:
    """The route a link leads to and the names of its query parameters."""
    from django.urls import Resolver404, resolve

    parts = urlsplit(url)
    try:
        route = resolve(parts.path).view_name
    except Resolver404:
        route = parts.path
    keys = ",".join(sorted({k.split("=")[0] for k in parts.query.split("&") if k}))
    return route, keys


class Walk:
    """One role in one browser context: opens pages and records every problem it meets."""

    def __init__(self, server: Server, context: Any, role: str | None, width: int) -> None:
        self.server, self.role, self.width = server, role, width
        self.page = context.new_page()
        self.problems: list[str] = []
        self.seen: set[str] = set()
        self.page.on("console", self._console)
        self.page.on("pageerror", lambda exc: self.problems.append(f"{self.where}: {exc}"))
        self.page.on("response", self._response)

    @property
    def where(self) -> str:
        return f"{self.role or 'anonymous'}@{self.width} {self.page.url}"

    def _console(self, message: Any) -> None:
        if message.type == "error":
            self.problems.append(f"{self.where}: console: {message.text}")

    def _response(self, response: Any) -> None:
        if response.url.startswith(self.server.url) and response.status >= 400:
            self.problems.append(f"{self.where}: {response.status} {response.url}")

    def login(self) -> None:
        if self.role is None:
            self.page.goto(self.server.url)
            return
        self.page.goto(f"{self.server.url}/login/")
        self.page.fill("input[name=username]", self.role)
        self.page.fill("input[name=password]", DEMO_PASSWORD)
        self.page.click("main button.primary")
        self.page.wait_for_load_state()
        assert "/login/" not in self.page.url, self.page.inner_text("main")

    def open(self, path_or_url: str) -> None:
        url = path_or_url if "://" in path_or_url else self.server.url + path_or_url
        response = self.page.goto(url)
        if response is None or response.status >= 400:
            self.problems.append(
                f"{self.where}: opening {url} answered {response and response.status}"
            )
        self.check()

    def check(self) -> None:
        """The page now shown: accessibility, fit, and every link on it (once per address)."""
        self.page.wait_for_load_state()
        if self.page.url in self.seen:
            return
        self.seen.add(self.page.url)
        self.axe()
        width = self.page.evaluate("document.documentElement.scrollWidth")
        if width > self.width:
            self.problems.append(f"{self.where}: {width} px wide on a {self.width} px screen")
        if self.width == LINKS_AT_WIDTH:
            self.links()

    def axe(self) -> None:
        if not self.page.evaluate("typeof window.axe !== 'undefined'"):
            self.page.add_script_tag(path=str(AXE))
        result = self.page.evaluate(
            "skip => axe.run({exclude: [skip]}, {resultTypes: ['violations']})", AXE_EXCLUDE
        )
        for v in result["violations"]:
            if v["impact"] in ("serious", "critical"):
                targets = [" ".join(map(str, n["target"])) for n in v["nodes"][:5]]
                self.problems.append(f"{self.where}: axe {v['id']} ({v['impact']}) {targets}")

    def links(self) -> None:
        """GET the page's same-origin links: every kind of link (its route and query keys),
        a few of each, so that a list of fifty households costs three requests, not fifty."""
        hrefs = self.page.eval_on_selector_all(
            "a[href]",  # SVG links too, whose .href is no string
            "els => els.map(e => new URL(e.getAttribute('href'), document.baseURI).href)",
        )
        for href in hrefs:
            url = urldefrag(href).url
            if not url.startswith(self.server.url) or any(s in url for s in SKIP_LINKS):
                continue
            if url not in self.server.checked:
                kind = (self.role, *link_kind(url))
                self.server.kinds[kind] = self.server.kinds.get(kind, 0) + 1
                if self.server.kinds[kind] > LINKS_PER_KIND:
                    continue
                self.server.checked[url] = self.page.request.get(url, max_redirects=5).status
            if self.server.checked[url] >= 400:
                self.problems.append(
                    f"{self.where}: link {url} answered {self.server.checked[url]}"
                )

    def nav(self) -> list[str]:
        return self.page.eval_on_selector_all(
            "header nav a[href]", "els => els.map(e => e.getAttribute('href'))"
        )


def main_task(walk: Walk) -> None:
    """What the role came for, where it is cheap to do."""
    page, role = walk.page, walk.role
    if role == "cadre":  # lands on the village; finds a villager by name
        walk.open("/")
        assert "/insurance/villages/" in page.url, page.url
        name = page.locator("table.cover td.lead").first.inner_text().strip()
        page.fill("main input[name=q]", name[:1])
        page.click("main form.filters button")
        walk.check()
        assert name in page.inner_text("main")
        page.click(f"main table.cover a:has-text('{name}') >> nth=0")  # the villager's cover
        walk.check()
        assert "/insurance/people/" in page.url, page.url
    elif role == "county":  # filters the households by a village and a status
        walk.open("/registry/households/")
        options = page.locator("select[name=area] option").evaluate_all(
            "os => os.map(o => o.value).filter(Boolean)"
        )
        assert options, "no area to filter by"
        page.select_option("select[name=area]", options[-1])
        page.select_option("select[name=status]", "poor")
        page.click("main form.filters button")
        walk.check()
        assert f"area={options[-1]}" in page.url and "status=poor" in page.url
        badges = page.locator("main tbody .badge").evaluate_all("bs => bs.map(b => b.className)")
        assert badges and set(badges) == {"badge poor"}, badges
        page.click("main tbody td.lead a >> nth=0")  # a household, with its status forms
        walk.check()
        assert page.locator("#member-status, #change-status").count() == 2
    elif role == "operator":  # a programme and its enrollment preview
        walk.open("/insurance/programmes/")
        page.click("main table td.lead a >> nth=0")
        walk.check()
        slug = page.url.rstrip("/").rsplit("/", 1)[-1]
        page.click("button[value=preview]")
        walk.check()
        assert page.locator(".notice[role=status]").count() == 1
        walk.open(f"/insurance/programmes/{slug}/edit/")
        walk.open("/insurance/programmes/new/")
        walk.open("/charity/campaigns/dingliangzhu/statements/")
    elif role in ("donor", None):  # a campaign; the public also the ledger
        walk.open("/campaigns/" if role else "/")
        page.click("main a[href*='/campaigns/'] >> nth=0")
        walk.check()
        if role is None:
            walk.open("/ledger/")
            walk.open("/ledger/verify")


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("width", [390, 1280])
def test_every_page_a_role_is_shown_works_and_is_accessible(  # type: ignore[no-untyped-def]
    browser, live_server, settings, tmp_path: Path, width: int
) -> None:
    from tuopin.demo.services import build_demo

    settings.LEDGER_KEY_FILE = tmp_path / "ledger.key"
    build_demo(scale="small", seed=2018)
    problems: list[str] = []
    for role in ROLES:
        server = Server(live_server.url)
        context = browser.new_context(viewport={"width": width, "height": 900}, locale="zh-CN")
        walk = Walk(server, context, role, width)
        try:
            walk.login()
            walk.check()  # where the role lands
            for href in walk.nav():
                walk.open(href)
            main_task(walk)
            if len(walk.seen) < 3:
                walk.problems.append(f"{walk.where}: only {sorted(walk.seen)} checked")
        except Exception as exc:  # one role's failure must not hide the others'
            walk.problems.append(f"{walk.where}: {type(exc).__name__}: {exc}")
        finally:
            context.close()
        problems += walk.problems
    assert problems == [], "\n".join(problems)
