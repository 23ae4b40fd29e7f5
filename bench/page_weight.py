"""What the pages with charts weigh on a phone, and how long until their charts are drawn.

A fresh SQLite database with the small demo, served by `tuopin serve` as in production
(collected, hashed and compressed static files from WhiteNoise); Debian's chromium under
Playwright with Lighthouse's phone profile (4x slower CPU; 150 ms round trip, 1.6 Mbit/s down).
For each page: bytes transferred by kind (document, script, stylesheet) on a first visit (empty
cache) and on the next (the same browser), and the time from navigation until every chart on the
page is drawn (`[data-drawn]`, set by static/tuopin/js/charts.js) or, for pages drawn on the
server, until the page has loaded.

    .venv/bin/python bench/page_weight.py [--src DIR] [--label NAME] [--runs N]

``--src`` measures another checkout's ``src`` (e.g. ``git archive`` of an older commit) with this
checkout's environment. Figures: bench/README.md; decision: docs/adr/0007-charts-and-maps.md.
"""

from __future__ import annotations

import argparse
import os
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))
from common import BIN, fresh_database, write_results  # noqa: E402

PAGES = [
    ("campaign, public", None, "/campaigns/dingliangzhu/"),
    ("operator's home", "operator", "/"),
    ("county officer's home", "county", "/"),
    ("programme, operator", "operator", "/insurance/programmes/dingliangzhu/"),
    ("areas, national", "operator", "/registry/areas/"),
]
PHONE = {"latency": 150, "downloadThroughput": 1.6e6 / 8, "uploadThroughput": 750e3 / 8}
CPU_SLOWDOWN = 4
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking"]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def wait_for(port: int, seconds: float = 60) -> None:
    end = time.monotonic() + seconds
    while time.monotonic() < end:
        with socket.socket() as s:
            if s.connect_ex(("127.0.0.1", port)) == 0:
                return
        time.sleep(0.3)
    raise SystemExit(f"the server did not start on port {port}")


def visit(context: Any, base: str, path: str, *, cold: bool) -> dict[str, Any]:
    """One navigation (``cold``: with the browser's cache emptied first): bytes transferred by
    resource kind, and ms until the charts are drawn."""
    page = context.new_page()
    cdp = context.new_cdp_session(page)
    cdp.send("Network.enable")
    if cold:
        cdp.send("Network.clearBrowserCache")
    cdp.send("Network.emulateNetworkConditions", {"offline": False, **PHONE})
    cdp.send("Emulation.setCPUThrottlingRate", {"rate": CPU_SLOWDOWN})
    kinds: dict[str, str] = {}
    sizes: dict[str, int] = {}
    cdp.on("Network.responseReceived", lambda e: kinds.__setitem__(e["requestId"], e["type"]))
    cdp.on(
        "Network.loadingFinished",
        lambda e: sizes.__setitem__(e["requestId"], int(e["encodedDataLength"])),
    )
    page.goto(base + path, wait_until="load")
    if page.locator("[data-chart]").count():
        page.wait_for_function("performance.getEntriesByName('tuopin:charts-drawn').length")
    # In the page's own clock, from the navigation's start: the HTML in, then the charts drawn
    # (static/tuopin/js/charts.js marks it) or, on a page drawn on the server, the load event.
    times = page.evaluate(
        """() => {
        const nav = performance.getEntriesByType('navigation')[0];
        const drawn = performance.getEntriesByName('tuopin:charts-drawn')[0];
        const start = performance.getEntriesByName('tuopin:charts-start')[0];
        return {html: nav.responseEnd, dom: nav.domInteractive, load: nav.loadEventEnd,
                drawn: drawn ? drawn.startTime : null, start: start ? start.startTime : null};
        }"""
    )
    by_kind: dict[str, int] = {}
    for request_id, size in sizes.items():
        kind = kinds.get(request_id, "Other").lower()
        by_kind[kind] = by_kind.get(kind, 0) + size
    page.close()
    ready = times["drawn"] if times["drawn"] is not None else times["load"]
    return {
        "times": {k: round(v) for k, v in times.items() if v is not None},
        "html_ms": round(times["html"]),
        # the scripts' own cost: from the parsed page to the charts drawn (0 without charts)
        "script_ms": round(times["drawn"] - times["dom"]) if times["drawn"] is not None else 0,
        # of which drawing the charts (the rest: running the cached library)
        "draw_ms": round(times["drawn"] - times["start"]) if times["start"] is not None else 0,
        "ms": round(max(ready, times["load"])),
        "bytes": by_kind,
        "total": sum(by_kind.values()),
    }


