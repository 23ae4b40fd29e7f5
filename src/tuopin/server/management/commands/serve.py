"""``tuopin serve [ADDR]``: the production way to run tuopin on one machine.

Starts gunicorn (the web server), the background task worker and the ledger signer, restarts a
child that dies, and stops them all cleanly on SIGTERM or Ctrl-C. ``tuopin runserver`` is for
development only. See ``docs/operations.md`` and ADR 0006.
"""

from __future__ import annotations

import logging
import os
from typing import Any

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError, CommandParser

from tuopin.server import plan
from tuopin.server.supervisor import Supervisor


class Command(BaseCommand):
    help = "生产方式运行：gunicorn 网页服务、后台任务进程和账本签名进程，一起启动、一起停止。"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "addr", nargs="?", default="127.0.0.1:8000", help="Address to listen on (host:port)"
        )
        parser.add_argument(
            "--workers",
            type=int,
            default=None,
            help="Web worker processes (default: TUOPIN_WEB_WORKERS or 2 × cores + 1)",
        )
        parser.add_argument(
            "--threads", type=int, default=None, help="Threads per web worker (default: 4)"
        )
        parser.add_argument(
            "--sign-every",
            type=float,
            default=None,
            help="Seconds between ledger checkpoints when there are new entries (default: 10)",
        )
        parser.add_argument("--no-worker", action="store_true", help="Do not start the worker")
        parser.add_argument("--no-signer", action="store_true", help="Do not start the signer")
        parser.add_argument(
            "--no-front",
            action="store_true",
            help="gunicorn on ADDR itself, without the flash front (TUOPIN_FOREST_FLASH_FRONT)",
        )
        parser.add_argument(
            "--dry-run", action="store_true", help="Print the processes it would start, then stop"
        )

    def handle(self, *args: Any, **opts: Any) -> None:
        logging.getLogger("tuopin.server").setLevel(logging.INFO)
        if settings.DEBUG:
            self.stderr.write("TUOPIN_DEBUG is on: the production server serves with DEBUG off.")
            raise CommandError("unset TUOPIN_DEBUG (use `tuopin runserver` for development)")
        want_signer = not opts["no_signer"]
        if want_signer and not settings.LEDGER_KEY_FILE.exists():
            raise CommandError(
                f"no ledger signing key at {settings.LEDGER_KEY_FILE}: run `tuopin ledger keygen` "
                "once (or pass --no-signer and sign from cron)"
            )
        children = plan.children(
            addr=opts["addr"],
            workers=opts["workers"],
            threads=opts["threads"],
            sign_every=opts["sign_every"],
            worker=not opts["no_worker"],
            signer=want_signer,
            front=settings.FOREST_FLASH_FRONT and not opts["no_front"],
        )
        if opts["dry_run"]:
            for child in children:
                self.stdout.write(f"{child.name}: {' '.join(child.argv)}")
            return
        # Static files with hashed names, compressed, for WhiteNoise.
        call_command("collectstatic", interactive=False, verbosity=0)
        for line in plan.recover():
            self.stdout.write(line)
        self.stdout.write(
            f"tuopin 正在 http://{opts['addr']}/ 上运行 (pid {os.getpid()})；Ctrl-C 停止"
        )
        status = Supervisor(children).run()
        if status:
            raise CommandError("a process kept failing; see the log above", returncode=status)
