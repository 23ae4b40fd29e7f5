"""Benchmark: a flash opening of a protected area on PostgreSQL, over real HTTP on the loopback.

A fresh migrated database; N green users, each given energy through the services (a partner
reports their bus rides, they collect); a protected area of M m² in 16 shards opened now;
`tuopin serve` on a free port (collection delay 0 h, so reported energy is collectable at
once). Then C keep-alive connections send N `POST /api/v1/forest/projects/<p>/adoptions`
for 1 m² each, each as its own user, from wrk (`apt install wrk`: a C load generator, so
that the two cores are the server's; `bench/wrk_requests.lua` sends each request once) or,
without it, from Python threads (`--client threads`, which take a core of their own):

  - baseline: a static file through the same server, in the same run;
  - adoptions: answers per second, p50/p95, and the proof: exactly min(N, M) answered 201,
    the rest 409 sold_out, the shards sum to M − min(N, M), every user's journal sums to
    their account, and every certificate is on the ledger once (its entry appended by the
    certifier of `tuopin serve`; how long after the flash it caught up is printed);
  - actions: `POST /api/v1/forest/actions` from the partner, a new key each (energy events/s);
  - collection: `POST /api/v1/forest/me/collect` by each user (collection events/s).

Each scenario also prints the 1-minute load average before and after it, what the
database's active backends waited for (pg_stat_activity sampled every 20 ms) and the WAL
written per request (pg_stat_wal: records, full-page images, bytes).

    python bench/forest.py [--users N] [--units M] [--clients C] [--client wrk|threads]
                           [--serve "--workers W --threads T"] [--pg URL] [--no-wal-wait]
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import shutil
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
from load import free_port, percentile  # noqa: E402

SETUP = """
import datetime as dt, json, sys
import django
django.setup()
from django.utils import timezone
from tuopin.accounts import roles, services as accounts
from tuopin.accounts.models import User
from tuopin.areas import services as areas
from tuopin.areas.models import Area
from tuopin.forest import services as forest
from tuopin.forest.models import Project
n, m = int(sys.argv[1]), int(sys.argv[2])
areas.create_areas(rows=[("510000000000", "四川省", None, None), ("510700000000", "绵阳市", None, None),
                         ("510727000000", "平武县", 104.53, 32.41)])
op = accounts.create_user(username="operator", role=roles.OPERATOR)
partner = accounts.create_user(username="partner", role=roles.PARTNER)
forest.seed_action_types()
forest.create_project(by=op, project=Project(slug="guanba", kind="area", name="关坝保护地",
    county=Area.objects.get(code="510727000000"), energy_per_unit_g=80, units_total=m,
    opens_at=timezone.now(), shards=16))
forest.open_project(by=op, slug="guanba")
tokens = []
at = timezone.now() - dt.timedelta(hours=1)
for i in range(n):
    u = User.objects.create_user(username=f"g{i}")
    forest.report_action(by=partner, key=f"s{i}", username=u.username, action_type="bus",
                         units=1, at=at)
    forest.collect_all(by=u)
    tokens.append(accounts.issue_token(username=u.username))
print(json.dumps({"tokens": tokens, "partner": accounts.issue_token(username="partner")}))
"""

CHECK = """
import json
import django
django.setup()
from django.db.models import Sum
from tuopin.forest.models import Adoption, EnergyAccount, EnergyEntry, Shard
from tuopin.ledger.models import Entry
acc = EnergyAccount.objects.aggregate(p=Sum("pending_g"), b=Sum("balance_g"))
jr = EnergyEntry.objects.aggregate(p=Sum("pending_g"), b=Sum("balance_g"))
bad = 0
sums = {u: (p, b) for u, p, b in EnergyEntry.objects.values_list("user").annotate(
    p=Sum("pending_g"), b=Sum("balance_g")).values_list("user", "p", "b")}
for a in EnergyAccount.objects.all():
    if sums.get(a.pk, (0, 0)) != (a.pending_g, a.balance_g):
        bad += 1
print(json.dumps({"adoptions": Adoption.objects.count(),
    "pending_certificates": Adoption.objects.filter(ledger_index__isnull=True).count(),
    "certificates_on_ledger": Adoption.objects.filter(
        ledger_index__in=Entry.objects.filter(kind="decision").values("index")).count(),
    "remaining": Shard.objects.aggregate(r=Sum("remaining"))["r"],
    "accounts_off_journal": bad, "totals_equal": acc == jr,
    "ledger_entries": Entry.objects.filter(kind="decision").count()}))