def log_in(context: Any, base: str, user: str) -> None:
    page = context.new_page()
    page.goto(base + "/login/")
    page.fill("input[name=username]", user)
    page.fill("input[name=password]", "tuopin-demo")
    page.click("button.primary")
    page.wait_for_load_state()
    page.close()


def measure(base: str, runs: int) -> list[dict[str, Any]]:
    from playwright.sync_api import sync_playwright

    results = []
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path="/usr/bin/chromium", args=CHROMIUM_ARGS)
        for name, user, path in PAGES:
            firsts, nexts = [], []
            for _ in range(runs):
                context = browser.new_context(viewport={"width": 390, "height": 844})
                if user:
                    log_in(context, base, user)
                firsts.append(visit(context, base, path, cold=True))
                nexts.append(visit(context, base, path, cold=False))
                context.close()
            row = {
                "page": name,
                "path": path,
                "first": firsts[0]["bytes"],
                "first_total": firsts[0]["total"],
                "next_total": nexts[0]["total"],
                "html_ms": round(statistics.median(r["html_ms"] for r in firsts)),
                "first_ms": round(statistics.median(r["ms"] for r in firsts)),
                "next_ms": round(statistics.median(r["ms"] for r in nexts)),
                "next_script_ms": round(statistics.median(r["script_ms"] for r in nexts)),
                "next_draw_ms": round(statistics.median(r["draw_ms"] for r in nexts)),
            }
            results.append(row)
            if os.environ.get("PAGE_WEIGHT_DEBUG"):
                print([r["times"] for r in firsts], [r["times"] for r in nexts])
            print(
                f"{name:24} html {row['html_ms']:>5} ms  "
                f"first {row['first_total']:>8,} B {row['first_ms']:>6} ms   "
                f"next {row['next_total']:>7,} B {row['next_ms']:>6} ms "
                f"(scripts {row['next_script_ms']} ms, drawing {row['next_draw_ms']} ms)   "
                f"{row['first']}"
            )
        browser.close()
    return results


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--src", type=Path, help="another checkout's src/ to measure")
    parser.add_argument("--label", default="this checkout")
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="tuopin-page-weight-") as tmp:
        home = Path(tmp)
        env = fresh_database("sqlite", "", home)
        env.update(TUOPIN_MANIFEST_STATIC="true", TUOPIN_STATIC_ROOT=str(home / "static"))
        env.pop("TUOPIN_DEBUG", None)
        if args.src:
            env["PYTHONPATH"] = str(args.src.resolve())
            subprocess.run([str(BIN / "tuopin"), "migrate", "-v", "0"], env=env, check=True)
        subprocess.run(
            [str(BIN / "tuopin"), "demo", "--scale", "small"],
            env=env,
            check=True,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        port = free_port()
        server = subprocess.Popen(
            [str(BIN / "tuopin"), "serve", f"127.0.0.1:{port}", "--no-worker", "--no-signer"],
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            start_new_session=True,
        )
        try:
            wait_for(port)
            for _name, _user, path in PAGES:  # the server's first requests, not measured
                with urllib.request.urlopen(f"http://127.0.0.1:{port}{path}") as r:  # noqa: S310
                    r.read()
            print(f"{args.label}: phone profile, {args.runs} runs, median times")
            results = measure(f"http://127.0.0.1:{port}", args.runs)
        finally:
            os.killpg(server.pid, 15)
            server.wait(timeout=30)
    write_results(f"page_weight-{args.label.replace(' ', '_')}", results)


if __name__ == "__main__":
    main()
