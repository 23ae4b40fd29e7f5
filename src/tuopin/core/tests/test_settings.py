"""Settings read from the environment, checked in a fresh interpreter each time: keys are never
a public default, every SQLite database gets the concurrency options, and the documented
production configuration passes `tuopin check --deploy`."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

SECRET = "s" * 50
ID_KEY = "i" * 50
SHOW = (
    "import django, json; from django.conf import settings; django.setup(); "
    "print(json.dumps({'secret': settings.SECRET_KEY, 'id': settings.ID_HASH_KEY, "
    "'db': settings.DATABASES['default']}, default=str))"
)


def _env(home: Path, **extra: str) -> dict[str, str]:
    # DJANGO_ALLOW_ASYNC_UNSAFE: set by the Playwright tests in this process, never in production.
    drop = {"TUOPIN_SECRET_KEY", "TUOPIN_ID_HASH_KEY", "TUOPIN_LOCAL_KEYS", "DATABASE_URL"}
    drop |= {"DJANGO_ALLOW_ASYNC_UNSAFE"}
    env = {k: v for k, v in os.environ.items() if k not in drop and k != "TUOPIN_DEBUG"}
    env.update(TUOPIN_HOME=str(home), DJANGO_SETTINGS_MODULE="tuopin.settings", **extra)
    return env


def _settings(home: Path, **extra: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(  # noqa: S603
        [sys.executable, "-c", SHOW], env=_env(home, **extra), capture_output=True, text=True
    )


def test_it_refuses_to_start_without_keys(tmp_path: Path) -> None:
    result = _settings(tmp_path)
    assert result.returncode != 0
    assert "TUOPIN_SECRET_KEY is not set" in result.stderr


def test_it_refuses_a_secret_key_without_a_separate_id_hash_key(tmp_path: Path) -> None:
    result = _settings(tmp_path, TUOPIN_SECRET_KEY=SECRET)
    assert result.returncode != 0
    assert "TUOPIN_ID_HASH_KEY is not set" in result.stderr


def test_it_refuses_the_same_key_for_both(tmp_path: Path) -> None:
    result = _settings(tmp_path, TUOPIN_SECRET_KEY=SECRET, TUOPIN_ID_HASH_KEY=SECRET)
    assert result.returncode != 0
    assert "must differ" in result.stderr


def test_a_local_install_creates_its_keys_once_and_keeps_them(tmp_path: Path) -> None:
    first = _settings(tmp_path, TUOPIN_LOCAL_KEYS="true")
    assert first.returncode == 0, first.stderr
    again = _settings(tmp_path)  # the files are there now: no flag needed
    assert json.loads(first.stdout)["secret"] == json.loads(again.stdout)["secret"]
    keys = json.loads(again.stdout)
    assert keys["secret"] != keys["id"] and len(keys["secret"]) >= 50
    assert (tmp_path / "var" / "secret.key").stat().st_mode & 0o077 == 0


def test_keys_from_the_environment_win(tmp_path: Path) -> None:
    result = _settings(tmp_path, TUOPIN_SECRET_KEY=SECRET, TUOPIN_ID_HASH_KEY=ID_KEY)
    assert json.loads(result.stdout)["secret"] == SECRET
    assert not (tmp_path / "var" / "secret.key").exists()


@pytest.mark.parametrize("url", ["", "sqlite:///{home}/other.sqlite3"])
def test_every_sqlite_database_gets_wal_immediate_and_a_busy_timeout(
    tmp_path: Path, url: str
) -> None:
    extra = {"DATABASE_URL": url.format(home=tmp_path)} if url else {}
    result = _settings(tmp_path, TUOPIN_SECRET_KEY=SECRET, TUOPIN_ID_HASH_KEY=ID_KEY, **extra)
    db = json.loads(result.stdout)["db"]
    assert db["OPTIONS"]["transaction_mode"] == "IMMEDIATE"
    assert "journal_mode=WAL" in db["OPTIONS"]["init_command"]
    assert db["OPTIONS"]["timeout"] >= 20


def test_the_documented_production_configuration_passes_check_deploy(tmp_path: Path) -> None:
    env = _env(
        tmp_path,
        TUOPIN_SECRET_KEY="x7-" + "Qk2!p" * 12,
        TUOPIN_ID_HASH_KEY=ID_KEY,
        TUOPIN_HTTPS="true",
        TUOPIN_PROXY_SSL_HEADER="true",
        TUOPIN_ALLOWED_HOSTS="tuopin.example",
    )
    result = subprocess.run(  # noqa: S603
        [sys.executable, "-m", "tuopin.cli", "check", "--deploy", "--fail-level", "WARNING"],
        env=env,
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stderr + result.stdout
    assert "no issues" in result.stdout


def test_processes_starting_together_all_get_the_same_key(tmp_path: Path) -> None:
    env = _env(tmp_path, TUOPIN_LOCAL_KEYS="true")
    started = [
        subprocess.Popen(  # noqa: S603
            [sys.executable, "-c", SHOW], env=env, stdout=subprocess.PIPE, text=True
        )
        for _ in range(6)
    ]
    secrets = {json.loads(p.communicate()[0])["secret"] for p in started}
    assert len(secrets) == 1 and len(secrets.pop()) >= 50


def test_an_empty_key_file_is_refused_not_used(tmp_path: Path) -> None:
    (tmp_path / "var").mkdir()
    (tmp_path / "var" / "secret.key").write_text("\n")
    result = _settings(tmp_path, TUOPIN_LOCAL_KEYS="true")
    assert result.returncode != 0
    assert "no usable key" in result.stderr
