"""The national dashboard over the demo (issue 17): server time live (no summary), the
summary's refresh, then cold and warm from the summary; the work report's PDF; beside a raw
scan of the registry (one ``COUNT(*)`` and one ``GROUP BY`` province) in the same run.

    .venv/bin/python bench/dashboard.py [--scale large] [--engines sqlite,postgres]
        [--pg postgres://postgres@127.0.0.1:5432/tuopin_bench_dashboard]

``--scale large`` is the demo of about a million people with every programme (it takes a
while to build: the registry import, enrollment, the claims' OCR).
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))
from common import BIN, fresh_database, write_results  # noqa: E402


def _timed(fn: Any, repeat: int = 1) -> tuple[float, Any]:
    times, result = [], None
    for _ in range(repeat):
        t = time.perf_counter()
        result = fn()
        times.append(time.perf_counter() - t)
    return statistics.median(times), result


def measure(engine: str, scale: str, pg: str) -> dict[str, Any]:
    home = Path(tempfile.mkdtemp(prefix="bench-dashboard-"))
    env = fresh_database(engine, pg, home)
    t = time.perf_counter()
    subprocess.run(
        [str(BIN / "tuopin"), "demo", "--scale", scale],
        env=env,
        check=True,
        stdout=subprocess.DEVNULL,
    )
    demo_s = time.perf_counter() - t
    os.environ.update(env)
    if engine == "sqlite":
        os.environ.pop("DATABASE_URL", None)
    import django

    django.setup()
    from django.db import connection

    from tuopin.accounts.selectors import shell_user
    from tuopin.registry.models import Person
    from tuopin.reports import dashboard, publishing, summaries, workreport
    from tuopin.reports.models import Summary, SummaryMonth

    user = shell_user()
    people = Person.objects.count()

    def raw() -> Any:
        with connection.cursor() as cur:
            cur.execute("SELECT COUNT(*) FROM registry_person")
            cur.execute(
                "SELECT substr(village_code, 1, 2), COUNT(*) FROM registry_person GROUP BY 1"
            )
            return cur.fetchall()

    raw_s, _rows = _timed(raw, 3)
    Summary.objects.all().delete()
    SummaryMonth.objects.all().delete()
    live_s, board = _timed(lambda: dashboard.dashboard(user, area_code=None, period_text=None))
    refresh_s, rows = _timed(lambda: summaries.refresh())
    cold_s, summed = _timed(lambda: dashboard.dashboard(user, area_code=None, period_text=None))
    warm_s, _again = _timed(lambda: dashboard.dashboard(user, area_code=None, period_text=None), 5)
    assert [c.value for c in summed.cards] == [c.value for c in board.cards]
    build_s, report = _timed(lambda: workreport.build(user, period_text="2018H1"))
    html = publishing.render_html(report)
    pdf_s, pdf = _timed(lambda: publishing.render_pdf(html))
    return {
        "engine": engine,
        "scale": scale,
        "people": people,
        "demo_s": round(demo_s, 1),
        "raw_scan_ms": round(raw_s * 1000, 1),
        "live_ms": round(live_s * 1000, 1),
        "refresh_s": round(refresh_s, 2),
        "summary_rows": rows,
        "cold_ms": round(cold_s * 1000, 1),
        "warm_ms": round(warm_s * 1000, 1),
        "report_build_ms": round(build_s * 1000, 1),
        "pdf_s": round(pdf_s, 2),
        "pdf_kb": len(pdf) // 1024,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--scale", default="large", choices=["small", "medium", "large"])
    parser.add_argument("--engines", default="sqlite,postgres")
    parser.add_argument("--pg", default="postgres://postgres@127.0.0.1:5432/tuopin_bench_dashboard")
    parser.add_argument("--only", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.only:  # one engine per process: Django is set up once
        print(json.dumps(measure(args.only, args.scale, args.pg)))
        return
    results = []
    for engine in args.engines.split(","):
        out = subprocess.run(  # its errors go to our standard error
            [sys.executable, __file__, "--only", engine, "--scale", args.scale, "--pg", args.pg],
            check=True,
            stdout=subprocess.PIPE,
            text=True,
        )
        found = json.loads(out.stdout.strip().splitlines()[-1])
        results.append(found)
        print(
            f"{engine:9} {found['people']:>9,} people  raw scan {found['raw_scan_ms']:>8} ms  "
            f"live {found['live_ms']:>8} ms  refresh {found['refresh_s']:>6} s  "
            f"cold {found['cold_ms']:>7} ms  warm {found['warm_ms']:>7} ms  "
            f"report {found['report_build_ms']:>7} ms  PDF {found['pdf_s']:>5} s"
        )
    write_results("dashboard", results)


if __name__ == "__main__":
    main()
