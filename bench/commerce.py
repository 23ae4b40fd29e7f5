"""Commerce (issue 12): concurrent orders for the last units over real HTTP, outlet sales
statement import, county sales statistics.

    .venv/bin/python bench/commerce.py [--buyers 100] [--lines 100000]
        [--engines postgres,sqlite] [--pg postgres://postgres@127.0.0.1:5432/tuopin_bench_commerce]

1. ``tuopin serve`` on the loopback; B buyers (threads, one connection each) POST an order for
   one unit of a product with 10 units at the same moment: exactly 10 must be placed (201), the
   rest refused (409 out_of_stock). Orders per second and p95 latency of the answers.
2. A statement of N lines (CSV, 20 counties × 5 products × 5 outlets, daily) through
   ``salesimport.import_sales`` (parse, look up, validate, bulk insert, one transaction),
   beside a raw ``executemany`` INSERT of the same rows (no parsing, no checks): lines per second.
3. The statistics page's figures over those lines (``statistics.sales_statistics``): server time.

One engine per process (Django is set up once); the parent runs one child per engine.
"""

from __future__ import annotations

import argparse
import datetime as dt
import http.client
import json
import os
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
from decimal import Decimal
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))
from common import BIN, fresh_database, write_results  # noqa: E402

COUNTIES = [f"{5325 + i // 10:04d}{21 + i % 10:02d}000000" for i in range(20)]


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))] if ordered else 0.0


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _setup(buyers: int) -> dict[str, Any]:
    from tuopin.accounts import roles
    from tuopin.accounts import services as accounts
    from tuopin.areas import services as areas
    from tuopin.commerce import services
    from tuopin.commerce.models import STOREFRONT_OUTLET

    rows: list[tuple[str, str, Decimal | None, Decimal | None]] = [
        ("530000000000", "云南省", None, None),
        ("532500000000", "红河州", None, None),
        ("532600000000", "文山州", None, None),
    ]
    rows += [(c, f"县{c[:6]}", Decimal("103.0"), Decimal("23.0")) for c in COUNTIES]
    areas.create_areas(rows=rows)
    for c in COUNTIES[::2]:
        areas.set_poverty_flags(code=c, national_poor=True)
    operator = accounts.create_user(username="bench_op", role=roles.OPERATOR)
    officer = accounts.create_user(
        username="bench_county", role=roles.COUNTY_OFFICER, area_codes=COUNTIES
    )
    outlets = [
        services.create_outlet(code=STOREFRONT_OUTLET, name="兴农扶贫", kind="online", by=operator)
    ]
    outlets += [
        services.create_outlet(code=f"O{i}", name=f"渠道{i}", kind="offline", by=operator)
        for i in range(1, 5)
    ]
    skus = []
    hot = None
    for ci, county in enumerate(COUNTIES):
        s = services.create_supplier(
            kind="cooperative", name=f"合作社{ci}", county_code=county, by=operator
        )
        services.verify_supplier(supplier=s, by=officer)
        for k in range(5):
            p = services.create_product(
                supplier=s, sku=f"B{ci:02d}{k}", name=f"商品{ci}-{k}", category="fruit", by=operator
            )
            skus.append((p.sku, county))
            if hot is None:
                services.set_stock(product=p, warehouse_name="主仓", on_hand=10, by=operator)
                hot = services.publish_listing(
                    product=p, outlet=outlets[0], price_fen=1000, by=operator
                )
    return {
        "operator": operator,
        # One buyer (and token) per racing client, as in life: one shared token would make
        # every request wait on the token row's last-used update instead of on the stock.
        "tokens": [
            accounts.issue_token(
                username=accounts.create_user(username=f"buyer{i}", role=roles.CONSUMER).username
            )
            for i in range(buyers)
        ],
        "listing": hot.pk if hot else 0,
        "skus": skus,
        "outlets": [o.code for o in outlets],
    }


