"""The supervisor behind `tuopin serve`: restarts a child that dies, gives up on one that keeps
dying, and stops every child on SIGTERM. Real processes (Python one-liners), no mocks."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import textwrap
import threading
import time
from pathlib import Path

import pytest

from tuopin.server.supervisor import Child, Supervisor


def _py(code: str) -> list[str]:
    return [sys.executable, "-c", textwrap.dedent(code)]


def test_it_restarts_a_child_that_exits(tmp_path: Path) -> None:
    marks = tmp_path / "starts"
    # Each start appends a line and exits at once: the supervisor starts it again each time,
    # then gives up after max_restarts.
    child = Child("flaky", _py(f"open({str(marks)!r}, 'a').write('x\\n')"))
    status = Supervisor([child], max_restarts=3, window=60, poll=0.05, pause=0.01).run()
    assert status == 1
    assert marks.read_text().count("x") == 4  # the first start and three restarts


def test_it_stops_all_children_on_sigterm(tmp_path: Path) -> None:
    pids = tmp_path / "pids"
    sleeper = _py(
        f"""
        import os, time
        open({str(pids)!r}, 'a').write(str(os.getpid()) + '\\n')
        time.sleep(60)
        """
    )
    sup = Supervisor([Child("a", sleeper), Child("b", sleeper)], poll=0.05, stop_timeout=5)

    def stop_when_both_started() -> None:
        while not pids.exists() or len(pids.read_text().split()) < 2:
            time.sleep(0.05)
        os.kill(os.getpid(), signal.SIGTERM)

    # signal.signal works only in the main thread: the supervisor runs there, a thread signals.
    timer = threading.Thread(target=stop_when_both_started)
    timer.start()
    status = sup.run()
    timer.join()
    assert status == 0
    started = [int(p) for p in pids.read_text().split()]
    assert len(started) == 2
    for pid in started:
        assert not _running(pid)


def test_it_kills_a_child_that_ignores_sigterm(tmp_path: Path) -> None:
    ready = tmp_path / "ready"
    stubborn = _py(
        f"""
        import signal, time
        signal.signal(signal.SIGTERM, signal.SIG_IGN)
        open({str(ready)!r}, 'w').write('1')
        time.sleep(60)
        """
    )
    sup = Supervisor([Child("stubborn", stubborn)], poll=0.05, stop_timeout=0.5)

    def stop_when_ready() -> None:
        while not ready.exists():
            time.sleep(0.05)
        os.kill(os.getpid(), signal.SIGTERM)

    timer = threading.Thread(target=stop_when_ready)
    timer.start()
    assert sup.run() == 0
    timer.join()
    child = sup.children[0].process
    assert child is not None and child.returncode == -signal.SIGKILL


def _running(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    # A zombie still answers kill 0; ask ps for its state.
    state = subprocess.run(  # noqa: S603
        ["ps", "-o", "stat=", "-p", str(pid)],  # noqa: S607
        capture_output=True,
        text=True,
        check=False,
    ).stdout.strip()
    return bool(state) and not state.startswith("Z")


def test_a_child_dies_with_a_supervisor_killed_outright(tmp_path: Path) -> None:
    pids = tmp_path / "pids"
    script = tmp_path / "sup.py"
    script.write_text(
        textwrap.dedent(
            f"""
            import sys
            from tuopin.server.supervisor import Child, Supervisor
            sleeper = [sys.executable, "-c",
                       "import os, time; open({str(pids)!r}, 'w').write(str(os.getpid())); "
                       "time.sleep(60)"]
            Supervisor([Child("sleeper", sleeper)], poll=0.05).run()
            """
        )
    )
    sup = subprocess.Popen([sys.executable, str(script)])  # noqa: S603
    while not pids.exists() or not pids.read_text():
        time.sleep(0.05)
    child = int(pids.read_text())
    sup.kill()  # SIGKILL: the supervisor cannot stop its children itself
    sup.wait()
    for _ in range(100):
        if not _running(child):
            break
        time.sleep(0.05)
    assert not _running(child)


def test_serve_runs_the_forest_certifier_beside_the_worker() -> None:
    from tuopin.server import plan

    def names(worker: bool) -> list[str]:
        found = plan.children(
            addr="127.0.0.1:0", workers=1, threads=1, sign_every=1, worker=worker, signer=True
        )
        return [c.name for c in found]

    assert "certifier" in names(True) and "certifier" not in names(False)


def test_serve_puts_the_flash_fronts_on_the_address_and_gunicorn_behind(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from tuopin.server import plan

    monkeypatch.setenv("TUOPIN_FLASH_FRONTS", "3")
    found = plan.children(
        addr="0.0.0.0:8000",
        workers=1,
        threads=1,
        sign_every=1,
        worker=False,
        signer=False,
        front=True,
    )
    fronts = [c for c in found if c.name.startswith("front")]
    assert [c.name for c in fronts] == ["front", "front-2", "front-3"]
    web = next(c for c in found if c.name == "web").argv
    upstream = web[web.index("--bind") + 1]
    assert upstream.startswith("127.0.0.1:") and "--proxy-protocol" in web
    assert fronts[0].argv[-3:] == ["0.0.0.0:8000", "--upstream", upstream]


def test_serve_without_the_front_binds_gunicorn_to_the_address() -> None:
    from tuopin.server import plan

    found = plan.children(
        addr="0.0.0.0:8000", workers=1, threads=1, sign_every=1, worker=False, signer=False
    )
    web = next(c for c in found if c.name == "web").argv
    assert web[web.index("--bind") + 1] == "0.0.0.0:8000" and "--proxy-protocol" not in web
    assert not any(c.name.startswith("front") for c in found)
