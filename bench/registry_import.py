"""Benchmark: import a generated registry file of N people (default 1,000,000).

For each engine (SQLite, PostgreSQL) in one run:
  1. a fresh database, migrated, with the demo's `large` area tree;
  2. the raw baselines: the same rows read from the same CSV and bulk-loaded (sqlite3
     executemany in one transaction; psycopg COPY), no validation, once into the same tables
     (same keys and indexes) and once into a bare table with no index at all;
  3. the tables emptied, then `tuopin registry import FILE --json` in a child process,
     with validation on, timed, its peak memory (max RSS) taken from wait4();
  4. the same import again (every person looked up and found unchanged), timed the same way.
Prints people/s for both and the ratio, and writes bench/out/registry_import.json.

    python bench/registry_import.py [--people N] [--engines sqlite,postgres] [--pg URL]
"""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import json
import os
import subprocess
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from common import fresh_database, write_results  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "bench" / "out"
BIN = Path(sys.executable).parent
SEED = 2018


def env_for(engine: str, pg_url: str, home: Path) -> dict[str, str]:
    env = dict(os.environ, TUOPIN_HOME=str(home), DJANGO_SETTINGS_MODULE="tuopin.settings")
    env.pop("DATABASE_URL", None)
    if engine == "postgres":
        env["DATABASE_URL"] = pg_url
    return env


def tuopin(env: dict[str, str], *args: str) -> str:
    out = subprocess.run(
        [str(BIN / "tuopin"), *args], env=env, check=True, capture_output=True, text=True
    )
    return out.stdout


def setup_database(engine: str, pg_url: str, home: Path) -> dict[str, str]:
    """A fresh, migrated database with the large demo's area tree."""
    env = fresh_database(engine, pg_url, home)
    subprocess.run([sys.executable, __file__, "--phase-areas"], env=env, check=True)
    return env


def phase_areas() -> None:
    """Runs inside the project's settings: the demo's large area tree."""
    import django

    django.setup()
    from tuopin.areas import services as areas
    from tuopin.demo import services as demo

    areas.load_national()
    demo.build_areas(demo.SCALES["large"], SEED)


def phase_file(path: Path, people: int) -> None:
    """Write the registry file (deterministic); stops after the household reaching N people."""
    import django

    django.setup()
    from tuopin.areas.models import Area
    from tuopin.registry.synthetic import HEADER, RowGenerator, VillageSpec

    villages = [
        VillageSpec(code=c, county_code=c[:6])
        for c in Area.objects.filter(level=5).order_by("code").values_list("code", flat=True)
    ]
    gen = RowGenerator(SEED, dt.date(2018, 6, 30))
    n = 0
    with path.open("w", encoding="utf-8", newline="") as fh:
        w = csv.writer(fh)
        w.writerow(HEADER)
        serial = 0
        while n < people:
            serial += 1
            for village in villages:
                rows = gen.household(village, serial)
                w.writerows(rows)
                n += len(rows)
                if n >= people:
                    break


def raw_rows(path: Path):  # type: ignore[no-untyped-def]
    """Households and people of the file as plain tuples: no validation, nothing looked up,
    no keyed hash (the ID number itself fills the hash column)."""
    now = dt.datetime.now(dt.UTC)
    households: dict[str, tuple] = {}  # type: ignore[type-arg]
    people = []
    with path.open(encoding="utf-8", newline="") as fh:
        r = csv.reader(fh)
        next(r)
        for row in r:
            households.setdefault(
                row[0],
                (row[0], row[6], "", "general", "illness", "poor", None, row[1], 1, now, now),
            )
            people.append(
                (
                    row[0],
                    row[6],
                    row[1],
                    row[2],
                    row[2],
                    "M" if row[3] == "男" else "F",
                    row[4],
                    "head" if row[5] == "户主" else "other",
                    "",
                    "",
                    "",
                    row[14],
                    now,
                    now,
                )
            )
    return list(households.values()), people


HH_COLS = (
    "household_no, village_code, address, household_type, poverty_cause, status, "
    "status_year, head_name, member_count, created_at, updated_at"
)
P_COLS = (
    "household_id, village_code, name, id_number, id_hash, sex, birth_date, relation, "
    "education, health, student_status, phone, created_at, updated_at"
)


def raw_sqlite(db: Path, path: Path) -> tuple[float, float]:
    import sqlite3

    t0 = time.perf_counter()
    households, people = raw_rows(path)
    con = sqlite3.connect(db)
    con.execute("PRAGMA journal_mode=WAL")
    con.execute("PRAGMA synchronous=NORMAL")
    with con:
        con.executemany(
            f"INSERT INTO registry_household ({HH_COLS}) VALUES ({','.join('?' * 11)})",
            [(*h[:9], h[9].isoformat(), h[10].isoformat()) for h in households],
        )
        ids = dict(con.execute("SELECT household_no, id FROM registry_household"))
        con.executemany(
            f"INSERT INTO registry_person ({P_COLS}) VALUES ({','.join('?' * 14)})",
            [(ids[p[0]], *p[1:12], p[12].isoformat(), p[13].isoformat()) for p in people],
        )
    elapsed = time.perf_counter() - t0
    with con:
        con.execute("DELETE FROM registry_person")
        con.execute("DELETE FROM registry_household")
    # The same rows into a bare table: no keys, no indexes, no constraints.
    con.execute("DROP TABLE IF EXISTS bare_person")
    con.execute(f"CREATE TABLE bare_person AS SELECT {P_COLS} FROM registry_person WHERE 0")
    t0 = time.perf_counter()
    households, people = raw_rows(path)
    with con:
        con.executemany(
            f"INSERT INTO bare_person ({P_COLS}) VALUES ({','.join('?' * 14)})",
            [(0, *p[1:12], p[12].isoformat(), p[13].isoformat()) for p in people],
        )
    bare = time.perf_counter() - t0
    con.execute("DROP TABLE bare_person")
    con.close()
    return elapsed, bare


