"""What the benchmarks share: a fresh database of either engine, and the environment to use it."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

BIN = Path(sys.executable).parent


def fresh_database(engine: str, pg_url: str, home: Path) -> dict[str, str]:
    """Drop and create the engine's benchmark database, migrate it, return the environment."""
    (home / "var").mkdir(parents=True, exist_ok=True)
    # A throw-away single-machine install: its keys are generated under its var/.
    env = dict(
        os.environ,
        TUOPIN_HOME=str(home),
        DJANGO_SETTINGS_MODULE="tuopin.settings",
        TUOPIN_LOCAL_KEYS="true",
    )
    env.pop("DATABASE_URL", None)
    if engine == "sqlite":
        for suffix in ("", "-wal", "-shm"):
            (home / "var" / f"tuopin.sqlite3{suffix}").unlink(missing_ok=True)
    else:
        import psycopg

        base, name = pg_url.rsplit("/", 1)
        with psycopg.connect(f"{base}/postgres", autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}"')
            conn.execute(f'CREATE DATABASE "{name}"')
        env["DATABASE_URL"] = pg_url
    subprocess.run([str(BIN / "tuopin"), "migrate", "-v", "0"], env=env, check=True)
    return env


def write_results(name: str, results: list[dict[str, object]]) -> None:
    """``bench/out/<name>.json``: the figures with the machine they were measured on."""
    import json
    import platform

    out = Path(__file__).resolve().parent / "out"
    out.mkdir(parents=True, exist_ok=True)
    machine = {
        "cpus": os.cpu_count(),
        "python": platform.python_version(),
        "platform": platform.platform(),
    }
    (out / f"{name}.json").write_text(
        json.dumps({"machine": machine, "results": results}, indent=2)
    )
