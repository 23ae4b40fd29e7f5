"""Registry upkeep at county scale (issue 18): the year's review (动态调整) opened for a county
of 100,000 people (every household gets its review item, set-based), beside the raw floor of
copying the same household rows once with INSERT … SELECT; the near-duplicate search through
the access layer over that county (blocked set-based in SQL) with its precision and recall on
planted duplicates, beside the raw floor of one plain ``GROUP BY`` name, birth date over the
same people in the same run; optionally (engine ``pure``) the search in memory over N
generated people beside one pass that only groups them by birth date.

    .venv/bin/python bench/registry_upkeep.py [--people 100000] [--search 1000000]
        [--engines postgres,sqlite,pure] [--no-review]
        [--pg postgres://postgres@127.0.0.1:5432/tuopin_bench_upkeep]
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
from collections import defaultdict
from decimal import Decimal
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))
from common import fresh_database, write_results  # noqa: E402

COUNTY = "610727000000"
TOWNSHIPS, VILLAGES = 20, 25  # 500 villages


def _areas() -> list[str]:
    from tuopin.areas import services as areas

    rows: list[tuple[str, str, Decimal | None, Decimal | None]] = [
        ("610000000000", "陕西省", None, None),
        ("610700000000", "汉中市", None, None),
        (COUNTY, "略阳县", None, None),
    ]
    villages = []
    for t in range(TOWNSHIPS):
        tcode = f"610727{101 + t:03d}000"
        rows.append((tcode, f"镇{t}", None, None))
        for v in range(VILLAGES):
            rows.append((f"{tcode[:9]}{201 + v:03d}", f"村{t}-{v}", None, None))
            villages.append(f"{tcode[:9]}{201 + v:03d}")
    areas.create_areas(rows=rows)
    return villages


def _fill(n: int, villages: list[str]) -> set[tuple[int, int]]:
    """The generated population as households and people (explicit ids: a person's id is its
    record's id), written in batches of executemany: the bench measures the review and the
    search, not the import."""
    from django.db import connection
    from django.utils import timezone

    from tuopin.registry.neardup_synthetic import population

    people, planted = population(n, seed=18, duplicates=0.01)
    now = connection.ops.adapt_datetimefield_value(timezone.now())
    households: dict[int, str] = {}
    for r in people:
        households.setdefault(r.household, villages[r.household % len(villages)])
    statuses = ("poor", "lifted", "returned")
    with connection.cursor() as c:
        c.executemany(
            "INSERT INTO registry_household (id, household_no, village_code, address,"
            " household_type, poverty_cause, status, status_year, head_name, member_count,"
            " created_at, updated_at) VALUES (%s, %s, %s, '', 'general', 'illness', %s, NULL,"
            " '', 0, %s, %s)",
            [(h, f"H{h:08d}", v, statuses[h % 3], now, now) for h, v in households.items()],
        )
        seen: set[int] = set()
        rows = []
        for r in people:
            head = r.household not in seen
            seen.add(r.household)
            rows.append(
                (
                    r.id,
                    r.household,
                    households[r.household],
                    r.name,
                    r.id_number,
                    r.id_number,
                    "M" if int(r.id_number[16]) % 2 else "F",
                    r.birth,
                    "head" if head else "other",
                    r.phone,
                    now,
                    now,
                )
            )
        for i in range(0, len(rows), 20_000):
            c.executemany(
                "INSERT INTO registry_person (id, household_id, village_code, name, id_number,"
                " id_hash, sex, birth_date, relation, education, health, student_status, phone,"
                " status, left_on, created_at, updated_at) VALUES (%s, %s, %s, %s, %s, %s, %s,"
                " %s, %s, '', '', '', %s, 'present', NULL, %s, %s)",
                rows[i : i + 20_000],
            )
        if connection.vendor == "postgresql":
            for table in ("registry_household", "registry_person"):
                c.execute(
                    f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), (SELECT max(id) FROM {table}))"  # noqa: S608
                )
        c.execute("ANALYZE")
    from tuopin.registry.importing import refresh_household_summaries

    refresh_household_summaries(sorted(households))
    return planted


def _raw_copy() -> float:
    """The floor: the county's household rows copied once into a scratch table."""
    from django.db import connection

    with connection.cursor() as c:
        c.execute(
            "CREATE TEMPORARY TABLE bench_copy (round_id int, household_id int, village_code varchar(12), status varchar(16), members int)"
        )
        t = time.perf_counter()
        c.execute(
            "INSERT INTO bench_copy SELECT 1, id, village_code, status, member_count"
            " FROM registry_household WHERE village_code LIKE %s",
            ["610727%"],
        )
        return time.perf_counter() - t


def _raw_group_by() -> float:
    """The floor of any blocking: one plain GROUP BY on a blocking key over the county."""
    from django.db import connection

    with connection.cursor() as c:
        t = time.perf_counter()
        c.execute(
            "SELECT COUNT(*) FROM (SELECT name, birth_date FROM registry_person"
            " WHERE village_code LIKE %s GROUP BY name, birth_date HAVING COUNT(*) > 1) g",
            ["610727%"],
        )
        c.fetchone()
        return time.perf_counter() - t


def run_db(engine: str, n: int, pg: str, review_too: bool = True) -> dict[str, Any]:
    home = Path(tempfile.mkdtemp(prefix="bench-upkeep-"))
    env = fresh_database(engine, pg, home)
    os.environ.update(env)
    if engine == "sqlite":
        os.environ.pop("DATABASE_URL", None)
    import django
    from django.db import connections

    django.setup()
    for conn in connections.all():
        conn.close()
    from tuopin.accounts import roles
    from tuopin.accounts import services as accounts
    from tuopin.registry import neardup
    from tuopin.registry.models import ReviewItem
    from tuopin.registry.upkeep import duplicates, review

    villages = _areas()
    t = time.perf_counter()
    planted = _fill(n, villages)
    fill_s = time.perf_counter() - t
    officer = accounts.create_user(username="bench", role=roles.COUNTY_OFFICER, area_codes=[COUNTY])
    raw_s = open_s = 0.0
    items = 0
    if review_too:
        raw_s = _raw_copy()
        t = time.perf_counter()
        rnd = review.open_review(county=COUNTY, year=2018, line_fen=330_000, by=officer)
        open_s = time.perf_counter() - t
        items = ReviewItem.objects.filter(round=rnd).count()
    group_by_s = _raw_group_by()
    t = time.perf_counter()
    found = duplicates.find_for(officer, area=COUNTY, limit=10**9)
    search_s = time.perf_counter() - t
    precision, recall = neardup.precision_recall(((p.a, p.b) for p, _a, _b in found.pairs), planted)
    return {
        "engine": engine,
        "people": found.compared,
        "fill_s": round(fill_s, 1),
        "review_items": items,
        "open_review_s": round(open_s, 2),
        "raw_copy_s": round(raw_s, 2),
        "raw_group_by_s": round(group_by_s, 2),
        "search_db_s": round(search_s, 2),
        "load_average": [round(x, 1) for x in os.getloadavg()],
        "pairs": len(found.pairs),
        "planted": len(planted),
        "precision": round(precision, 4),
        "recall": round(recall, 4),
    }


def run_pure(n: int) -> dict[str, Any]:
    from tuopin.registry import neardup
    from tuopin.registry.neardup_synthetic import population

    t = time.perf_counter()
    people, planted = population(n, seed=2018, duplicates=0.01)
    gen_s = time.perf_counter() - t
    t = time.perf_counter()
    by_birth: dict[str, list[Any]] = defaultdict(list)
    for r in people:
        by_birth[r.birth].append(r)
    floor_s = time.perf_counter() - t
    del by_birth
    t = time.perf_counter()
    pairs = neardup.find_pairs(people)
    search_s = time.perf_counter() - t
    precision, recall = neardup.precision_recall(((p.a, p.b) for p in pairs), planted)
    return {
        "engine": "pure",
        "people": len(people),
        "generate_s": round(gen_s, 1),
        "group_by_birth_s": round(floor_s, 2),
        "search_s": round(search_s, 1),
        "pairs": len(pairs),
        "planted": len(planted),
        "precision": round(precision, 4),
        "recall": round(recall, 4),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--people", type=int, default=100_000)
    parser.add_argument("--search", type=int, default=1_000_000)
    parser.add_argument("--engines", default="postgres,sqlite")
    parser.add_argument("--no-review", action="store_true", help="only the duplicate search")
    parser.add_argument("--pg", default="postgres://postgres@127.0.0.1:5432/tuopin_bench_upkeep")
    parser.add_argument("--child", default="")
    args = parser.parse_args()
    if args.child:  # one engine per process: Django is set up once per process
        import json

        out = (
            run_pure(args.search)
            if args.child == "pure"
            else run_db(args.child, args.people, args.pg, not args.no_review)
        )
        print("RESULT " + json.dumps(out))  # noqa: T201
        return
    import json
    import subprocess

    results = []
    for engine in [e for e in args.engines.split(",") if e]:
        cmd = [
            sys.executable,
            __file__,
            "--child",
            engine,
            "--people",
            str(args.people),
            "--search",
            str(args.search),
            "--pg",
            args.pg,
            *(["--no-review"] if args.no_review else []),
        ]
        proc = subprocess.run(cmd, capture_output=True, text=True, check=True)
        line = next(x for x in proc.stdout.splitlines() if x.startswith("RESULT "))
        result = json.loads(line[7:])
        results.append(result)
        print(json.dumps(result, ensure_ascii=False))  # noqa: T201
    write_results("registry_upkeep", results)


if __name__ == "__main__":
    main()
