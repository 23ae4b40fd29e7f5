"""``tuopin insurance enroll|exits|programmes``: bulk enrollment and exits from the shell."""

from __future__ import annotations

import dataclasses
import datetime as dt
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone

from tuopin.accounts.selectors import get_user
from tuopin.core.errors import DomainError
from tuopin.core.management import dump_json, progress_bar
from tuopin.core.money import format_yuan
from tuopin.insurance import services
from tuopin.insurance.models import Programme


def _period(raw: str | None) -> dt.date:
    if not raw:
        return dt.date(timezone.localdate().year, 1, 1)
    try:
        return dt.date.fromisoformat(raw)
    except ValueError as exc:
        raise CommandError(f"--period 日期无效：{raw}", returncode=2) from exc


USER_HELP = "Act as this user (needs the permission, as on the pages; recorded as the actor)"


class Command(BaseCommand):
    help = (
        "公益保险：enroll 按项目规则逐县批量参保并支付保费（集合运算，可重复执行）；"
        "exits 按登记信息办理退出（死亡、迁出、不再符合条件）；programmes 列出项目。"
    )

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        enroll = sub.add_parser("enroll", help="Insure everyone eligible for a period")
        enroll.add_argument("programme", help="Programme slug, e.g. dingliangzhu")
        enroll.add_argument("--period", help="Period start, YYYY-MM-DD (default: 1 January)")
        enroll.add_argument(
            "--override", default="", help="Reason to enroll beyond the funds raised"
        )
        enroll.add_argument("--user", required=True, help=USER_HELP)
        enroll.add_argument("--json", action="store_true", help="Print the result as JSON")
        exits = sub.add_parser(
            "exits", help="End the policies of people who left or no longer qualify"
        )
        exits.add_argument("programme")
        exits.add_argument("--period", help="Period start, YYYY-MM-DD (default: 1 January)")
        exits.add_argument("--user", required=True, help=USER_HELP)
        exits.add_argument("--json", action="store_true")
        sub.add_parser("programmes", help="List the programmes")

    def handle(self, *args: Any, **opts: Any) -> None:
        try:
            getattr(self, f"_{opts['action']}")(opts)
        except DomainError as exc:
            raise CommandError(exc.message, returncode=2) from exc

    def _enroll(self, opts: dict[str, Any]) -> None:
        period = _period(opts["period"])
        # Checked as the operator's page checks a run: the permission, the programme's dates,
        # the funds (unless an override reason is given), before anything is written.
        services.plan_run(
            user=get_user(opts["user"]),
            programme_slug=opts["programme"],
            period_start=period,
            override_reason=opts["override"],
        )
        bar = progress_bar(None, "参保（县）", enabled=not opts["json"])
        bar.unit = "县"

        def progress(done: int, total: int) -> None:
            bar.total = total
            bar.update(done - bar.n)

        try:
            result = services.enroll(
                programme_slug=opts["programme"],
                period_start=period,
                override_reason=opts["override"],
                progress=progress,
            )
        finally:
            bar.close()
        if opts["json"]:
            self.stdout.write(dump_json(dataclasses.asdict(result)))
        else:
            self.stdout.write(
                f"{result.programme} {result.period_start}: 新参保 {result.enrolled} 人"
                f"（符合条件 {result.eligible}），退出 {result.exited} 人，"
                f"保费 {format_yuan(result.premium_fen)}，账本条目 {result.ledger_indexes}"
            )

    def _exits(self, opts: dict[str, Any]) -> None:
        programme = services.get_programme(opts["programme"])
        exited = services.end_exits(
            by=get_user(opts["user"]), programme=programme, period_start=_period(opts["period"])
        )
        if opts["json"]:
            self.stdout.write(dump_json({"programme": programme.slug, "exited": exited}))
        else:
            self.stdout.write(f"{programme.slug}: 退出 {exited} 人")

    def _programmes(self, opts: dict[str, Any]) -> None:
        for p in Programme.objects.order_by("slug"):
            self.stdout.write(
                f"{p.slug}\t{p.name}\t{p.starts_on}–{p.ends_on}\t{format_yuan(p.premium_fen)}/人/年"
            )
