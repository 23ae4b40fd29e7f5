"""``tuopin charity reconcile|refund``: payment statements and refunds from the shell."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from tuopin.accounts.selectors import get_user
from tuopin.charity import selectors, services
from tuopin.core.errors import DomainError
from tuopin.core.imports import write_errors
from tuopin.core.management import dump_json

USER_HELP = "Act as this user (needs the permission, as on the pages; recorded as the actor)"


class Command(BaseCommand):
    help = "善款：reconcile 导入支付平台对账单并逐笔核对；refund 登记退款（单独记账）。"

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        rec = sub.add_parser("reconcile", help="Reconcile a payment platform's statement")
        rec.add_argument("campaign", help="Campaign slug")
        rec.add_argument("file", help="Statement, CSV (UTF-8/GBK) or XLSX")
        rec.add_argument("--channel", default="online", help="Channel of the statement")
        rec.add_argument("--errors", help="Write the unreadable lines to this CSV")
        rec.add_argument("--json", action="store_true")
        rec.add_argument("--user", required=True, help=USER_HELP)
        ref = sub.add_parser("refund", help="Record a refund on a donation")
        ref.add_argument("payment_ref", help="The donation's payment reference")
        ref.add_argument("--amount-fen", type=int, required=True)
        ref.add_argument("--ref", required=True, help="The refund's own reference")
        ref.add_argument("--reason", required=True)
        ref.add_argument("--json", action="store_true")
        ref.add_argument("--user", required=True, help=USER_HELP)

    def handle(self, *args: Any, **opts: Any) -> None:
        try:
            opts["by"] = get_user(opts["user"])
            getattr(self, f"_{opts['action']}")(opts)
        except DomainError as exc:
            raise CommandError(exc.message, returncode=2) from exc

    def _reconcile(self, opts: dict[str, Any]) -> None:
        result = services.reconcile_statement(
            by=opts["by"],
            campaign_slug=opts["campaign"],
            channel=opts["channel"],
            path=opts["file"],
        )
        s = result.statement
        if opts["errors"]:
            write_errors(opts["errors"], result.errors)
        lines = [
            {"line": ln.line_no, "payment_ref": ln.payment_ref, "outcome": ln.outcome}
            for ln in s.lines.exclude(outcome="matched")
        ]
        summary = {
            "statement": s.pk,
            "matched": s.matched,
            "mismatched": s.mismatched,
            "missing": s.missing,
            "extra": s.extra,
            "rejected": [
                {"line": e.line, "column": e.column, "code": e.code, "message": e.message}
                for e in result.errors
            ],
            "lines": lines,
        }
        if opts["json"]:
            self.stdout.write(dump_json(summary))
            return
        self.stdout.write(
            f"对账单 #{s.pk}：一致 {s.matched}，金额不符 {s.mismatched}，"
            f"账单缺少 {s.missing}，平台多出 {s.extra}，无法读取 {len(result.errors)}"
        )
        for line in lines:
            self.stdout.write(
                f"  {line['outcome']}\t{line['payment_ref']}\t行 {line['line'] or '—'}"
            )

    def _refund(self, opts: dict[str, Any]) -> None:
        donation = selectors.get_donation_for(opts["by"], opts["payment_ref"])
        refund = services.refund_donation(
            by=opts["by"],
            donation=donation,
            amount_fen=opts["amount_fen"],
            refund_ref=opts["ref"],
            reason=opts["reason"],
        ).refund
        out = {
            "refund_ref": refund.refund_ref,
            "amount_fen": refund.amount_fen,
            "ledger_index": refund.ledger_index,
        }
        self.stdout.write(
            dump_json(out) if opts["json"] else f"退款已登记，账本 #{refund.ledger_index}"
        )
