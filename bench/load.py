"""Benchmark: `tuopin serve` under 50 concurrent clients over real HTTP on the loopback.

For each engine (SQLite, PostgreSQL) in one run, in a fresh migrated database with the small
demo (`tuopin demo`): `tuopin serve` (gunicorn, the worker, the signer) on a free loopback
port, then, one scenario after another, C client threads (default 50) with keep-alive
connections each sending R requests (default 20):

  - baseline: a static file through the same server (WhiteNoise): the raw rate of HTTP, the
    WSGI stack and this client on this machine, measured in the same run;
  - campaign page: the public `/campaigns/<slug>/` page, no login;
  - donation: `POST /api/v1/charity/donations` as a payment platform, a new reference each
    time (each one a row and a ledger entry in one transaction);
  - village view: `GET /api/v1/insurance/villages/<code>/cover` as the demo's village cadre;
  - ledger proof: `GET /api/v1/ledger/proof/inclusion` for a random entry of the signed tree.

Prints requests per second, p50 and p95 latency and the number of errors (non-2xx answers
and failed connections) for each; writes bench/out/load.json. The client runs on the same
two cores as the server: the figures are a floor for a machine with a separate client.

    python bench/load.py [--clients C] [--requests R] [--engines sqlite,postgres] [--pg URL]
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import random
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from common import BIN, fresh_database, write_results  # noqa: E402

FACTS = """
import django, json
django.setup()
from tuopin.accounts.models import User
from tuopin.charity.models import Campaign
from tuopin.ledger.models import Checkpoint
cadre = User.objects.get(username="cadre")
print(json.dumps({
    "village": cadre.area_scopes.values_list("area_id", flat=True).first(),
    "campaign": Campaign.objects.order_by("pk").values_list("slug", flat=True).first(),
    "size": Checkpoint.objects.order_by("-size").values_list("size", flat=True).first(),
}))
"""


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))] if ordered else 0.0


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def tuopin(env: dict[str, str], *args: str) -> str:
    return subprocess.run(
        [str(BIN / "tuopin"), *args], env=env, check=True, capture_output=True, text=True
    ).stdout.strip()


def scenario(port: int, clients: int, requests: int, make: object) -> dict[str, float | int]:
    """C threads, each with one keep-alive connection, R requests each."""
    latencies: list[float] = []
    errors = [0]
    lock = threading.Lock()
    start_gate = threading.Barrier(clients + 1)

    def client(n: int) -> None:
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
        mine: list[float] = []
        failed = 0
        start_gate.wait()
        for i in range(requests):
            method, path, body, headers = make(n, i)  # type: ignore[operator]
            t0 = time.perf_counter()
            try:
                conn.request(method, path, body=body, headers=headers)
                resp = conn.getresponse()
                resp.read()
                if resp.status >= 300:
                    failed += 1
                    if failed == 1:
                        print(f"    {method} {path} -> {resp.status}", file=sys.stderr)
            except (OSError, http.client.HTTPException):
                failed += 1
                conn.close()
                conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
            mine.append(time.perf_counter() - t0)
        conn.close()
        with lock:
            latencies.extend(mine)
            errors[0] += failed

    threads = [threading.Thread(target=client, args=(n,)) for n in range(clients)]
    for t in threads:
        t.start()
    start_gate.wait()
    t0 = time.perf_counter()
    for t in threads:
        t.join()
    elapsed = time.perf_counter() - t0
    return {
        "requests": len(latencies),
        "seconds": round(elapsed, 2),
        "rps": round(len(latencies) / elapsed, 1),
        "p50_ms": round(1000 * percentile(latencies, 0.50), 1),
        "p95_ms": round(1000 * percentile(latencies, 0.95), 1),
        "errors": errors[0],
    }


def run_engine(engine: str, pg_url: str, clients: int, requests: int) -> list[dict[str, object]]:
    home = Path(tempfile.mkdtemp(prefix=f"tuopin-load-{engine}-"))
    env = fresh_database(engine, pg_url, home)
    env.update(TUOPIN_LOCAL_KEYS="true", TUOPIN_MANIFEST_STATIC="true")
    env.pop("TUOPIN_DEBUG", None)
    print(f"[{engine}] demo …", flush=True)
    tuopin(env, "demo", "--scale", "small")
    facts = json.loads(
        subprocess.run(
            [str(BIN / "python"), "-c", FACTS], env=env, check=True, capture_output=True, text=True
        ).stdout
    )
    operator = tuopin(env, "accounts", "token", "operator")
    cadre = tuopin(env, "accounts", "token", "cadre")
    port = free_port()
    server = subprocess.Popen(
        [str(BIN / "tuopin"), "serve", f"127.0.0.1:{port}"],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        for _ in range(300):
            try:
                with socket.create_connection(("127.0.0.1", port), timeout=1):
                    break
            except OSError:
                time.sleep(0.1)
        conn = http.client.HTTPConnection("127.0.0.1", port)
        conn.request("GET", f"/campaigns/{facts['campaign']}/")
        page = conn.getresponse().read().decode()
        static = "/static/" + page.split('href="/static/', 1)[1].split('"', 1)[0]
        conn.close()
        run_id = random.Random(2018)
        json_headers = {"Content-Type": "application/json", "Authorization": f"Bearer {operator}"}

        def donation(n: int, i: int) -> tuple[str, str, str, dict[str, str]]:
            body = {
                "campaign": facts["campaign"],
                "channel": "online",
                "amount_fen": 100 + i,
                "payment_ref": f"load-{engine}-{os.getpid()}-{n}-{i}",
            }
            return "POST", "/api/v1/charity/donations", json.dumps(body), json_headers

        size = int(facts["size"])
        scenarios = {
            "baseline: static file": lambda n, i: ("GET", static, None, {}),
            "campaign page": lambda n, i: ("GET", f"/campaigns/{facts['campaign']}/", None, {}),
            "donation notification": donation,
            "village view (API)": lambda n, i: (
                "GET",
                f"/api/v1/insurance/villages/{facts['village']}/cover",
                None,
                {"Authorization": f"Bearer {cadre}"},
            ),
            "ledger inclusion proof": lambda n, i: (
                "GET",
                f"/api/v1/ledger/proof/inclusion?index={run_id.randrange(size)}&size={size}",
                None,
                {},
            ),
        }
        results: list[dict[str, object]] = []
        for name, make in scenarios.items():
            scenario(port, min(clients, 5), 2, make)  # warm-up: every worker, every path
            figures = scenario(port, clients, requests, make)
            print(
                f"[{engine}] {name:24} {figures['rps']:>7} req/s  p50 {figures['p50_ms']:>7} ms"
                f"  p95 {figures['p95_ms']:>7} ms  errors {figures['errors']}",
                flush=True,
            )
            results.append({"engine": engine, "scenario": name, **figures})
        return results
    finally:
        server.send_signal(signal.SIGTERM)
        server.wait(timeout=60)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    ap.add_argument("--clients", type=int, default=50)
    ap.add_argument("--requests", type=int, default=20, help="per client and scenario")
    ap.add_argument("--engines", default="sqlite,postgres")
    ap.add_argument("--pg", default="postgres://postgres@127.0.0.1:5432/tuopin_bench_load")
    args = ap.parse_args()
    results: list[dict[str, object]] = []
    for engine in args.engines.split(","):
        results += run_engine(engine.strip(), args.pg, args.clients, args.requests)
    write_results("load", results)


if __name__ == "__main__":
    main()
