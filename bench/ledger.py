"""Benchmark: the public ledger at N entries (default 1,000,000).

For each engine (SQLite, PostgreSQL), in one run:
  1. append N entries in batches of 10,000 (``append_entries``) and integrate them into tiles
     with a signed checkpoint: entries/s;
  2. the baseline: a pure-hashlib RFC 6962 root over the same leaf hashes, in memory;
  2b. CPU seconds of this process and of its PostgreSQL backend for step 1 (a shared
     machine inflates them far less than wall time);
  3. inclusion proofs for random indexes and consistency proofs from random sizes at N, read
     from the database tiles: p50 and p99 in ms.
Writes bench/out/ledger.json.

    python bench/ledger.py [--entries N] [--engines sqlite,postgres] [--pg URL]
"""

from __future__ import annotations

import argparse
import json
import random
import statistics
import subprocess
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from common import fresh_database  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "bench" / "out"
BIN = Path(sys.executable).parent


def server_cpu() -> float:
    """CPU seconds of this connection's PostgreSQL backend so far (0 on SQLite)."""
    import os

    from django.db import connection

    if connection.vendor != "postgresql":
        return 0.0
    with connection.cursor() as cur:
        cur.execute("SELECT pg_backend_pid()")
        (pid,) = cur.fetchone()
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def worker(entries: int) -> dict[str, float]:
    import django

    django.setup()
    from tuopin.ledger import merkle, note, selectors, services

    signer = note.Signer.generate("bench.example/ledger")
    server0 = server_cpu()
    c0 = time.process_time()
    t0 = time.perf_counter()
    for start in range(0, entries, 10_000):
        services.append_entries(
            kind="donation",
            payloads=[
                {"amount_fen": 100 + i, "campaign": 1}
                for i in range(start, min(entries, start + 10_000))
            ],
        )
    appended = time.perf_counter() - t0
    t1 = time.perf_counter()
    checkpoint = services.integrate(signer=signer)
    integrated = time.perf_counter() - t1
    # CPU seconds, which a loaded machine inflates far less than wall time: this process's,
    # and on PostgreSQL its server backend's (from /proc: the server runs on this machine).
    client_cpu = time.process_time() - c0
    server_cpu_s = server_cpu() - server0
    assert checkpoint is not None and checkpoint.size == entries

    from tuopin.ledger.models import Entry

    leaves = [bytes(h) for h in Entry.objects.order_by("index").values_list("leaf_hash", flat=True)]
    t2 = time.perf_counter()
    root = merkle.root(leaves)
    baseline = time.perf_counter() - t2
    assert root == bytes(checkpoint.root)

    rng = random.Random(1)
    inclusion, consistency = [], []
    for _ in range(300):
        index = rng.randrange(entries)
        t = time.perf_counter()
        proof = selectors.inclusion_proof(index, entries)
        inclusion.append((time.perf_counter() - t) * 1000)
        merkle.verify_inclusion(leaves[index], index, entries, proof, root)
        first = rng.randrange(1, entries)
        t = time.perf_counter()
        selectors.consistency_proof(first, entries)
        consistency.append((time.perf_counter() - t) * 1000)

    def pct(values: list[float], q: float) -> float:
        return round(statistics.quantiles(values, n=100)[int(q) - 1], 2)

    return {
        "entries": entries,
        "append_s": round(appended, 2),
        "integrate_s": round(integrated, 2),
        "entries_per_s": round(entries / (appended + integrated)),
        "client_cpu_s": round(client_cpu, 2),
        "server_cpu_s": round(server_cpu_s, 2),
        # as if each process had a core of its own: the busier of the two sets the pace
        "entries_per_cpu_s": round(entries / max(client_cpu, server_cpu_s)),
        "baseline_root_s": round(baseline, 2),
        "baseline_leaves_per_s": round(entries / baseline),
        "inclusion_p50_ms": pct(inclusion, 50),
        "inclusion_p99_ms": pct(inclusion, 99),
        "consistency_p50_ms": pct(consistency, 50),
        "consistency_p99_ms": pct(consistency, 99),
    }


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawTextHelpFormatter
    )
    parser.add_argument("--entries", type=int, default=1_000_000)
    parser.add_argument("--engines", default="sqlite,postgres")
    parser.add_argument("--pg", default="postgres://postgres@127.0.0.1:5432/tuopin_bench_ledger")
    parser.add_argument("--worker", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    sys.path.insert(0, str(ROOT / "src"))
    if args.worker:
        print(json.dumps(worker(args.entries)))
        return
    home = OUT / "ledger-home"
    results = []
    for engine in args.engines.split(","):
        env = fresh_database(engine, args.pg, home)
        out = subprocess.run(
            [sys.executable, __file__, "--worker", "--entries", str(args.entries)],
            env=env,
            check=True,
            capture_output=True,
            text=True,
        ).stdout
        result = {"engine": engine, **json.loads(out.strip().splitlines()[-1])}
        results.append(result)
        print(
            f"{engine:9} {result['entries']:>9,} entries  append+integrate "
            f"{result['entries_per_s']:>8,}/s  (CPU: client {result['client_cpu_s']} s, server "
            f"{result['server_cpu_s']} s: {result['entries_per_cpu_s']:>8,}/s)  "
            f"(hashlib root alone {result['baseline_leaves_per_s']:>9,}/s)  "
            f"inclusion p50 {result['inclusion_p50_ms']} ms p99 {result['inclusion_p99_ms']} ms  "
            f"consistency p50 {result['consistency_p50_ms']} ms p99 {result['consistency_p99_ms']} ms",
            flush=True,
        )
    (OUT / "ledger.json").write_text(json.dumps(results, indent=2))


if __name__ == "__main__":
    main()
