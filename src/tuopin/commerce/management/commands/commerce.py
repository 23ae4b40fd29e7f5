"""``tuopin commerce import-sales FILE --user NAME`` (outlets' sales statements) and
``tuopin commerce payout SUPPLIER_ID START END --user NAME``."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from tuopin.accounts import selectors as account_selectors
from tuopin.commerce import orders, salesimport, selectors
from tuopin.core.errors import DomainError
from tuopin.core.imports import write_errors
from tuopin.core.management import dump_json, progress_bar
from tuopin.core.money import format_yuan
from tuopin.core.tabular import Limits


class Command(BaseCommand):
    help = "兴农扶贫电商：import-sales 导入渠道销售对账单（CSV/XLSX，GBK/UTF-8，中英文表头）；payout 供应商结算。"

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        imp = sub.add_parser("import-sales", help="Import an outlet's sales statement")
        imp.add_argument("file")
        imp.add_argument("--user", required=True, help="Import as this user (permission)")
        imp.add_argument("--errors", metavar="OUT.csv", help="Write every rejected line here")
        imp.add_argument("--json", action="store_true", help="Print the counts as JSON")
        imp.add_argument("--no-progress", action="store_true")
        pay = sub.add_parser("payout", help="Settle a supplier for a period (net of refunds)")
        pay.add_argument("supplier", type=int)
        pay.add_argument("start", type=dt.date.fromisoformat)
        pay.add_argument("end", type=dt.date.fromisoformat)
        pay.add_argument("--user", required=True)
        pay.add_argument("--json", action="store_true")

    def handle(self, *args: Any, **opts: Any) -> None:
        try:
            user = account_selectors.get_user(opts["user"])
            if opts["action"] == "payout":
                self.payout(user, opts)
                return
            with progress_bar(None, "导入", enabled=not opts["no_progress"]) as bar:

                def advance(done: int) -> None:
                    bar.update(done - bar.n)

                report = salesimport.import_sales(
                    path=opts["file"],
                    by=user,
                    limits=Limits.from_settings().for_command_line(),
                    progress=advance,
                )
        except DomainError as exc:
            raise CommandError(exc.message, returncode=2) from exc
        if opts["errors"]:
            write_errors(opts["errors"], report.errors)
        if opts["json"]:
            self.stdout.write(dump_json(report.as_dict()))
            return
        self.stdout.write(
            f"共 {report.total} 行：导入 {report.accepted} 行，拒绝 {len(report.errors)} 行"
        )
        if report.errors and not opts["errors"]:
            for err in report.errors[:20]:
                self.stderr.write(
                    f"  第 {err.line} 行 [{err.code}] {err.header or err.column}: {err.message}"
                )
            if len(report.errors) > 20:
                self.stderr.write("  …（用 --errors OUT.csv 查看全部）")

    def payout(self, user: Any, opts: dict[str, Any]) -> None:
        supplier = selectors.get_supplier_for(user, opts["supplier"])
        p = orders.create_payout(supplier=supplier, start=opts["start"], end=opts["end"], by=user)
        if opts["json"]:
            self.stdout.write(
                dump_json(
                    {
                        "payout": p.pk,
                        "gross_fen": p.gross_fen,
                        "refunds_fen": p.refunds_fen,
                        "net_fen": p.net_fen,
                        "ledger_index": p.ledger_index,
                    }
                )
            )
            return
        self.stdout.write(
            f"{supplier.name} {p.period_start}–{p.period_end}：货款 {format_yuan(p.gross_fen)}，"
            f"退款 {format_yuan(p.refunds_fen)}，应付 {format_yuan(p.net_fen)}（账本 #{p.ledger_index}）"
        )
