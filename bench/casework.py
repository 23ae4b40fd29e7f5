"""Field reports at county scale (issue 11): live aggregates of N 乌鸡 reports of one county and
month with drill-down (over the villages' running tallies), beside the same sums as raw SQL
GROUP BYs over every report's values; near-duplicate photo look-ups among M stored photos.

    .venv/bin/python bench/casework.py [--reports 1000000] [--photos 100000]
        [--engines postgres,sqlite] [--pg postgres://postgres@127.0.0.1:5432/tuopin_bench_casework]

The rows are written set-based in SQL (the bench measures reading, not filing: filing goes
through validation and photo storage one report at a time, as a cadre does).
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import sys
import tempfile
import time
from decimal import Decimal
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))
from common import fresh_database, write_results  # noqa: E402

COUNTY = "610727000000"
TOWNSHIPS, VILLAGES = 20, 25  # 500 villages
PERIOD = "2018-06-01"


def _timed(fn: Any, repeat: int = 5) -> tuple[float, Any]:
    times, result = [], None
    for _ in range(repeat):
        t = time.perf_counter()
        result = fn()
        times.append(time.perf_counter() - t)
    return statistics.median(times), result


def _areas() -> list[str]:
    from tuopin.areas import services as areas

    rows: list[tuple[str, str, Decimal | None, Decimal | None]] = [
        ("610000000000", "陕西省", None, None),
        ("610700000000", "汉中市", None, None),
        (COUNTY, "略阳县", Decimal("106.16"), Decimal("33.33")),
    ]
    villages = []
    for t in range(TOWNSHIPS):
        tcode = f"610727{101 + t:03d}000"
        rows.append((tcode, f"镇{t}", None, None))
        for v in range(VILLAGES):
            vcode = f"{tcode[:9]}{201 + v:03d}"
            rows.append((vcode, f"村{t}-{v}", None, None))
            villages.append(vcode)
    areas.create_areas(rows=rows)
    return villages


def _fill(n: int, villages: list[str]) -> Any:
    from django.db import connection

    from tuopin.accounts import roles
    from tuopin.accounts import services as accounts
    from tuopin.casework.seed import seed_report_types

    rt = {t.slug: t for t in seed_report_types()}["black-chicken"]
    fields = {f.key: f.pk for f in rt.fields.all()}
    user = accounts.create_user(username="bench", role=roles.COUNTY_OFFICER, area_codes=[COUNTY])
    vendor = connection.vendor
    with connection.cursor() as c:
        if vendor == "postgresql":
            series = "generate_series(0, %s - 1) AS g(i)"
        else:
            series = (
                "(WITH RECURSIVE g(i) AS (SELECT 0 UNION ALL SELECT i + 1 FROM g WHERE i + 1 < %s)"
                " SELECT i FROM g) AS g"
            )
        now = "CURRENT_TIMESTAMP"
        c.execute(
            "CREATE TEMPORARY TABLE bench_v (k integer PRIMARY KEY, code varchar(12))",
        )
        c.executemany("INSERT INTO bench_v (k, code) VALUES (%s, %s)", list(enumerate(villages)))
        c.execute(
            f"""INSERT INTO casework_submission (status, steps, step_index, step_area,
                report_type_id, area_code, period_start, household_id, person_id, filed_by_id,
                filed_at, due_at, salt, content_hash, forwarded)
            SELECT 'pending', '', 0, '', %s, v.code, %s, NULL, NULL, %s, {now}, {now}, '', '',
                false
            FROM {series} JOIN bench_v v ON v.k = g.i %% %s""",
            [rt.pk, PERIOD, user.pk, n, len(villages)],
        )
        c.execute(
            """INSERT INTO casework_value (submission_id, field_id, area_code, period_start,
                counted, number, text, date, ref)
            SELECT s.id, %s, s.area_code, s.period_start, true, (s.id * 7919) %% 400, '', NULL,
                NULL FROM casework_submission s""",
            [fields["birds"]],
        )
        c.execute(
            """INSERT INTO casework_value (submission_id, field_id, area_code, period_start,
                counted, number, text, date, ref)
            SELECT s.id, %s, s.area_code, s.period_start, true, NULL,
                CASE s.id %% 3 WHEN 0 THEN '良好' WHEN 1 THEN '一般' ELSE '较差' END, NULL, NULL
            FROM casework_submission s""",
            [fields["growth"]],
        )
        c.execute("ANALYZE")
    return rt, user, fields


def _raw(fields: dict[str, int], prefix: str, width: int) -> list[Any]:
    """The baseline: the same sums and counts as one GROUP BY each, no ORM."""
    from django.db import connection

    out = []
    with connection.cursor() as c:
        c.execute(
            """SELECT substr(area_code, 1, %s), count(*) FROM casework_submission
            WHERE report_type_id = (SELECT report_type_id FROM casework_reportfield WHERE id = %s)
              AND period_start = %s AND area_code LIKE %s AND status <> 'rejected' GROUP BY 1""",
            [width, fields["birds"], PERIOD, prefix + "%"],
        )
        out.append(c.fetchall())
        c.execute(
            """SELECT substr(area_code, 1, %s), sum(number) FROM casework_value
            WHERE field_id = %s AND period_start = %s AND area_code LIKE %s AND counted
            GROUP BY 1""",
            [width, fields["birds"], PERIOD, prefix + "%"],
        )
        out.append(c.fetchall())
        c.execute(
            """SELECT substr(area_code, 1, %s), text, count(*) FROM casework_value
            WHERE field_id = %s AND period_start = %s AND area_code LIKE %s AND counted
            GROUP BY 1, 2""",
            [width, fields["growth"], PERIOD, prefix + "%"],
        )
        out.append(c.fetchall())
    return out


def _photos(m: int) -> list[int]:
    from tuopin.documents import images
    from tuopin.documents.models import Photo

    rng = random.Random(2018)
    hashes = [images.to_signed(rng.getrandbits(64)) for _ in range(m)]
    batch = []
    for i, h in enumerate(hashes):
        batch.append(
            Photo(
                sha256=f"{i:064x}",
                path=f"evidence/{i}.jpg",
                media_type="image/jpeg",
                size_bytes=1,
                width=640,
                height=480,
                phash=h,
                **{f"band{k}": b for k, b in enumerate(images.bands(h))},
            )
        )
        if len(batch) == 10_000:
            Photo.objects.bulk_create(batch)
            batch = []
    Photo.objects.bulk_create(batch)
    return hashes


def run(engine: str, n: int, m: int, pg: str) -> dict[str, Any]:
    home = Path(tempfile.mkdtemp(prefix="bench-casework-"))
    env = fresh_database(engine, pg, home)
    os.environ.update(env)
    if engine == "sqlite":
        os.environ.pop("DATABASE_URL", None)
    import django
    from django.db import connections

    django.setup()
    for conn in connections.all():
        conn.close()

    from tuopin.casework import aggregates, tallies
    from tuopin.documents import evidence

    t = time.perf_counter()
    villages = _areas()
    rt, user, fields = _fill(n, villages)
    fill_s = time.perf_counter() - t
    t = time.perf_counter()
    tally_rows = tallies.rebuild()  # what filing one by one keeps in step as it goes
    rebuild_s = time.perf_counter() - t
    township = villages[0][:9] + "000"
    county_s, agg = _timed(
        lambda: aggregates.aggregate(user, rt, area_code=COUNTY, period_start=_period())
    )
    township_s, _t = _timed(
        lambda: aggregates.aggregate(user, rt, area_code=township, period_start=_period())
    )
    village_s, _v = _timed(
        lambda: aggregates.aggregate(user, rt, area_code=villages[0], period_start=_period())
    )
    raw_county_s, raw = _timed(lambda: _raw(fields, COUNTY[:6], 9))
    raw_township_s, _r = _timed(lambda: _raw(fields, township[:9], 12))
    assert agg.total.reports == n, agg.total.reports
    assert agg.total.totals["birds"] == sum(s for _p, s in raw[1])
    assert {r.code[:9]: r.reports for r in agg.rows} == {p: c for p, c in raw[0]}

    t = time.perf_counter()
    hashes = _photos(m)
    photos_s = time.perf_counter() - t
    rng = random.Random(7)
    lookups = []
    for i in range(200):
        h = hashes[rng.randrange(len(hashes))]
        if i % 2:  # a near copy: three bits flipped
            u = h & 0xFFFFFFFFFFFFFFFF
            for b in rng.sample(range(64), 3):
                u ^= 1 << b
            h = u - (1 << 64) if u >= 1 << 63 else u
        else:
            h = rng.getrandbits(63)
        t = time.perf_counter()
        found = evidence.find_near_duplicates(h)
        lookups.append(time.perf_counter() - t)
        if i % 2:
            assert found, "a near copy must be found"
    return {
        "engine": engine,
        "reports": n,
        "values": 2 * n,
        "fill_s": round(fill_s, 1),
        "tally_rows": tally_rows,
        "tally_rebuild_s": round(rebuild_s, 1),
        "county_ms": round(county_s * 1000, 1),
        "township_ms": round(township_s * 1000, 1),
        "village_ms": round(village_s * 1000, 1),
        "raw_county_ms": round(raw_county_s * 1000, 1),
        "raw_township_ms": round(raw_township_s * 1000, 1),
        "photos": m,
        "photos_fill_s": round(photos_s, 1),
        "lookup_ms_median": round(statistics.median(lookups) * 1000, 2),
        "lookup_ms_p95": round(sorted(lookups)[int(len(lookups) * 0.95)] * 1000, 2),
    }


def _period() -> Any:
    import datetime as dt

    return dt.date.fromisoformat(PERIOD)


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__)
    p.add_argument("--reports", type=int, default=1_000_000)
    p.add_argument("--photos", type=int, default=100_000)
    p.add_argument("--engine", default="postgres", choices=["postgres", "sqlite"])
    p.add_argument("--pg", default="postgres://postgres@127.0.0.1:5432/tuopin_bench_casework")
    a = p.parse_args()
    result = run(a.engine.replace("postgres", "postgresql"), a.reports, a.photos, a.pg)
    print(result)
    write_results(f"casework-{a.engine}", [result])


if __name__ == "__main__":
    main()
