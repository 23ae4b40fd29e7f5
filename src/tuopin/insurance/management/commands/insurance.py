"""``tuopin insurance enroll PROGRAMME [--period YYYY-MM-DD] [--override REASON] [--json]``."""

from __future__ import annotations

import dataclasses
import datetime as dt
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from tuopin.core.errors import DomainError
from tuopin.core.management import dump_json
from tuopin.insurance import services


class Command(BaseCommand):
    help = "公益保险：enroll 按项目规则批量参保（集合运算，可重复执行）。"

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        enroll = sub.add_parser("enroll", help="Insure everyone eligible for a period")
        enroll.add_argument("programme")
        enroll.add_argument("--period", help="Period start, YYYY-MM-DD (default: 1 January)")
        enroll.add_argument(
            "--override", default="", help="Reason to enroll beyond the funds raised"
        )
        enroll.add_argument("--json", action="store_true")

    def handle(self, *args: Any, **opts: Any) -> None:
        try:
            period = (
                dt.date.fromisoformat(opts["period"])
                if opts["period"]
                else dt.date(dt.date.today().year, 1, 1)  # noqa: DTZ011
            )
        except ValueError as exc:
            raise CommandError(f"--period 日期无效：{opts['period']}", returncode=2) from exc
        try:
            result = services.enroll(
                programme_slug=opts["programme"],
                period_start=period,
                override_reason=opts["override"],
            )
        except DomainError as exc:
            raise CommandError(exc.message, returncode=2) from exc
        if opts["json"]:
            self.stdout.write(dump_json(dataclasses.asdict(result)))
        else:
            self.stdout.write(
                f"{result.programme} {result.period_start}: 新参保 {result.enrolled} 人"
                f"（符合条件 {result.eligible}），保费 {result.premium_fen} 分，账本 #{result.ledger_index}"
            )
