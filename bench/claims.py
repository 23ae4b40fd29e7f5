"""Benchmark: claims end to end per minute with one worker, and the near-duplicate photo search.

In a fresh migrated SQLite database (or PostgreSQL with --engines postgres):
  1. one poor county, one village of ~40 people, a programme with hospital cover, enrolled;
  2. C claims rendered beforehand (an inpatient invoice and a discharge summary each, the
     villagers' names, different seeds), not timed;
  3. raw baseline, same run: the recogniser alone on the same 2·C photos, one after another
     (the OCR engine loaded before timing) → the most claims a worker could read per minute;
  4. end to end, one process doing the worker's work in order (the immediate task backend):
     file the draft, add both photos (stored as evidence, read), submit (checked: the key
     claim factors, duplicate and near-duplicate look-ups), the adjuster approves and pays
     (ledger entries) → claims per minute;
  5. near duplicates: P photos' hashes stored (random 64-bit pHashes), then Q searches with
     `find_near_duplicates` (six indexed slice look-ups, then the distance) against the raw
     baseline of reading every hash and counting bits in Python; p50 per search.
Writes bench/out/claims.json.

    python bench/claims.py [--claims C] [--photos P] [--engines sqlite,postgres] [--pg URL]
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from common import fresh_database, write_results  # noqa: E402

COUNTY = "522634"
VILLAGE = "522634101201"


def p(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


def run(claims: int, photos: int) -> dict[str, object]:
    """Inside the project's settings, in a fresh database."""
    import datetime as dt
    import random

    import django

    django.setup()
    from django.utils import timezone

    from tuopin.accounts import roles
    from tuopin.accounts import services as accounts
    from tuopin.areas import services as areas
    from tuopin.documents import images
    from tuopin.documents.evidence import find_near_duplicates
    from tuopin.documents.models import Photo
    from tuopin.documents.recognition import recognise
    from tuopin.documents.synthetic import render_document
    from tuopin.documents.types import DocType
    from tuopin.insurance import services as insurance
    from tuopin.insurance.claims import services as claim_services
    from tuopin.insurance.models import CoverageItem, Policy, Programme
    from tuopin.registry import services as registry
    from tuopin.registry.synthetic import HEADER, RowGenerator, VillageSpec

    areas.create_areas(
        rows=[
            ("520000000000", "贵州省", None, None),
            ("522600000000", "黔东南苗族侗族自治州", None, None),
            (COUNTY + "000000", "雷山县", None, None),
            (COUNTY + "101000", "丹江镇", None, None),
            (VILLAGE, "小寨村", None, None),
        ]
    )
    areas.set_poverty_flags(code=COUNTY + "000000", national_poor=True, deep_poverty=True)
    year = timezone.localdate().year
    gen = RowGenerator(seed=2018, today=dt.date(year - 1, 12, 31))
    rows: list[list[str]] = []
    serial = 0
    while len(rows) < 40:
        serial += 1
        rows += gen.household(VillageSpec(code=VILLAGE, county_code=COUNTY), serial)
    with tempfile.TemporaryDirectory() as tmp:
        import csv

        path = Path(tmp) / "village.csv"
        with path.open("w", encoding="utf-8", newline="") as fh:
            w = csv.writer(fh)
            w.writerow(HEADER)
            w.writerows(rows)
        registry.import_registry(path=path)
    period = dt.date(year, 1, 1)
    programme = Programme.objects.create(
        slug="dlz",
        name="顶梁柱",
        sponsor="基金会",
        insurer="保险公司",
        premium_fen=5_000,
        min_age=0,
        max_age=100,
        starts_on=period,
        ends_on=dt.date(year, 12, 31),
        claim_audit_bp=0,
    )
    CoverageItem.objects.create(
        programme=programme,
        benefit="hospitalisation",
        per_claim_limit_fen=2_000_000,
        yearly_limit_fen=5_000_000,
        deductible_fen=50_000,
        reimbursement_bp=9_000,
    )
    insurance.enroll(programme_slug="dlz", period_start=period)
    cadre = accounts.create_user(username="cadre", role=roles.VILLAGE_CADRE, area_codes=[VILLAGE])
    adjuster = accounts.create_user(username="adjuster", role=roles.ADJUSTER)
    programme.adjusters.add(adjuster)
    policies = list(Policy.objects.select_related("person", "programme").order_by("id")[:claims])
    rendered = []
    for i, policy in enumerate(policies):
        start = dt.date(year, 3, 1) + dt.timedelta(days=i)
        stay = {
            "patient_name": policy.person.name,
            "admission_date": start.isoformat(),
            "discharge_date": (start + dt.timedelta(days=5)).isoformat(),
        }
        invoice = render_document(
            DocType.INPATIENT_INVOICE,
            {**stay, "invoice_number": f"5200{i:04d}", "total_amount": f"{3000 + 97 * i}.50"},
            seed=i,
        )
        summary = render_document(DocType.DISCHARGE_SUMMARY, stay, seed=500 + i)
        rendered.append((policy, invoice, summary))
    recognise(rendered[0][1])  # the engine loaded once, before timing

    raw: list[float] = []
    for _policy, invoice, summary in rendered:
        for data in (invoice, summary):
            t = time.perf_counter()
            recognise(data)
            raw.append(time.perf_counter() - t)

    outcomes: dict[str, int] = {}
    t0 = time.perf_counter()
    for policy, invoice, summary in rendered:
        claim = claim_services.create_claim(
            by=cadre, policy_no=policy.policy_no, benefit="hospitalisation"
        )
        for data in (invoice, summary):
            claim_services.add_document(by=cadre, claim_id=claim.pk, data=data)
        claim_services.submit_claim(by=cadre, claim_id=claim.pk)
        claim.refresh_from_db()
        outcomes[claim.recommendation] = outcomes.get(claim.recommendation, 0) + 1
        if claim.recommended_fen > 0:
            claim_services.decide_claim(by=adjuster, claim_id=claim.pk, approve=True)
            claim_services.pay_claim(by=adjuster, claim_id=claim.pk)
    end_to_end = time.perf_counter() - t0

    rng = random.Random(7)
    existing = Photo.objects.count()
    batch = []
    for i in range(photos):
        h = images.to_signed(rng.getrandbits(64))
        batch.append(
            Photo(
                sha256=f"{i:064x}",
                path=f"bench/{i}.jpg",
                media_type="image/jpeg",
                size_bytes=1,
                width=1,
                height=1,
                phash=h,
                **{f"band{j}": b for j, b in enumerate(images.bands(h))},
            )
        )
    Photo.objects.bulk_create(batch, batch_size=5_000)
    probes = [images.to_signed(rng.getrandbits(64)) for _ in range(50)]
    indexed, scanned = [], []
    for h in probes:
        t = time.perf_counter()
        find_near_duplicates(h)
        indexed.append(time.perf_counter() - t)
        t = time.perf_counter()
        [x for x in Photo.objects.values_list("phash", flat=True) if images.distance(x, h) <= 5]
        scanned.append(time.perf_counter() - t)
    return {
        "claims": len(rendered),
        "recommendations": outcomes,
        "raw_seconds_per_image_p50": round(p(raw, 0.5), 2),
        "raw_seconds_per_image_p95": round(p(raw, 0.95), 2),
        "raw_claims_per_minute": round(60 / (sum(raw) / len(rendered)), 2),
        "end_to_end_seconds": round(end_to_end, 1),
        "end_to_end_claims_per_minute": round(60 * len(rendered) / end_to_end, 2),
        "photos_stored": existing + photos,
        "near_duplicates_p50_ms": round(1000 * p(indexed, 0.5), 2),
        "full_scan_p50_ms": round(1000 * p(scanned, 0.5), 2),
    }


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--claims", type=int, default=6)
    ap.add_argument("--photos", type=int, default=100_000)
    ap.add_argument("--engines", default="sqlite")
    ap.add_argument("--pg", default="postgres://postgres@127.0.0.1:5432/tuopin_bench_claims")
    ap.add_argument("--child", action="store_true")
    args = ap.parse_args()
    if args.child:
        print(json.dumps(run(args.claims, args.photos)))
        return
    results = []
    for engine in args.engines.split(","):
        with tempfile.TemporaryDirectory() as home:
            env = fresh_database(engine, args.pg, Path(home))
            env["TUOPIN_TASKS"] = "immediate"
            env["TUOPIN_MEDIA_ROOT"] = str(Path(home) / "media")
            out = subprocess.run(
                [sys.executable, __file__, "--child", "--claims", str(args.claims)]
                + ["--photos", str(args.photos)],
                env=env,
                check=True,
                capture_output=True,
                text=True,
            )
            figures = {"engine": engine, **json.loads(out.stdout.strip().splitlines()[-1])}
            print(json.dumps(figures, ensure_ascii=False), flush=True)
            results.append(figures)
    write_results("claims", results)


if __name__ == "__main__":
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tuopin.settings")
    main()
