"""A small process supervisor: start named child processes, restart one that dies, stop all on
SIGTERM or SIGINT. No Django here: ``tuopin serve`` builds the commands, this runs them.

A child that exits is restarted after a short pause; one that keeps dying (``max_restarts``
within ``window`` seconds) stops the whole service with exit status 1, so that a broken
install fails visibly instead of flapping for ever. SIGHUP (a closed terminal) stops the
service like SIGTERM, and on Linux each child is told to die with the supervisor, so that a
supervisor killed outright leaves no orphan holding the port.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import logging
import os
import signal
import subprocess
import sys
import time
from collections import deque
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from types import FrameType

log = logging.getLogger("tuopin.server")
STOP_SIGNALS = (signal.SIGTERM, signal.SIGINT, signal.SIGHUP)
PR_SET_PDEATHSIG = 1


def _die_with_parent() -> None:
    """In the child, before exec: SIGTERM when the supervisor dies (Linux's prctl)."""
    libc = ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6", use_errno=True)
    libc.prctl(PR_SET_PDEATHSIG, signal.SIGTERM)


@dataclass
class Child:
    name: str
    argv: Sequence[str]
    env: Mapping[str, str] | None = None
    process: subprocess.Popen[bytes] | None = None
    deaths: deque[float] = field(default_factory=deque)


class Supervisor:
    def __init__(
        self,
        children: Sequence[Child],
        *,
        max_restarts: int = 5,
        window: float = 60.0,
        pause: float = 1.0,
        stop_timeout: float = 30.0,
        poll: float = 0.5,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.children = list(children)
        self.max_restarts = max_restarts
        self.window = window
        self.pause = pause
        self.stop_timeout = stop_timeout
        self.poll = poll
        self.clock = clock
        self._stopping = False

    def _start(self, child: Child) -> None:
        env = {**os.environ, **(child.env or {})}
        # Each child leads its own process group, so that a terminal's Ctrl-C reaches only
        # the supervisor, which then stops the children in order.
        child.process = subprocess.Popen(  # noqa: S603
            child.argv,
            env=env,
            start_new_session=True,
            preexec_fn=_die_with_parent if sys.platform == "linux" else None,
        )
        log.info("started %s (pid %s)", child.name, child.process.pid)

    def _handle_signal(self, signum: int, frame: FrameType | None) -> None:
        log.info("received %s, stopping", signal.Signals(signum).name)
        self._stopping = True

    def run(self) -> int:
        """Run until a signal (exit 0) or a child that keeps failing (exit 1)."""
        previous = {sig: signal.signal(sig, self._handle_signal) for sig in STOP_SIGNALS}
        status = 0
        try:
            for child in self.children:
                self._start(child)
            while not self._stopping:
                time.sleep(self.poll)
                for child in self.children:
                    if self._stopping:
                        break
                    assert child.process is not None
                    code = child.process.poll()
                    if code is None:
                        continue
                    now = self.clock()
                    child.deaths.append(now)
                    while child.deaths and now - child.deaths[0] > self.window:
                        child.deaths.popleft()
                    if len(child.deaths) > self.max_restarts:
                        log.error(
                            "%s exited with status %s, %s times in %ss: stopping the service",
                            child.name,
                            code,
                            len(child.deaths),
                            int(self.window),
                        )
                        self._stopping = True
                        status = 1
                        break
                    # A pause grows with each recent death: no tight loop on a broken child.
                    wait = self.pause * len(child.deaths)
                    log.warning(
                        "%s exited with status %s; restarting it in %.1fs", child.name, code, wait
                    )
                    deadline = self.clock() + wait
                    while not self._stopping and self.clock() < deadline:
                        time.sleep(min(self.poll, wait))
                    if not self._stopping:
                        self._start(child)
        finally:
            self._stop_all()
            for sig, handler in previous.items():
                signal.signal(sig, handler)
        return status

    def _stop_all(self) -> None:
        running = [c for c in self.children if c.process and c.process.poll() is None]
        for child in reversed(running):
            assert child.process is not None
            child.process.send_signal(signal.SIGTERM)
        deadline = self.clock() + self.stop_timeout
        for child in reversed(running):
            assert child.process is not None
            try:
                child.process.wait(timeout=max(0.0, deadline - self.clock()))
            except subprocess.TimeoutExpired:
                log.warning("%s did not stop in time; killing it", child.name)
                child.process.kill()
                child.process.wait()
            log.info("stopped %s", child.name)
