"""``tuopin ledger keygen | vkey | append | integrate``."""

from __future__ import annotations

import json
import signal
import sys
import threading
import urllib.error
import urllib.request
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import DatabaseError, close_old_connections, transaction

from tuopin.core.errors import DomainError
from tuopin.ledger import monitor, note, receipt, services


class Command(BaseCommand):
    help = (
        "公开账本：keygen 生成签名密钥；vkey 输出验证公钥；append 追加线下事件；integrate 整合并签名"
        "检查点；receipt 输出回执；verify-receipt 离线验证回执；audit 全量核对。"
    )

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        keygen = sub.add_parser("keygen", help="Write a new Ed25519 signing key (never overwrites)")
        keygen.add_argument("--out", help="Key file (default: settings.LEDGER_KEY_FILE)")
        keygen.add_argument("--name", help="Key name (default: the log's origin)")
        sub.add_parser("vkey", help="Print the verifier key (name+hex key id+base64)")
        append = sub.add_parser("append", help="Record an off-platform event")
        append.add_argument("--kind", default="note")
        append.add_argument("--payload", required=True, help="A JSON object")
        sub.add_parser("integrate", help="Integrate new entries and sign a checkpoint now")
        sign = sub.add_parser(
            "sign", help="Keep signing: integrate and sign whenever there are new entries"
        )
        sign.add_argument(
            "--every", type=float, default=10.0, help="Seconds between checks (default: 10)"
        )
        rec = sub.add_parser(
            "receipt", help="Print the receipt (c2sp.org/tlog-proof@v1) of an entry"
        )
        rec.add_argument("index", type=int)
        rec.add_argument("--subject", help="Include the openings of this subject's commitments")
        check = sub.add_parser("verify-receipt", help="Check a receipt offline; exit 0 or 1")
        check.add_argument("file", help="Receipt file, or - for standard input")
        check.add_argument(
            "--vkey", required=True, help="The log's verifier key, or a file holding it"
        )
        sub.add_parser(
            "audit", help="Recompute every hash, tile and checkpoint; exit 1 on a mismatch"
        )
        mon = sub.add_parser("monitor", help="Check another instance's log; exit 1 on an alarm")
        mon.add_argument("url", help="The log's base URL, e.g. https://tuopin.example/ledger")
        mon.add_argument("--vkey", required=True, help="Its verifier key, or a file holding it")
        mon.add_argument("--state", help="JSON file with the last checkpoint seen")

    def handle(self, *args: Any, **opts: Any) -> None:
        try:
            getattr(self, opts["action"].replace("-", "_"))(opts)
        except DomainError as exc:
            raise CommandError(exc.message, returncode=2) from exc

    def keygen(self, opts: dict[str, Any]) -> None:
        path = Path(opts["out"] or settings.LEDGER_KEY_FILE)
        signer = services.generate_key(path=path, name=opts["name"] or settings.LEDGER_ORIGIN)
        self.stderr.write(f"密钥已写入 {path}")
        self.stdout.write(signer.verifier.vkey())

    def vkey(self, opts: dict[str, Any]) -> None:
        self.stdout.write(services.load_signer().verifier.vkey())

    def append(self, opts: dict[str, Any]) -> None:
        try:
            payload = json.loads(opts["payload"])
        except json.JSONDecodeError as exc:
            raise CommandError(f"--payload 不是 JSON：{exc}", returncode=2) from exc
        if not isinstance(payload, dict):
            raise CommandError("--payload 必须是 JSON 对象", returncode=2)
        with transaction.atomic():
            entry = services.append_entry(kind=opts["kind"], payload=payload)
        self.stdout.write(str(entry.index))

    def integrate(self, opts: dict[str, Any]) -> None:
        cp = services.integrate()
        self.stdout.write(cp.note if cp else "没有新条目")

    def sign(self, opts: dict[str, Any]) -> None:
        """The signer that `tuopin serve` runs: a checkpoint within ``--every`` seconds of any
        new entry; stops cleanly on SIGTERM or SIGINT."""
        stop = threading.Event()
        for sig in (signal.SIGTERM, signal.SIGINT):
            signal.signal(sig, lambda *_args: stop.set())
        every = max(0.5, opts["every"])
        services.load_signer()  # no key: fail now, visibly, not at the first entry
        while not stop.is_set():
            try:
                cp = services.integrate()
            except DatabaseError as exc:  # the database restarting: try again next time
                self.stderr.write(f"ledger sign: {exc}")
                cp = None
            finally:
                close_old_connections()
            if cp is not None:
                self.stdout.write(f"signed checkpoint: size {cp.size}")
                self.stdout.flush()
            stop.wait(every)

    def receipt(self, opts: dict[str, Any]) -> None:
        self.stdout.write(services.receipt_for(opts["index"], subject=opts["subject"]), ending="")

    def verify_receipt(self, opts: dict[str, Any]) -> None:
        text = sys.stdin.read() if opts["file"] == "-" else Path(opts["file"]).read_text()
        vkey = opts["vkey"]
        if Path(vkey).is_file():
            vkey = Path(vkey).read_text().strip()
        try:
            checkpoint, entry = receipt.verify(text, note.parse_vkey(vkey))
        except (receipt.ReceiptError, note.NoteError) as exc:
            self.stderr.write(f"回执无效 / receipt does not verify: {exc}")
            raise SystemExit(1) from exc
        self.stdout.write(f"OK: entry in {checkpoint.origin} at tree size {checkpoint.size}")
        self.stdout.write(entry.decode("utf-8", "replace"))

    def audit(self, opts: dict[str, Any]) -> None:
        result = services.audit()
        for problem in result.problems:
            self.stderr.write(problem)
        if result.problems:
            self.stderr.write(f"first bad index: {result.first_bad_index}")
            raise SystemExit(1)
        self.stdout.write(f"OK: {result.entries} entries, {result.checkpoints} checkpoints")

    def monitor(self, opts: dict[str, Any]) -> None:
        vkey = opts["vkey"]
        if Path(vkey).is_file():
            vkey = Path(vkey).read_text().strip()

        def fetch(url: str) -> bytes:
            if not url.startswith(("http://", "https://")):
                raise CommandError(f"not an http(s) URL: {url}", returncode=2)
            with urllib.request.urlopen(url, timeout=30) as response:  # noqa: S310 - checked above
                data: bytes = response.read()
                return data

        state = Path(opts["state"]) if opts["state"] else None
        try:
            self.stdout.write(monitor.run(fetch, opts["url"], note.parse_vkey(vkey), state))
        except monitor.MonitorAlarm as exc:
            self.stderr.write(f"ALARM: {exc}")
            raise SystemExit(1) from exc
        except urllib.error.URLError as exc:
            raise CommandError(f"cannot fetch the log: {exc}", returncode=2) from exc
