"""Benchmark: enroll a registry of N people (default 1,000,000) in one insurance programme.

For each engine (SQLite, PostgreSQL) in one run:
  1. set-up, not timed as the result: a fresh database, migrated, with the demo's `large`
     area tree (its 20 counties flagged national_poor); the registry file of
     registry_import.py (same generator, seed 2018), loaded by its raw path (executemany /
     COPY into the same tables, no validation); on PostgreSQL a VACUUM ANALYZE, as
     autovacuum would do after such a load; a programme like 顶梁柱 (ages 18-60, national
     poor counties only, 100 yuan, no campaign);
  2. the raw baselines: the same eligible rows (the rule's own WHERE) inserted by one
     plain INSERT ... SELECT, once into a bare copy of insurance_policy (no index, no key, no
     constraint) and once into a copy with the same keys, indexes and constraints; and once
     more into that copy with the rule's counties as a constant list instead of the county
     joined to each person (the stricter "raw listed" baseline: the service's batches judge
     each county once);
  3. in the same process, right after the baselines: `insurance.services.enroll`, timed, and
     its re-run (idempotent: nothing left to enroll); then the same-keys baseline again (the
     lower of the two is the one compared with: the machine is shared);
  4. `tuopin insurance enroll SLUG --period 2026-01-01 --json --user operator` in a child
     process: the CLI's re-run, with its start-up (imports, Django's system checks).
Prints policies/s and seconds, and writes bench/out/insurance_enroll.json.

    python bench/insurance_enroll.py [--people N] [--engines sqlite,postgres] [--pg URL]
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
import registry_import  # noqa: E402
from common import write_results  # noqa: E402
from registry_import import HH_COLS, P_COLS, raw_rows  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "bench" / "out"
HOME = OUT / "home-enroll"
BIN = Path(sys.executable).parent
SLUG = "dlz"
PERIOD = dt.date(2026, 1, 1)
POLICY_COLS = (
    "programme_id, person_id, village_code, period_start, status, exit_reason, exit_note, "
    "enrolled_at"
)


def load_sqlite(db: Path, path: Path) -> float:
    """The registry file into the same tables, as registry_import.raw_sqlite does."""
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
    con.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    con.close()
    return time.perf_counter() - t0


def load_postgres(url: str, path: Path) -> float:
    """The registry file into the same tables, as registry_import.raw_postgres does."""
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
    with psycopg.connect(url, autocommit=True) as conn:
        conn.execute("VACUUM ANALYZE")
    return time.perf_counter() - t0


def phase_programme() -> dict[str, int]:
    """Runs inside the project's settings: the programme, and what the registry holds."""
    import django

    django.setup()
    from tuopin.areas.models import Area
    from tuopin.insurance.models import Programme
    from tuopin.registry.models import Person

    Programme.objects.create(
        slug=SLUG,
        name="顶梁柱",
        sponsor="中国扶贫基金会",
        insurer="某保险",
        premium_fen=10_000,
        min_age=18,
        max_age=60,
        require_national_poor=True,
        starts_on=PERIOD,
        ends_on=dt.date(2026, 12, 31),
    )
    from tuopin.accounts import roles
    from tuopin.accounts import services as accounts

    # The CLI acts as a user (the permission, as on the pages): the foundation's operator.
    accounts.create_user(username="operator", role=roles.OPERATOR, password="x")  # noqa: S106
    poor = list(Area.objects.filter(level=3, national_poor=True).values_list("code", flat=True))
    in_poor = Person.objects.filter(
        village_code__regex=r"^(" + "|".join(c[:6] for c in poor) + ")"
    ).count()
    return {"people": Person.objects.count(), "poor_counties": len(poor), "in_poor": in_poor}


