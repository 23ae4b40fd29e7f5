"""Benchmark: the cadre's village view for a village of N people (default 2,000).

For each engine (SQLite, PostgreSQL) in one run, in a fresh migrated database:
  1. one county (flagged national poor) with a small village (200 people) and a big one (N),
     households generated like the demo's and loaded through the real importer;
  2. two programmes (顶梁柱-like, 好保险-like) with their coverage, enrolled for this year,
     and payouts on one policy in ten, so that the remaining-limit arithmetic has work to do;
  3. as a logged-in village cadre, in-process (Django's test client, no network): the page
     `/insurance/villages/<code>/` and the API `/api/v1/insurance/villages/<code>/cover`,
     R requests each after warm-up; p50/p95 server time and the number of SQL queries, for
     both village sizes (the query count must not grow with the village);
  4. the raw baseline measured in the same run: one hand-written SQL query returning the
     same people with their policies (no payouts, no rendering), fetched whole.
Writes bench/out/village_view.json.

    python bench/village_view.py [--people N] [--requests R] [--engines sqlite,postgres] [--pg URL]
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))
from common import BIN, fresh_database, write_results  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "bench" / "out"
COUNTY = "522634"  # 贵州 雷山县
SMALL, BIG = "522634101201", "522634101202"


def p(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


def setup(people: int) -> None:
    """Inside the project's settings: areas, registry, programmes, enrollment, payouts."""
    import random
    import tempfile

    import django

    django.setup()
    from django.utils import timezone

    from tuopin.accounts import roles
    from tuopin.accounts import services as accounts
    from tuopin.areas import services as areas
    from tuopin.insurance import services as insurance
    from tuopin.insurance.models import CoverageItem, Policy, Programme
    from tuopin.registry import services as registry
    from tuopin.registry.synthetic import HEADER, RowGenerator, VillageSpec

    areas.create_areas(
        rows=[
            ("520000000000", "贵州省", None, None),
            ("522600000000", "黔东南苗族侗族自治州", None, None),
            (COUNTY + "000000", "雷山县", None, None),
            (COUNTY + "101000", "丹江镇", None, None),
            (SMALL, "小寨村", None, None),
            (BIG, "大寨村", None, None),
        ]
    )
    areas.set_poverty_flags(code=COUNTY + "000000", national_poor=True, deep_poverty=True)
    gen = RowGenerator(seed=2018, today=dt.date(timezone.localdate().year - 1, 12, 31))
    rows: list[list[str]] = []
    for code, target in ((SMALL, 200), (BIG, people)):
        spec = VillageSpec(code=code, county_code=COUNTY)
        n, serial = 0, 0
        while n < target:
            serial += 1
            household = gen.household(spec, serial)
            rows += household
            n += len(household)
    with tempfile.TemporaryDirectory() as tmp:
        import csv

        path = Path(tmp) / "village.csv"
        with path.open("w", encoding="utf-8", newline="") as fh:
            w = csv.writer(fh)
            w.writerow(HEADER)
            w.writerows(rows)
        report = registry.import_registry(path=path)
        assert not report.errors, [e for e in report.errors if e.code != "household_rejected"][:3]
    year = timezone.localdate().year
    period = dt.date(year, 1, 1)
    for slug, name, lo, hi, sex, benefits in (
        ("dlz", "顶梁柱", 18, 60, "", ["hospitalisation", "critical_illness", "accident"]),
        ("hbx", "好保险", 0, 100, "F", ["education", "childbirth", "health"]),
    ):
        programme = Programme.objects.create(
            slug=slug,
            name=name,
            sponsor="基金会",
            insurer="保险公司",
            premium_fen=5_000,
            min_age=lo,
            max_age=hi,
            sex=sex,
            starts_on=period,
            ends_on=dt.date(year, 12, 31),
        )
        for benefit in benefits:
            CoverageItem.objects.create(
                programme=programme,
                benefit=benefit,
                per_claim_limit_fen=2_000_000,
                yearly_limit_fen=5_000_000,
            )
        insurance.enroll(programme_slug=slug, period_start=period)
    rng = random.Random(7)
    policies = list(Policy.objects.select_related("programme").order_by("id")[::10])
    for policy in policies:
        benefit = policy.programme.coverage.order_by("id").first()
        assert benefit is not None
        insurance.record_payout(
            policy=policy, benefit=benefit.benefit, loss_fen=rng.randrange(10_000, 900_000)
        )
    accounts.create_user(
        username="cadre",
        role=roles.VILLAGE_CADRE,
        area_codes=[SMALL, BIG],
        password="x",  # noqa: S106 - bench only
    )