"""


WRK_SCRIPT = Path(__file__).resolve().parent / "wrk_requests.lua"


def run_wrk(make: object, port: int, clients: int, total: int) -> dict[str, object]:
    """``total`` requests sent by wrk (C, two threads, ``clients`` keep-alive connections):
    a load generator that leaves the two cores to the server. Each request once; the rate is
    from wrk's start to the last thread's last answer."""
    threads = 2
    with tempfile.NamedTemporaryFile("w", suffix=".tsv", delete=False) as f:
        for i in range(total):
            method, path, body, headers = make(i)  # type: ignore[operator]
            f.write(f"{method}\t{path}\t{headers.get('Authorization', '')}\t{body or ''}\n")
    argv = ["wrk", "-t", str(threads), "-c", str(max(clients, threads)), "-d", "3600s"]
    argv += ["--timeout", "120s", "-s", str(WRK_SCRIPT), f"http://127.0.0.1:{port}"]
    t0 = time.perf_counter()
    proc = subprocess.Popen([*argv, "--", f.name, str(threads)], stdout=subprocess.PIPE, text=True)
    assert proc.stdout is not None
    done, elapsed, said = 0, 0.0, {}
    try:
        for line in proc.stdout:
            if line.strip() == "DONE":
                done += 1
                if done == threads:
                    elapsed = time.perf_counter() - t0
                    proc.send_signal(signal.SIGINT)
            elif line.startswith("WRK "):
                said = json.loads(line[4:])
        proc.wait()
    finally:
        if proc.poll() is None:  # this script stopped half-way: no wrk left behind
            proc.kill()
        os.unlink(f.name)
    codes = said.get("codes", {})
    answered = sum(codes.values())
    if said.get("errors"):
        codes["0"] = said["errors"]
    return {
        "client": "wrk",
        "requests": answered,
        "seconds": round(elapsed, 2),
        "rps": round(answered / elapsed, 1) if elapsed else 0.0,
        "p50_ms": said.get("p50_ms"),
        "p95_ms": said.get("p95_ms"),
        "codes": dict(sorted(codes.items())),
    }


def run(make: object, port: int, clients: int, total: int) -> dict[str, object]:
    """``total`` requests over ``clients`` keep-alive threads; status codes counted."""
    latencies: list[float] = []
    codes: dict[int, int] = {}
    lock = threading.Lock()
    gate = threading.Barrier(clients + 1)

    def client(c: int) -> None:
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=120)
        mine: list[float] = []
        seen: dict[int, int] = {}
        gate.wait()
        for i in range(c, total, clients):
            method, path, body, headers = make(i)  # type: ignore[operator]
            t0 = time.perf_counter()
            try:
                conn.request(method, path, body=body, headers=headers)
                resp = conn.getresponse()
                resp.read()
                status = resp.status
            except (OSError, http.client.HTTPException):
                status = 0
                conn.close()
                conn = http.client.HTTPConnection("127.0.0.1", port, timeout=120)
            mine.append(time.perf_counter() - t0)
            seen[status] = seen.get(status, 0) + 1
        conn.close()
        with lock:
            latencies.extend(mine)
            for k, v in seen.items():
                codes[k] = codes.get(k, 0) + v

    threads = [threading.Thread(target=client, args=(c,)) for c in range(clients)]
    for t in threads:
        t.start()
    gate.wait()
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
        "codes": {str(k): v for k, v in sorted(codes.items())},
    }


class WaitSampler:
    """PostgreSQL's side of the profile: every 20 ms, what each active backend of the
    database waits for (``pg_stat_activity``), tallied."""

    def __init__(self, url: str) -> None:
        self.url = url
        self.counts: dict[str, int] = {}
        self.samples = 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run)

    def _run(self) -> None:
        import psycopg

        sql = (
            # Background work (autovacuum) named as such, not counted as the clients' CPU.
            "SELECT CASE WHEN backend_type <> 'client backend' THEN backend_type ELSE "
            "coalesce(wait_event_type || ':' || wait_event, 'CPU') END FROM pg_stat_activity "
            "WHERE datname = current_database() AND pid <> pg_backend_pid() "
            "AND state = 'active'"
        )
        with psycopg.connect(self.url, autocommit=True) as conn:
            while not self._stop.is_set():
                self.samples += 1
                for (what,) in conn.execute(sql).fetchall():
                    self.counts[what] = self.counts.get(what, 0) + 1
                self._stop.wait(0.02)

    def __enter__(self) -> WaitSampler:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._thread.join()

    def top(self, n: int = 6) -> dict[str, float]:
        """Backends in each state per sample, the busiest first."""
        ranked = sorted(self.counts.items(), key=lambda kv: -kv[1])[:n]
        return {k: round(v / max(1, self.samples), 2) for k, v in ranked}


def wal_totals(url: str) -> tuple[int, int, int]:
    """PostgreSQL's WAL written so far (``pg_stat_wal``): records, full-page images, bytes."""
    import psycopg

    with psycopg.connect(url, autocommit=True) as conn:
        row = conn.execute("SELECT wal_records, wal_fpi, wal_bytes FROM pg_stat_wal").fetchone()
    assert row is not None
    return int(row[0]), int(row[1]), int(row[2])