def phase_baseline() -> dict[str, float | int]:
    """Runs inside the project's settings: one INSERT ... SELECT of the eligible rows with
    the service's own WHERE, into a bare copy of the policy table and into a copy with its
    keys, indexes and constraints."""
    import django

    django.setup()
    from django.db import connection
    from django.utils import timezone

    from tuopin.core.bulk import db_datetime
    from tuopin.insurance import rules, services

    programme = services.get_programme(SLUG)
    head = "SELECT %s, p.id, p.village_code, %s, 'active', '', '', %s"
    head_params = [
        programme.pk,
        connection.ops.adapt_datefield_value(PERIOD),
        db_datetime(timezone.now()),
    ]
    rule_sql, rule_params = rules.rule_sql(programme, PERIOD)  # the same WHERE
    select, params = head + rule_sql, [*head_params, *rule_params]
    listed_sql, listed_params = _listed_where(programme)
    if connection.vendor == "postgresql":
        bare = (
            "CREATE TABLE bare_policy (LIKE insurance_policy INCLUDING DEFAULTS INCLUDING IDENTITY)"
        )
        full = [
            "CREATE TABLE full_policy (LIKE insurance_policy INCLUDING ALL)",
            "ALTER TABLE full_policy ADD FOREIGN KEY (person_id) REFERENCES registry_person (id)"
            " DEFERRABLE INITIALLY DEFERRED",
            "ALTER TABLE full_policy ADD FOREIGN KEY (programme_id) REFERENCES"
            " insurance_programme (id) DEFERRABLE INITIALLY DEFERRED",
        ]
    else:
        bare = f"CREATE TABLE bare_policy AS SELECT {POLICY_COLS} FROM insurance_policy WHERE 0"
        with connection.cursor() as cur:
            cur.execute(
                "SELECT sql FROM sqlite_master WHERE tbl_name = 'insurance_policy' AND sql"
                " IS NOT NULL ORDER BY type DESC"  # the table first, then its indexes
            )
            full = [
                sql.replace('"insurance_policy"', '"full_policy"').replace(
                    '"policy_', '"full_policy_'
                )
                for (sql,) in cur.fetchall()
            ]
    times: dict[str, float | int] = {}
    for table, ddl in (("bare_policy", [bare]), ("full_policy", full)):
        _raw_insert(table, ddl, select, params, times)
    # A stricter same-keys baseline: the counties the rule admits as a constant list instead
    # of the county joined to each person (the batches judge each county once, not per person).
    listed: dict[str, float | int] = {}
    _raw_insert("full_policy", full, head + listed_sql, [*head_params, *listed_params], listed)
    times["full_policy_listed"] = listed["full_policy"]
    assert listed["rows"] == times["rows"], (listed, times)  # the same rows
    # The service in this same process, right after its baseline: no process start-up or
    # system checks in the figure (the CLI's own total is measured apart, below).
    t0 = time.perf_counter()
    result = services.enroll(programme_slug=SLUG, period_start=PERIOD)
    times["enroll"] = time.perf_counter() - t0
    times["enrolled"] = result.enrolled
    times["eligible"] = result.eligible
    times["ledger_entries"] = len(result.ledger_indexes)
    t0 = time.perf_counter()
    again = services.enroll(programme_slug=SLUG, period_start=PERIOD)
    times["rerun"] = time.perf_counter() - t0
    assert again.enrolled == 0, again
    # The baseline once more after the service: on a shared machine the two may differ.
    after: dict[str, float | int] = {}
    _raw_insert("full_policy", full, select, params, after)
    times["full_policy_after"] = after["full_policy"]
    return times


def _listed_where(programme: Any) -> tuple[str, list[object]]:
    """FROM/WHERE with the rule's person conditions and its counties as a constant list: the
    same rows as the rule's own WHERE, without the county joined to each person."""
    from tuopin.insurance import rules

    conditions = [c for c in rules.rule_conditions(programme, PERIOD) if c[0] != "county"]
    counties = [code[:6] for code in rules.counties(programme, PERIOD)]
    where = " AND ".join(f"({cond})" for _, cond, _ in conditions)
    marks = ", ".join(["%s"] * len(counties))
    sql = f" FROM registry_person p WHERE {where} AND SUBSTR(p.village_code, 1, 6) IN ({marks})"
    return sql, [*(x for _, _, ps in conditions for x in ps), *counties]


def _raw_insert(
    table: str, ddl: list[str], select: str, params: list[object], times: dict[str, float | int]
) -> None:
    from django.db import connection, transaction

    with connection.cursor() as cur:
        cur.execute(f"DROP TABLE IF EXISTS {table}")
        for statement in ddl:
            cur.execute(statement)
    t0 = time.perf_counter()
    with transaction.atomic(), connection.cursor() as cur:
        cur.execute(f"INSERT INTO {table} ({POLICY_COLS}) {select}", params)  # noqa: S608
        times["rows"] = cur.rowcount
    times[table] = time.perf_counter() - t0
    with connection.cursor() as cur:
        cur.execute(f"DROP TABLE {table}")


