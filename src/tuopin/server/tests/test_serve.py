"""`tuopin serve` for real: gunicorn answers with hashed static names, the signer signs new
entries by itself, and SIGTERM stops everything with status 0. One SQLite install in a
temporary home, whatever database the rest of the suite runs on."""

from __future__ import annotations

import json
import os
import re
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _tuopin(home: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(  # noqa: S603
        [sys.executable, "-m", "tuopin.cli", *args],
        env=_env(home),
        capture_output=True,
        text=True,
        check=True,
    )


def _env(home: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in {"DATABASE_URL", "TUOPIN_DEBUG"}}
    env.update(
        # A database named by URL: it must get the same SQLite options as the default one.
        DATABASE_URL=f"sqlite:///{home}/named.sqlite3",
        TUOPIN_HOME=str(home),
        TUOPIN_MANIFEST_STATIC="true",
        TUOPIN_LEDGER_KEY_FILE=str(home / "var" / "ledger.key"),
    )
    return env


def _get(url: str) -> tuple[int, str]:
    with urllib.request.urlopen(url, timeout=10) as resp:  # noqa: S310 - loopback only
        return resp.status, resp.read().decode()


@pytest.fixture(scope="module")
def install(tmp_path_factory: pytest.TempPathFactory) -> Path:
    home = tmp_path_factory.mktemp("serve")
    _tuopin(home, "migrate", "--no-input", "-v", "0")
    _tuopin(home, "ledger", "keygen")
    _tuopin(home, "ledger", "append", "--kind", "note", "--payload", json.dumps({"n": 1}))
    _tuopin(home, "accounts", "create", "platform", "--role", "operator", "--password", "pw-op-1")
    for script in (OPEN_CAMPAIGN, OPEN_FOREST):
        subprocess.run(  # noqa: S603
            [sys.executable, "-c", script], env=_env(home), check=True, capture_output=True
        )
    return home


OPEN_CAMPAIGN = """
import datetime as dt, django
django.setup()
from tuopin.charity.models import Campaign
Campaign.objects.create(slug="c", title="c", programme_name="c", goal_fen=10**9,
    starts_on=dt.date(2020, 1, 1), ends_on=dt.date(2099, 1, 1), status="open")
"""

OPEN_FOREST = """
import datetime as dt, django
django.setup()
from django.utils import timezone
from tuopin.accounts import roles, services as accounts
from tuopin.accounts.models import User
from tuopin.areas import services as areas
from tuopin.areas.models import Area
from tuopin.forest import services as forest
from tuopin.forest.models import Project
areas.create_areas(rows=[("510000000000", "四川省", None, None),
    ("510700000000", "绵阳市", None, None), ("510727000000", "平武县", 104.53, 32.41)])
op = accounts.create_user(username="forester", role=roles.OPERATOR)
partner = accounts.create_user(username="partner", role=roles.PARTNER)
forest.seed_action_types()
forest.create_project(by=op, project=Project(slug="guanba", kind="area", name="关坝",
    county=Area.objects.get(code="510727000000"), energy_per_unit_g=80, units_total=2,
    opens_at=timezone.now(), shards=2))
forest.open_project(by=op, slug="guanba")
for i in range(3):
    u = User.objects.create_user(username=f"g{i}")
    forest.report_action(by=partner, key=f"s{i}", username=u.username, action_type="bus",
        units=1, at=timezone.now() - dt.timedelta(hours=30))
    forest.collect_all(by=u)
"""


# One server for the module (migrating an install takes seconds); the SIGTERM test goes last.
@pytest.fixture(scope="module")
def served(install: Path) -> Iterator[tuple[str, subprocess.Popen[str]]]:
    port = _free_port()
    proc = subprocess.Popen(  # noqa: S603
        [sys.executable, "-m", "tuopin.cli", "serve", f"127.0.0.1:{port}"]
        + ["--workers", "2", "--threads", "8", "--sign-every", "0.5"],
        env=_env(install),
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    base = f"http://127.0.0.1:{port}"
    for _ in range(450):  # up to 90 s for gunicorn to listen (a loaded 2-core machine)
        try:
            _get(base + "/ledger/checkpoint")
            break
        except OSError:
            time.sleep(0.2)
    yield base, proc
    if proc.poll() is None:
        proc.kill()
        proc.wait()


def _checkpoint_size(base: str) -> int:
    try:
        status, text = _get(base + "/ledger/checkpoint")
    except OSError:
        return -1
    return int(text.splitlines()[1]) if status == 200 else -1


def test_it_serves_pages_with_hashed_static_files(
    served: tuple[str, subprocess.Popen[str]],
) -> None:
    base, _proc = served
    status, page = _get(base + "/campaigns/")
    assert status == 200
    css = re.search(r"/static/tuopin/site\.[0-9a-f]{12}\.css", page)
    assert css is not None, "no content-hashed stylesheet"
    status, _body = _get(base + css.group(0))
    assert status == 200


def test_it_signs_new_entries_by_itself(served: tuple[str, subprocess.Popen[str]]) -> None:
    base, _proc = served
    for _ in range(100):  # the signer runs every 0.5 s
        if _checkpoint_size(base) == 1:
            break
        time.sleep(0.2)
    assert _checkpoint_size(base) == 1


def test_concurrent_donation_notifications_are_all_recorded(
    install: Path, served: tuple[str, subprocess.Popen[str]]
) -> None:
    base, _proc = served
    token = _tuopin(install, "accounts", "token", "platform").stdout.strip()

    def notify(n: int) -> int:
        body = json.dumps(
            {"campaign": "c", "channel": "online", "amount_fen": 100 + n, "payment_ref": f"p{n}"}
        ).encode()
        request = urllib.request.Request(  # noqa: S310 - loopback only
            base + "/api/v1/charity/donations",
            data=body,
            headers={"Content-Type": "application/json", "Authorization": f"Bearer {token}"},
        )
        with urllib.request.urlopen(request, timeout=60) as resp:  # noqa: S310
            return int(resp.status)

    with ThreadPoolExecutor(max_workers=40) as pool:
        answers = list(pool.map(notify, range(40)))
    assert answers == [201] * 40


def test_the_flash_front_answers_adoptions_and_relays_the_rest(
    install: Path, served: tuple[str, subprocess.Popen[str]]
) -> None:
    base, _proc = served

    def adopt(username: str) -> tuple[int, str | None]:
        token = _tuopin(install, "accounts", "token", username).stdout.strip()
        request = urllib.request.Request(  # noqa: S310 - loopback only
            base + "/api/v1/forest/projects/guanba/adoptions",
            data=json.dumps({"units": 1, "key": "flash"}).encode(),
            headers={"Content-Type": "application/json", "Authorization": f"Bearer {token}"},
        )
        try:
            with urllib.request.urlopen(request, timeout=60) as resp:  # noqa: S310
                return int(resp.status), resp.headers.get("Server")
        except urllib.error.HTTPError as e:
            return e.code, e.headers.get("Server")

    answers = [adopt(f"g{i}") for i in range(3)]
    # Answered by the front (gunicorn names itself in "Server"; the front does not) ...
    assert answers == [(201, None), (201, None), (409, None)]
    # ... and everything else by gunicorn behind it.
    with urllib.request.urlopen(base + "/campaigns/", timeout=10) as resp:  # noqa: S310
        assert resp.headers.get("Server") == "gunicorn"


def test_it_stops_cleanly_on_sigterm(served: tuple[str, subprocess.Popen[str]]) -> None:
    base, proc = served
    proc.send_signal(signal.SIGTERM)
    out, _err = proc.communicate(timeout=60)
    assert proc.returncode == 0, out
    assert "stopped web" in out and "stopped signer" in out and "stopped worker" in out
    assert "stopped front" in out
    with pytest.raises(OSError):
        _get(base + "/campaigns/")


def test_it_refuses_to_serve_without_a_ledger_key(tmp_path: Path) -> None:
    result = subprocess.run(  # noqa: S603
        [sys.executable, "-m", "tuopin.cli", "serve", "--dry-run"],
        env=_env(tmp_path),
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode != 0
    assert "ledger keygen" in result.stderr