def raw_postgres(url: str, path: Path) -> tuple[float, float]:
    import psycopg

    t0 = time.perf_counter()
    households, people = raw_rows(path)
    with psycopg.connect(url) as conn, conn.cursor() as cur:
        with cur.copy(f"COPY registry_household ({HH_COLS}) FROM STDIN") as cp:
            for h in households:
                cp.write_row(h)
        cur.execute("SELECT household_no, id FROM registry_household")
        ids = dict(cur.fetchall())
        with cur.copy(f"COPY registry_person ({P_COLS}) FROM STDIN") as cp:
            for p in people:
                cp.write_row((ids[p[0]], *p[1:]))
        conn.commit()
    elapsed = time.perf_counter() - t0
    with psycopg.connect(url) as conn:
        conn.execute("TRUNCATE registry_person, registry_household, registry_statuschange CASCADE")
        conn.execute(
            f"CREATE TABLE bare_person AS SELECT {P_COLS} FROM registry_person WITH NO DATA"
        )
    t0 = time.perf_counter()
    households, people = raw_rows(path)
    with psycopg.connect(url) as conn, conn.cursor() as cur:
        with cur.copy(f"COPY bare_person ({P_COLS}) FROM STDIN") as cp:
            for p in people:
                cp.write_row((0, *p[1:]))
        conn.commit()
    bare = time.perf_counter() - t0
    with psycopg.connect(url) as conn:
        conn.execute("DROP TABLE bare_person")
    return elapsed, bare


def timed_import(env: dict[str, str], path: Path) -> tuple[float, int, dict]:  # type: ignore[type-arg]
    """Run the real import in a child; returns seconds, peak RSS in MB and its JSON."""
    t0 = time.perf_counter()
    proc = subprocess.Popen(
        [str(BIN / "tuopin"), "registry", "import", str(path), "--json", "--no-progress"],
        env=env,
        stdout=subprocess.PIPE,
        text=True,
    )
    assert proc.stdout is not None
    out = proc.stdout.read()
    _pid, status, usage = os.wait4(proc.pid, 0)
    elapsed = time.perf_counter() - t0
    if status != 0:
        raise SystemExit(f"import failed: status {status}")
    return elapsed, usage.ru_maxrss // 1024, json.loads(out)


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawTextHelpFormatter
    )
    parser.add_argument("--people", type=int, default=1_000_000)
    parser.add_argument("--engines", default="sqlite,postgres")
    parser.add_argument("--pg", default="postgres://postgres@127.0.0.1:5432/tuopin_bench")
    parser.add_argument("--phase-areas", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--phase-file", help=argparse.SUPPRESS)
    parser.add_argument("--phase-raw", nargs=2, metavar=("ENGINE", "FILE"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    sys.path.insert(0, str(ROOT / "src"))
    if args.phase_areas:
        phase_areas()
        return
    if args.phase_file:
        phase_file(Path(args.phase_file), args.people)
        return
    if args.phase_raw:
        engine, file = args.phase_raw
        if engine == "sqlite":
            raw, bare = raw_sqlite(OUT / "home" / "var" / "tuopin.sqlite3", Path(file))
        else:
            raw, bare = raw_postgres(args.pg, Path(file))
        print(json.dumps([raw, bare]))
        return

    OUT.mkdir(parents=True, exist_ok=True)
    home = OUT / "home"
    (home / "var").mkdir(parents=True, exist_ok=True)
    path = OUT / f"registry-{args.people}.csv"
    results = []
    for engine in args.engines.split(","):
        env = setup_database(engine, args.pg, home)
        if not path.exists():
            subprocess.run(
                [sys.executable, __file__, "--phase-file", str(path), "--people", str(args.people)],
                env=env,
                check=True,
            )
        with path.open(encoding="utf-8") as fh:
            people = sum(1 for _ in fh) - 1
        # The baselines run in their own process: this one stays small, so the import child
        # that it forks next inherits no large peak memory (Linux keeps maxrss across exec).
        out = subprocess.run(
            [sys.executable, __file__, "--phase-raw", engine, str(path), "--pg", args.pg],
            env=env,
            check=True,
            capture_output=True,
            text=True,
        ).stdout
        raw, bare = json.loads(out)
        seconds, peak_mb, report = timed_import(env, path)
        assert report["people_created"] == people, report
        # The same file again, as next year's export would mostly be: every row looked up,
        # compared and found unchanged.
        again, again_mb, report = timed_import(env, path)
        assert report["people_unchanged"] == people, report
        results.append(
            {
                "engine": engine,
                "people": people,
                "raw_seconds": round(raw, 2),
                "raw_people_per_s": round(people / raw),
                "import_seconds": round(seconds, 2),
                "import_people_per_s": round(people / seconds),
                "ratio": round(raw / seconds, 3),
                "peak_rss_mb": peak_mb,
                "bare_people_per_s": round(people / bare),
                "ratio_to_bare": round(bare / seconds, 3),
                "reimport_seconds": round(again, 2),
                "reimport_peak_rss_mb": again_mb,
            }
        )
        print(
            f"{engine:9} {people:>9,} people  raw (same tables) {people / raw:>9,.0f}/s  "
            f"raw (bare table) {people / bare:>9,.0f}/s  import {people / seconds:>8,.0f}/s  "
            f"ratio {raw / seconds:.2f} (bare {bare / seconds:.2f})  peak {peak_mb} MB  "
            f"re-import (all unchanged) {again:.1f} s, peak {again_mb} MB",
            flush=True,
        )
    write_results("registry_import", results)


if __name__ == "__main__":
    main()
