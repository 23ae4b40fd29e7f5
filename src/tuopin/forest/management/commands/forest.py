"""``tuopin forest``: the energy sweep, the standard action types and the certifier, from the
shell."""

from __future__ import annotations

import json
import logging
import signal
import threading
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import DatabaseError, close_old_connections

from ... import certify, services


class Command(BaseCommand):
    help = (
        "绿色能量：expire 让过期未收取的能量失效（系统任务，可定时运行）；"
        "seed 创建标准低碳行为类型；certify 把待上链的认种证书批量写入公开账本"
        "（--every S 持续运行，tuopin serve 会启动它）；front 在 gunicorn 前接收抢种请求并批量提交"
        "（tuopin serve 会启动它）。--json 输出一个对象。"
    )

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        for name, text in (
            ("expire", "Expire energy past its window"),
            ("seed", "Action types"),
            ("certify", "Append pending adoption certificates to the ledger in batches"),
        ):
            p = sub.add_parser(name, help=text)
            p.add_argument("--json", action="store_true", help="Print one JSON object")
            if name == "certify":
                p.add_argument(
                    "--every",
                    type=float,
                    default=None,
                    help="Keep running, looking for pending certificates every S seconds",
                )

        p = sub.add_parser("front", help="The flash front before gunicorn (ADR 0013)")
        p.add_argument("addr", help="Address to listen on (host:port)")
        p.add_argument("--upstream", required=True, help="gunicorn's address (host:port)")
        p.add_argument(
            "--no-proxy-protocol",
            action="store_true",
            help="Relay without a PROXY protocol line (gunicorn then sees the front's address)",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if options["action"] == "front":
            self.front(options)
            return
        if options["action"] == "certify" and options["every"]:
            self.certify_loop(options["every"])
            return
        if options["action"] == "expire":
            balls, grams = services.expire_energy()
            out: dict[str, object] = {"balls": balls, "grams": grams}
            text = f"过期能量球 {balls} 个，共 {grams} 克"
        elif options["action"] == "certify":
            n = certify.certify_all()
            out = {"certified": n}
            text = f"写入账本的认种证书 {n} 张"
        else:
            kinds = services.seed_action_types()
            out = {"action_types": [k.code for k in kinds]}
            text = "低碳行为类型：" + "、".join(k.name for k in kinds)
        self.stdout.write(json.dumps(out) if options["json"] else text)

    def certify_loop(self, every: float) -> None:
        """What ``tuopin serve`` runs: a full batch is followed at once by the next; otherwise
        wait ``every`` seconds. Stops cleanly on SIGTERM or SIGINT."""
        stop = threading.Event()
        for sig in (signal.SIGTERM, signal.SIGINT):
            signal.signal(sig, lambda *_args: stop.set())
        every = max(0.05, every)
        while not stop.is_set():
            try:
                n = certify.certify_pending()
            except DatabaseError as exc:  # the database restarting: try again next time
                self.stderr.write(f"forest certify: {exc}")
                n = 0
            finally:
                close_old_connections()
            if n < certify.BATCH:
                stop.wait(every)

    def front(self, options: dict[str, Any]) -> None:
        """What ``tuopin serve`` runs in front of gunicorn (``forest.front``)."""
        import os

        from ... import front

        def host_port(text: str) -> tuple[str, int]:
            host, _sep, port = text.rpartition(":")
            if not host or not port.isdigit():
                raise CommandError(f"not host:port: {text!r}")
            return host.strip("[]"), int(port)

        logging.getLogger("tuopin.forest").setLevel(logging.INFO)
        served = front.Front(
            host_port(options["upstream"]),
            trusted=os.environ.get("TUOPIN_FORWARDED_ALLOW_IPS", "127.0.0.1"),
            proxy_protocol=not options["no_proxy_protocol"],
        )
        front.run(host_port(options["addr"]), served)