def measure(requests: int) -> dict[str, object]:
    """Inside the project's settings, on the prepared database."""
    import django

    django.setup()
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext, setup_test_environment

    from tuopin.accounts.models import User
    from tuopin.registry.models import Person

    setup_test_environment()
    client = Client()
    client.force_login(User.objects.get(username="cadre"))
    out: dict[str, object] = {}
    for label, code in (("small", SMALL), ("big", BIG)):
        people = Person.objects.filter(village_code=code).count()
        surname = (
            Person.objects.filter(village_code=code)
            .order_by("id")
            .values_list("name", flat=True)[0][:1]
        )
        for kind, url, gzip in (
            ("page", f"/insurance/villages/{code}/", False),  # the first screen: 50 rows
            ("rows", f"/insurance/villages/{code}/rows?page=2", True),  # each next 50
            ("search", f"/insurance/villages/{code}/?q={surname}", False),
            ("api", f"/api/v1/insurance/villages/{code}/cover", False),
        ):
            headers = {"HTTP_ACCEPT_ENCODING": "gzip"} if gzip else {}
            for _ in range(3):
                assert client.get(url, **headers).status_code == 200
            times, cpu = [], []
            for _ in range(requests):
                c = time.process_time()
                t = time.perf_counter()
                response = client.get(url, **headers)
                times.append(time.perf_counter() - t)
                cpu.append(time.process_time() - c)
                assert response.status_code == 200
            with CaptureQueriesContext(connection) as ctx:
                client.get(url, **headers)
            out[f"{label}_{kind}"] = {
                "people": people,
                "p50_ms": round(p(times, 0.5) * 1000, 1),
                "p95_ms": round(p(times, 0.95) * 1000, 1),
                # this process's CPU (a loaded machine inflates it far less than wall time)
                "cpu_p50_ms": round(p(cpu, 0.5) * 1000, 1),
                "cpu_p95_ms": round(p(cpu, 0.95) * 1000, 1),
                "queries": len(ctx.captured_queries),
                "bytes": len(response.content),
                "encoding": response.get("Content-Encoding", ""),
            }
        # Every villager, as the script loads them: the page, then each next page of rows.
        total = len(client.get(f"/insurance/villages/{code}/").content)
        more = f"/insurance/villages/{code}/rows?page=2"
        pages = 1
        while more:
            response = client.get(more, HTTP_ACCEPT_ENCODING="gzip")
            total += len(response.content)
            pages += 1
            more = (
                f"/insurance/villages/{code}/rows" + response["X-More"]
                if response["X-More"]
                else ""
            )
        out[f"{label}_all"] = {"people": people, "pages": pages, "bytes": total}
        raw_sql = (
            "SELECT p.id, p.name, p.sex, p.birth_date, p.relation, h.household_no,"
            " h.head_name, x.programme_id, x.period_start, x.status"
            " FROM registry_person p JOIN registry_household h ON h.id = p.household_id"
            " LEFT JOIN insurance_policy x ON x.person_id = p.id"
            " WHERE p.village_code = %s ORDER BY h.household_no, p.id"
        )
        times, cpu = [], []
        for i in range(requests + 3):
            c = time.process_time()
            t = time.perf_counter()
            with connection.cursor() as cur:
                cur.execute(raw_sql, [code])
                cur.fetchall()
            if i >= 3:
                times.append(time.perf_counter() - t)
                cpu.append(time.process_time() - c)
        out[f"{label}_raw"] = {
            "people": people,
            "p50_ms": round(p(times, 0.5) * 1000, 1),
            "p95_ms": round(p(times, 0.95) * 1000, 1),
            "cpu_p50_ms": round(p(cpu, 0.5) * 1000, 1),
            "cpu_p95_ms": round(p(cpu, 0.95) * 1000, 1),
            "queries": 1,
        }
    return out


