"""Benchmark: document recognition per image on the committed synthetic photos.

Two child processes in one run, each loading its OCR engine once and then reading every photo:
  - **recognise**: ``tuopin.documents.recognition.recognise(path)`` — loading, orientation,
    seal removal, OCR, classification, field extraction;
  - **raw**: bare RapidOCR (its default settings) on the same files, no preprocessing and no
    extraction: the baseline.
Per image: p50/p95 wall seconds and mean CPU seconds; engine load time; each child's peak
memory (max RSS). Also the key-field accuracy of ``recognise`` on the same photos.
Writes bench/out/recognition.json.

    python bench/recognition.py [--dir DIR] [--repeat N]
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import statistics
import subprocess
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from common import write_results  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = ROOT / "src" / "tuopin" / "documents" / "fixtures" / "recognition"


def child(kind: str, directory: Path, repeat: int) -> dict[str, object]:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tuopin.settings")
    os.environ.setdefault("TUOPIN_LOCAL_KEYS", "true")
    import django

    django.setup()
    truth = json.loads((directory / "truth.json").read_text(encoding="utf-8"))
    files = [directory / t["file"] for t in truth]
    t0 = time.perf_counter()
    if kind == "recognise":
        from tuopin.documents.recognition import engine, recognise

        engine.get_engine()

        def run(path: Path) -> object:
            return recognise(path)
    else:
        from rapidocr_onnxruntime import RapidOCR

        raw = RapidOCR()

        def run(path: Path) -> object:
            return raw(str(path))

    load_s = time.perf_counter() - t0
    walls, cpus, right, total = [], [], 0, 0
    for _ in range(repeat):
        for t, path in zip(truth, files, strict=True):
            w, c = time.perf_counter(), time.process_time()
            result = run(path)
            walls.append(time.perf_counter() - w)
            cpus.append(time.process_time() - c)
            if kind == "recognise":
                got = result.values()  # type: ignore[attr-defined]
                total += len(t["fields"])
                right += sum(got.get(k) == v for k, v in t["fields"].items())
    walls.sort()
    return {
        "kind": kind,
        "images": len(walls),
        "engine_load_s": round(load_s, 2),
        "p50_s": round(statistics.median(walls), 2),
        "p95_s": round(walls[min(len(walls) - 1, int(0.95 * len(walls)))], 2),
        "mean_cpu_s": round(statistics.mean(cpus), 2),
        "peak_rss_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024),
        "key_fields_right": f"{right}/{total}" if total else None,
        "load_average_1m": round(os.getloadavg()[0], 1),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--dir", type=Path, default=FIXTURES, help="photos and truth.json")
    parser.add_argument("--repeat", type=int, default=1)
    parser.add_argument("--child", choices=("recognise", "raw"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        print(json.dumps(child(args.child, args.dir, args.repeat)))
        return
    results = []
    for kind in ("raw", "recognise"):
        out = subprocess.run(
            [
                sys.executable,
                __file__,
                "--child",
                kind,
                "--dir",
                str(args.dir),
                "--repeat",
                str(args.repeat),
            ],
            check=True,
            capture_output=True,
            text=True,
        ).stdout
        results.append(json.loads(out.strip().splitlines()[-1]))
    print(
        f"{'':<10} {'images':>6} {'load s':>7} {'p50 s':>6} {'p95 s':>6} {'cpu s':>6} {'RSS MB':>7}  fields  load avg"
    )
    for r in results:
        print(
            f"{r['kind']:<10} {r['images']:>6} {r['engine_load_s']:>7} {r['p50_s']:>6} {r['p95_s']:>6}"
            f" {r['mean_cpu_s']:>6} {r['peak_rss_mb']:>7}  {r['key_fields_right'] or '—':>6}  {r['load_average_1m']}"
        )
    write_results("recognition", results)


if __name__ == "__main__":
    main()