def enroll(env: dict[str, str]) -> tuple[float, dict]:  # type: ignore[type-arg]
    t0 = time.perf_counter()
    out = subprocess.run(
        [
            str(BIN / "tuopin"),
            "insurance",
            "enroll",
            SLUG,
            "--period",
            PERIOD.isoformat(),
            "--json",
            "--user",
            "operator",
        ],
        env=env,
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    return time.perf_counter() - t0, json.loads(out)


def phase(env: dict[str, str], *args: str) -> object:
    out = subprocess.run(
        [sys.executable, __file__, *args], env=env, check=True, capture_output=True, text=True
    ).stdout
    return json.loads(out)


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawTextHelpFormatter
    )
    parser.add_argument("--people", type=int, default=1_000_000)
    parser.add_argument("--engines", default="sqlite,postgres")
    parser.add_argument("--pg", default="postgres://postgres@127.0.0.1:5432/tuopin_bench_enroll")
    parser.add_argument("--phase-load", nargs=2, metavar=("ENGINE", "FILE"), help=argparse.SUPPRESS)
    parser.add_argument("--phase-programme", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--phase-baseline", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    sys.path.insert(0, str(ROOT / "src"))
    if args.phase_load:
        engine, file = args.phase_load
        if engine == "sqlite":
            print(json.dumps(load_sqlite(HOME / "var" / "tuopin.sqlite3", Path(file))))
        else:
            print(json.dumps(load_postgres(args.pg, Path(file))))
        return
    if args.phase_programme:
        print(json.dumps(phase_programme()))
        return
    if args.phase_baseline:
        print(json.dumps(phase_baseline()))
        return

    OUT.mkdir(parents=True, exist_ok=True)
    path = OUT / f"registry-{args.people}.csv"
    results = []
    for engine in args.engines.split(","):
        env = registry_import.setup_database(engine, args.pg, HOME)
        if not path.exists():
            subprocess.run(
                [
                    sys.executable,
                    registry_import.__file__,
                    "--phase-file",
                    str(path),
                    "--people",
                    str(args.people),
                ],
                env=env,
                check=True,
            )
        load = phase(env, "--phase-load", engine, str(path), "--pg", args.pg)
        registry = phase(env, "--phase-programme")
        assert isinstance(registry, dict)
        base = phase(env, "--phase-baseline")
        assert isinstance(base, dict)
        cli, report = enroll(env)  # the CLI's re-run: start-up, checks, nothing to enroll
        policies = int(base["enrolled"])
        assert policies == base["eligible"] == base["rows"], base
        assert report["enrolled"] == 0, report
        raw_same = min(base["full_policy"], base["full_policy_after"])
        raw_listed = base["full_policy_listed"]
        row = {
            "engine": engine,
            "people": registry["people"],
            "people_in_poor_counties": registry["in_poor"],
            "poor_counties": registry["poor_counties"],
            "load_seconds": round(load, 2),
            "policies": policies,
            "ledger_entries": base["ledger_entries"],
            "enroll_seconds": round(base["enroll"], 2),
            "enroll_policies_per_s": round(policies / base["enroll"]),
            "rerun_seconds": round(base["rerun"], 2),
            "cli_rerun_seconds": round(cli, 2),
            "raw_bare_seconds": round(base["bare_policy"], 2),
            "raw_bare_policies_per_s": round(policies / base["bare_policy"]),
            "raw_same_seconds_before": round(base["full_policy"], 2),
            "raw_same_seconds_after": round(base["full_policy_after"], 2),
            "raw_same_seconds": round(raw_same, 2),
            "raw_same_policies_per_s": round(policies / raw_same),
            "enroll_over_raw_same": round(base["enroll"] / raw_same, 2),
            "raw_listed_seconds": round(raw_listed, 2),
            "enroll_over_raw_listed": round(base["enroll"] / raw_listed, 2),
        }
        results.append(row)
        print(
            f"{engine:9} {row['people']:>9,} people {policies:>9,} policies  "
            f"raw bare {row['raw_bare_policies_per_s']:>9,}/s ({row['raw_bare_seconds']} s)  "
            f"raw same {row['raw_same_policies_per_s']:>9,}/s ({row['raw_same_seconds_before']}"
            f" / {row['raw_same_seconds_after']} s)  "
            f"enroll {row['enroll_policies_per_s']:>8,}/s ({row['enroll_seconds']} s, "
            f"{row['enroll_over_raw_same']}x raw same, {row['enroll_over_raw_listed']}x raw "
            f"listed {row['raw_listed_seconds']} s)  re-run {row['rerun_seconds']} s  "
            f"CLI re-run {row['cli_rerun_seconds']} s",
            flush=True,
        )
    write_results("insurance_enroll", results)


if __name__ == "__main__":
    main()