def phone(env: dict[str, str], runs: int) -> dict[str, object]:
    """The big village's page in Debian's chromium with the phone profile of page_weight.py
    (150 ms round trip, 1.6 Mbit/s down, 4x slower CPU, 390 px), served by `tuopin serve`
    as in production: bytes transferred for the first screen on a first visit (empty cache)
    and the next, by kind; ms until the HTML is in, the page interactive (DOM parsed, the
    deferred script run) and loaded. Median of ``runs``."""
    import os
    import statistics

    from page_weight import CHROMIUM_ARGS, free_port, visit, wait_for
    from playwright.sync_api import sync_playwright

    env = dict(env, TUOPIN_MANIFEST_STATIC="true", TUOPIN_STATIC_ROOT=str(OUT / "village-static"))
    env.pop("TUOPIN_DEBUG", None)
    port = free_port()
    server = subprocess.Popen(
        [str(BIN / "tuopin"), "serve", f"127.0.0.1:{port}", "--no-worker", "--no-signer"],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )
    base = f"http://127.0.0.1:{port}"
    path = f"/insurance/villages/{BIG}/"
    firsts, nexts = [], []
    try:
        wait_for(port)
        with sync_playwright() as pw:
            browser = pw.chromium.launch(executable_path="/usr/bin/chromium", args=CHROMIUM_ARGS)
            for _ in range(runs + 1):  # the first round warms the server, not counted
                context = browser.new_context(viewport={"width": 390, "height": 844})
                page = context.new_page()
                page.goto(base + "/login/")
                page.fill("input[name=username]", "cadre")
                page.fill("input[name=password]", "x")
                page.click("form.stack button")
                page.wait_for_load_state()
                page.close()
                firsts.append(visit(context, base, path, cold=True))
                nexts.append(visit(context, base, path, cold=False))
                context.close()
            browser.close()
    finally:
        os.killpg(server.pid, 15)
        server.wait(timeout=30)
    firsts, nexts = firsts[1:], nexts[1:]

    def median(rows: list[dict[str, Any]], key: str) -> int:
        return round(statistics.median(r["times"].get(key, 0) for r in rows))

    return {
        "first_bytes": firsts[0]["bytes"],
        "first_total": round(statistics.median(r["total"] for r in firsts)),
        "next_total": round(statistics.median(r["total"] for r in nexts)),
        "first_html_ms": median(firsts, "html"),
        "first_interactive_ms": median(firsts, "dom"),
        "first_load_ms": median(firsts, "load"),
        "next_interactive_ms": median(nexts, "dom"),
        "next_load_ms": median(nexts, "load"),
    }


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawTextHelpFormatter
    )
    parser.add_argument("--people", type=int, default=2_000)
    parser.add_argument("--requests", type=int, default=40)
    parser.add_argument("--engines", default="sqlite,postgres")
    parser.add_argument("--pg", default="postgres://postgres@127.0.0.1:5432/tuopin_bench_village")
    parser.add_argument("--runs", type=int, default=5, help="browser runs (0: none)")
    parser.add_argument("--phase", choices=["setup", "measure"], help=argparse.SUPPRESS)
    args = parser.parse_args()
    sys.path.insert(0, str(ROOT / "src"))
    if args.phase == "setup":
        setup(args.people)
        return
    if args.phase == "measure":
        print(json.dumps(measure(args.requests)))
        return

    OUT.mkdir(parents=True, exist_ok=True)
    home = OUT / "village-home"
    results: list[dict[str, Any]] = []
    phone_engine = args.engines.split(",")[0] if args.runs else ""
    for engine in args.engines.split(","):
        env = fresh_database(engine, args.pg, home)
        env["TUOPIN_LEDGER_KEY_FILE"] = str(home / "var" / "ledger.key")
        env["TUOPIN_MANIFEST_STATIC"] = "false"  # in-process: static names as in development
        run = [sys.executable, __file__, "--people", str(args.people), "--pg", args.pg]
        subprocess.run([*run, "--phase", "setup"], env=env, check=True)
        figures = json.loads(
            subprocess.run(
                [*run, "--phase", "measure", "--requests", str(args.requests)],
                env=env,
                check=True,
                capture_output=True,
                text=True,
            ).stdout
        )
        results.append({"engine": engine, **figures})
        for key, f in figures.items():
            if "p50_ms" not in f:
                print(
                    f"{engine:9} {key:11} {f['people']:>6,} people  every row in "
                    f"{f['pages']} requests: {f['bytes']:,} B",
                    flush=True,
                )
                continue
            print(
                f"{engine:9} {key:11} {f['people']:>6,} people  p50 {f['p50_ms']:>7} ms  "
                f"p95 {f['p95_ms']:>7} ms  (CPU p50 {f['cpu_p50_ms']} p95 {f['cpu_p95_ms']} ms)  "
                f"queries {f['queries']}  "
                f"{f.get('bytes', 0):>9,} B {f.get('encoding', '')}",
                flush=True,
            )
        if engine == phone_engine:
            results[-1]["phone"] = f = phone(env, args.runs)
            print(
                f"{engine:9} phone: first visit {f['first_total']:,} B {f['first_bytes']}, "
                f"HTML in {f['first_html_ms']} ms, interactive {f['first_interactive_ms']} ms, "
                f"loaded {f['first_load_ms']} ms; next visit {f['next_total']:,} B, "
                f"interactive {f['next_interactive_ms']} ms",
                flush=True,
            )
    write_results("village_view", results)


if __name__ == "__main__":
    main()