def _warm_up(port: int, token: str) -> None:
    """Every worker has loaded Django and answered an authenticated request before the race."""

    def get() -> None:
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=120)
        for _ in range(3):
            conn.request(
                "GET", "/api/v1/commerce/products", headers={"Authorization": f"Bearer {token}"}
            )
            conn.getresponse().read()
        conn.close()

    threads = [threading.Thread(target=get) for _ in range(10)]
    for th in threads:
        th.start()
    for th in threads:
        th.join()


def _race(env: dict[str, str], facts: dict[str, Any], buyers: int) -> dict[str, Any]:
    port = free_port()
    server = subprocess.Popen(
        [str(BIN / "tuopin"), "serve", f"127.0.0.1:{port}", "--no-signer"],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=(Path(env["TUOPIN_HOME"]) / "serve.log").open("wb"),
    )
    try:
        deadline = time.monotonic() + 180
        while True:  # until the app answers (the port may be bound before workers accept)
            if server.poll() is not None:
                raise RuntimeError(f"tuopin serve exited: see {env['TUOPIN_HOME']}/serve.log")
            try:
                conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
                conn.request("GET", "/api/v1/commerce/products")
                if conn.getresponse().status == 200:
                    conn.close()
                    break
            except (OSError, http.client.HTTPException):
                pass
            if time.monotonic() > deadline:
                raise RuntimeError("tuopin serve did not answer within 3 minutes")
            time.sleep(0.5)
        _warm_up(port, facts["tokens"][0])
        barrier = threading.Barrier(buyers)
        codes: list[int] = []
        latencies: list[float] = []
        lock = threading.Lock()
        body = json.dumps({"lines": [{"listing": facts["listing"], "quantity": 1}]})

        def one(token: str) -> None:
            headers = {"Content-Type": "application/json", "Authorization": f"Bearer {token}"}
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=120)
            conn.connect()
            barrier.wait()
            t = time.perf_counter()
            try:
                conn.request("POST", "/api/v1/commerce/orders", body, headers)
                status = conn.getresponse().status
            except (OSError, http.client.HTTPException):
                status = 0
            with lock:
                codes.append(status)
                latencies.append(time.perf_counter() - t)
            conn.close()

        threads = [threading.Thread(target=one, args=(t,)) for t in facts["tokens"][:buyers]]
        t0 = time.perf_counter()
        for th in threads:
            th.start()
        for th in threads:
            th.join()
        wall = time.perf_counter() - t0
    finally:
        server.send_signal(signal.SIGTERM)
        server.wait(timeout=60)
    return {
        "buyers": buyers,
        "placed": codes.count(201),
        "refused": codes.count(409),
        "other": len(codes) - codes.count(201) - codes.count(409),
        "answers_per_s": round(buyers / wall, 1),
        "p95_ms": round(percentile(latencies, 0.95) * 1000, 1),
    }