def pending_certificates(url: str) -> int:
    import psycopg

    with psycopg.connect(url, autocommit=True) as conn:
        row = conn.execute(
            "SELECT count(*) FROM forest_adoption WHERE ledger_index IS NULL"
        ).fetchone()
    return int(row[0]) if row else 0


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--users", type=int, default=20000)
    ap.add_argument("--units", type=int, default=20000)
    ap.add_argument("--clients", type=int, default=50)
    ap.add_argument(
        "--client",
        choices=["wrk", "threads"],
        default="wrk" if shutil.which("wrk") else "threads",
        help="the load generator: wrk (apt install wrk; C, light on the shared cores) or "
        "Python threads with http.client (heavier: a core of their own at ~1,500 req/s)",
    )
    ap.add_argument("--pg", default="postgres://postgres@127.0.0.1:5432/tuopin_bench_forest")
    ap.add_argument(
        "--adoption-only",
        action="store_true",
        help="the baseline and the flash only (not the action reports and the collection)",
    )
    ap.add_argument(
        "--serve",
        default="",
        help='more arguments for `tuopin serve`, e.g. "--workers 2 --threads 16"',
    )
    ap.add_argument(
        "--no-wal-wait",
        action="store_true",
        help="the bench database with synchronous_commit off: how much of a flash is the "
        "wait for each commit's WAL flush (not a setting tuopin makes for you)",
    )
    args = ap.parse_args()
    home = Path(tempfile.mkdtemp(prefix="tuopin-forest-"))
    env = fresh_database("postgres", args.pg, home)
    if args.no_wal_wait:
        import psycopg

        with psycopg.connect(args.pg, autocommit=True) as conn:
            name = args.pg.rsplit("/", 1)[1]
            conn.execute(f'ALTER DATABASE "{name}" SET synchronous_commit = off')
    env.update(TUOPIN_FOREST_COLLECT_DELAY_HOURS="0", TUOPIN_MANIFEST_STATIC="false")
    subprocess.run(
        [str(BIN / "tuopin"), "ledger", "keygen"], env=env, check=True, capture_output=True
    )
    print(f"set-up: {args.users} users with energy, {args.units} m² in 16 shards …", flush=True)
    t0 = time.perf_counter()
    facts = json.loads(
        subprocess.run(
            [str(BIN / "python"), "-c", SETUP, str(args.users), str(args.units)],
            env=env,
            check=True,
            capture_output=True,
            text=True,
        ).stdout
    )
    import psycopg

    # What autovacuum does in the minutes between a bulk set-up and an announced opening:
    # without it the flash shares the cores with the vacuum of 20,000 fresh accounts.
    with psycopg.connect(args.pg, autocommit=True) as conn:
        conn.execute("VACUUM ANALYZE")
        conn.execute("CHECKPOINT")  # the set-up's dirty pages written before, not during
    print(f"  ({time.perf_counter() - t0:.0f} s, with VACUUM ANALYZE, CHECKPOINT)", flush=True)
    port = free_port()
    server_log = home / "serve.log"
    print(f"  server log: {server_log}", flush=True)
    server = subprocess.Popen(
        [str(BIN / "tuopin"), "serve", f"127.0.0.1:{port}", *args.serve.split()],
        env=env,
        stdout=server_log.open("wb"),
        stderr=subprocess.STDOUT,
    )
    tokens: list[str] = facts["tokens"]
    results: list[dict[str, object]] = []
    try:
        for _ in range(300):
            try:
                with socket.create_connection(("127.0.0.1", port), timeout=1):
                    break
            except OSError:
                time.sleep(0.1)
        time.sleep(3)
        static = "/static/tuopin/js/charts.js"

        def adopt(i: int) -> tuple[str, str, str, dict[str, str]]:
            body = json.dumps({"units": 1, "key": "flash"})
            headers = {"Content-Type": "application/json", "Authorization": f"Bearer {tokens[i]}"}
            return "POST", "/api/v1/forest/projects/guanba/adoptions", body, headers

        def action(i: int) -> tuple[str, str, str, dict[str, str]]:
            body = json.dumps({"key": f"b{i}", "user": f"g{i}", "type": "bus", "units": 1})
            headers = {
                "Content-Type": "application/json",
                "Authorization": f"Bearer {facts['partner']}",
            }
            return "POST", "/api/v1/forest/actions", body, headers

        def collect(i: int) -> tuple[str, str, str, dict[str, str]]:
            return "POST", "/api/v1/forest/me/collect", "", {"Authorization": f"Bearer {tokens[i]}"}

        n = len(tokens)
        run(lambda i: ("GET", static, None, {}), port, 5, 20)  # warm-up (5 connections)
        load = run_wrk if args.client == "wrk" else run
        # The flash first: after serving keep-alive traffic, gunicorn 27's gthread workers
        # keep ~10 % of a core each busy for a while (measured, with or without the flash
        # front), which a baseline run before it would take from the flash.
        scenarios = [
            ("flash adoption (1 m² each)", adopt),
            ("baseline: static file", lambda i: ("GET", static, None, {})),
            ("action reports (partner)", action),
            ("energy collection", collect),
        ]
        if args.adoption_only:
            scenarios = scenarios[:2]
        for name, make in scenarios:
            load_before, wal_before = os.getloadavg(), wal_totals(args.pg)
            with WaitSampler(args.pg) as waits:
                figures = load(make, port, args.clients, n)
            figures["load_avg_1m"] = [round(load_before[0], 2), round(os.getloadavg()[0], 2)]
            figures["pg_waits"] = waits.top()
            # The whole cluster's WAL while the scenario ran (the certifier's appends included).
            wal = [b - a for a, b in zip(wal_before, wal_totals(args.pg), strict=True)]
            figures["wal_per_request"] = {
                "records": round(wal[0] / n, 1),
                "full_page_images": round(wal[1] / n, 2),
                "bytes": round(wal[2] / n),
            }
            print(
                f"{name:28} {figures['rps']:>7} req/s  p50 {figures['p50_ms']:>7} ms  "
                f"p95 {figures['p95_ms']:>7} ms  {figures['codes']}  "
                f"load {figures['load_avg_1m']}  pg {figures['pg_waits']}  "
                f"wal/request {figures['wal_per_request']}",
                flush=True,
            )
            if make is adopt:
                # How long the certifier takes to put the flash's certificates on the ledger.
                t0 = time.perf_counter()
                while pending_certificates(args.pg) and time.perf_counter() - t0 < 120:
                    time.sleep(0.1)
                figures["certified_after_s"] = round(time.perf_counter() - t0, 2)
                print(f"  certificates on the ledger {figures['certified_after_s']} s later")
            results.append({"scenario": name, **figures})
    finally:
        server.send_signal(signal.SIGTERM)
        server.wait(timeout=60)
    check = json.loads(
        subprocess.run(
            [str(BIN / "python"), "-c", CHECK], env=env, check=True, capture_output=True, text=True
        ).stdout
    )
    expected = min(args.users, args.units)
    flash = next(r for r in results if str(r["scenario"]).startswith("flash"))
    adopted: dict[str, int] = flash["codes"]  # type: ignore[assignment]
    proof = {
        "expected_successes": expected,
        "answered_201": adopted.get("201", 0),
        **check,
        "exact": check["adoptions"] == expected
        and check["remaining"] == args.units - expected
        and adopted.get("201", 0) == expected
        and check["accounts_off_journal"] == 0
        and check["totals_equal"]
        and check["pending_certificates"] == 0
        and check["certificates_on_ledger"] == expected
        and check["ledger_entries"] == expected,
    }
    print("proof:", json.dumps(proof), flush=True)
    results.append({"scenario": "proof", **proof})
    write_results("forest", results)
    if not proof["exact"]:
        sys.exit(1)


if __name__ == "__main__":
    main()
