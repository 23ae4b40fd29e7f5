"""What ``tuopin serve`` starts, and the start-up repairs it makes before starting it."""

from __future__ import annotations

import os
import socket
import sys

from django.utils.translation import gettext as _

from tuopin.childcare import planning
from tuopin.farming import runs as forecasts
from tuopin.insurance import runs
from tuopin.registry.importing import jobs as imports

from .supervisor import Child

DEFAULT_THREADS = 4
DEFAULT_SIGN_EVERY = 10.0
DEFAULT_SUMMARY_EVERY = 600.0  # the dashboards' summary (reports.summaries)
DEFAULT_CERTIFY_EVERY = 0.5  # forest certificates pending ledger inclusion (ADR 0013)


def _tuopin(*args: str) -> list[str]:
    return [sys.executable, "-m", "tuopin.cli", *args]


def web_workers(requested: int | None = None) -> int:
    if requested:
        return requested
    configured = os.environ.get("TUOPIN_WEB_WORKERS", "").strip()
    if configured.isdigit():
        return max(1, int(configured))
    return 2 * (os.cpu_count() or 1) + 1


def flash_fronts() -> int:
    configured = os.environ.get("TUOPIN_FLASH_FRONTS", "").strip()
    if configured.isdigit():
        return max(1, int(configured))
    return os.cpu_count() or 1


def free_port() -> int:
    """A loopback port nothing listens on now (gunicorn's, behind the flash front)."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def children(
    *,
    addr: str,
    workers: int | None,
    threads: int | None,
    sign_every: float | None,
    worker: bool,
    signer: bool,
    front: bool = False,
) -> list[Child]:
    # The children run the production settings: queued background work, hashed static names.
    # Unless told otherwise, background work is queued for the worker started beside the web.
    queued = os.environ.get("TUOPIN_TASKS", "database").strip() == "database"
    env = {"DJANGO_SETTINGS_MODULE": "tuopin.settings"}
    if queued:
        env["TUOPIN_TASKS"] = "database"
    trusted = os.environ.get("TUOPIN_FORWARDED_ALLOW_IPS", "127.0.0.1")
    behind: list[str] = []
    if front:
        # The flash front takes the address and relays the rest to gunicorn on the loopback
        # with a PROXY line (the client's address), from 127.0.0.1 only for clients that
        # TUOPIN_FORWARDED_ALLOW_IPS trusts (forest.front): gunicorn trusts that one source.
        gunicorn_addr = f"127.0.0.1:{free_port()}"
        behind = ["--proxy-protocol", "v1", "--proxy-allow-from", "127.0.0.1,127.0.0.2"]
        trusted = "127.0.0.1"
    web = Child(
        "web",
        [
            sys.executable,
            "-m",
            "gunicorn",
            "tuopin.wsgi:application",
            "--bind",
            gunicorn_addr if front else addr,
            "--workers",
            str(web_workers(workers)),
            "--worker-class",
            "gthread",
            "--threads",
            str(threads or DEFAULT_THREADS),
            "--timeout",
            "120",
            "--graceful-timeout",
            "25",
            "--access-logfile",
            "-",
            "--forwarded-allow-ips",
            trusted,
            *behind,
        ],
        env,
    )
    found = [web]
    if front:
        # One per core, on one port (SO_REUSEPORT: the kernel shares out the connections):
        # each front is one Python process, its event loop and its batcher under one GIL.
        argv = _tuopin("forest", "front", addr, "--upstream", gunicorn_addr)
        for n in range(1, flash_fronts() + 1):
            found.append(Child("front" if n == 1 else f"front-{n}", argv, env))
    if worker and queued:
        found.append(Child("worker", _tuopin("db_worker", "--no-reload", "--interval", "1"), env))
    if signer:
        every = sign_every or float(os.environ.get("TUOPIN_SIGN_EVERY", DEFAULT_SIGN_EVERY))
        found.append(Child("signer", _tuopin("ledger", "sign", "--every", str(every)), env))
    if worker:
        # Adoptions commit with their certificate pending; this appends them in batches.
        every = float(os.environ.get("TUOPIN_CERTIFY_EVERY", DEFAULT_CERTIFY_EVERY))
        found.append(Child("certifier", _tuopin("forest", "certify", "--every", str(every)), env))
    if worker:
        every = float(os.environ.get("TUOPIN_SUMMARY_EVERY", DEFAULT_SUMMARY_EVERY))
        # After the web has started (a refresh reads every app's tables for 25 months).
        refresh = _tuopin("report", "refresh", "--every", str(every), "--delay", "60")
        found.append(Child("summary", refresh, env))
    return found


def recover() -> list[str]:
    """Repairs at start-up, before any worker runs: the background jobs (enrollment runs,
    registry imports) that a killed worker left "running" are marked interrupted."""
    said = []
    if n := runs.mark_interrupted_runs():
        said.append(_("%(n)s 个参保批次因进程中断而停止，可在批次页面继续") % {"n": n})
    if n := imports.mark_interrupted_imports():
        said.append(_("%(n)s 个导入任务因进程中断而停止，可在导入页面继续") % {"n": n})
    if n := planning.mark_interrupted_plans():
        said.append(_("%(n)s 个选址方案因进程中断而停止，请重新计算") % {"n": n})
    if n := forecasts.mark_interrupted_runs():
        said.append(_("%(n)s 个需求预测因进程中断而停止，请重新计算") % {"n": n})
    return said