def _statement(path: Path, n: int, facts: dict[str, Any]) -> list[tuple[Any, ...]]:
    """Write N lines; return the same rows for the raw baseline."""
    skus, outlets = facts["skus"], facts["outlets"]
    start = dt.date(2017, 1, 1)
    rows = []
    with path.open("w", encoding="utf-8") as fh:
        fh.write("日期,渠道,商品编码,县代码,数量,金额\n")
        for i in range(n):
            sku, county = skus[i % len(skus)]
            outlet = outlets[(i // len(skus)) % len(outlets)]
            day = start + dt.timedelta(days=(i // (len(skus) * len(outlets))) % 730)
            q = 1 + i % 37
            fh.write(f"{day.isoformat()},{outlet},{sku},{county[:6]},{q},{q * 12.5:.2f}\n")
            rows.append((i + 2, day, outlet, sku, county, q, int(q * 1250)))
    return rows


def _raw_insert(rows: list[tuple[Any, ...]], operator: Any) -> float:
    from django.db import connection, transaction
    from django.utils import timezone

    from tuopin.commerce.models import Outlet, Product, SalesStatement

    outlet_ids = dict(Outlet.objects.values_list("code", "pk"))
    product_ids = dict(Product.objects.values_list("sku", "pk"))
    t = time.perf_counter()
    with transaction.atomic():
        st = SalesStatement.objects.create(
            digest="raw-baseline", filename="raw", imported_at=timezone.now(), imported_by=operator
        )
        with connection.cursor() as c:
            c.executemany(
                "INSERT INTO commerce_salesline (statement_id, line_no, date, outlet_id,"
                " product_id, county_code, quantity, amount_fen) VALUES (%s,%s,%s,%s,%s,%s,%s,%s)",
                [
                    (st.pk, ln, day, outlet_ids[o], product_ids[s], county, q, a)
                    for ln, day, o, s, county, q, a in rows
                ],
            )
    return time.perf_counter() - t


def child(engine: str, pg: str, buyers: int, lines: int) -> dict[str, Any]:
    home = Path(tempfile.mkdtemp(prefix=f"bench-commerce-{engine}-"))
    env = fresh_database(engine, pg, home)
    env["TUOPIN_MANIFEST_STATIC"] = "false"
    os.environ.update(env)
    if engine == "sqlite":
        os.environ.pop("DATABASE_URL", None)
    import django

    django.setup()
    from django.db import connections

    from tuopin.commerce import salesimport, statistics
    from tuopin.commerce.models import SalesStatement
    from tuopin.core.tabular import Limits

    facts = _setup(buyers)
    for conn in connections.all():
        conn.close()
    race = _race(env, facts, buyers)
    print(f"[{engine}] orders: {race}", flush=True)
    path = home / "statement.csv"
    rows = _statement(path, lines, facts)
    t = time.perf_counter()
    report = salesimport.import_sales(
        path=path, by=facts["operator"], limits=Limits().for_command_line()
    )
    import_s = time.perf_counter() - t
    assert report.accepted == lines, (report.accepted, report.errors[:3])
    raw_s = _raw_insert(rows, facts["operator"])
    SalesStatement.objects.filter(digest="raw-baseline").delete()
    times = []
    for _ in range(3):
        t = time.perf_counter()
        stats = statistics.sales_statistics(facts["operator"])
        times.append(time.perf_counter() - t)
    assert stats.total_quantity == sum(r[5] for r in rows)
    out = {
        "engine": engine,
        **race,
        "lines": lines,
        "import_lines_per_s": round(lines / import_s),
        "raw_insert_lines_per_s": round(lines / raw_s),
        "statistics_ms": round(sorted(times)[1] * 1000, 1),
    }
    print(
        f"[{engine}] import {out['import_lines_per_s']} lines/s (raw insert "
        f"{out['raw_insert_lines_per_s']} lines/s); statistics over {lines} lines "
        f"{out['statistics_ms']} ms",
        flush=True,
    )
    return out


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    ap.add_argument("--buyers", type=int, default=100)
    ap.add_argument("--lines", type=int, default=100_000)
    ap.add_argument("--engines", default="postgres,sqlite")
    ap.add_argument("--pg", default="postgres://postgres@127.0.0.1:5432/tuopin_bench_commerce")
    ap.add_argument("--child", help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.child:
        print("RESULT " + json.dumps(child(args.child, args.pg, args.buyers, args.lines)))
        return
    results = []
    for engine in args.engines.split(","):
        proc = subprocess.run(
            [sys.executable, __file__, "--child", engine.strip(), "--pg", args.pg]
            + ["--buyers", str(args.buyers), "--lines", str(args.lines)],
            check=True,
            capture_output=True,
            text=True,
        )
        for line in proc.stdout.splitlines():
            if line.startswith("RESULT "):
                results.append(json.loads(line[7:]))
            else:
                print(line, flush=True)
    write_results("commerce", results)


if __name__ == "__main__":
    main()
