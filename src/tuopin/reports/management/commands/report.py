"""``tuopin report generate|partners``: the work report and the partners' figures."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from tuopin.accounts.selectors import get_user, shell_user
from tuopin.core.errors import DomainError


class Command(BaseCommand):
    help = (
        "`generate --period 2018H1 [--area CODE] --format html|pdf [--output FILE]`: the work "
        "report from the platform's data (`--draft --user NAME` also keeps it as a draft to "
        "review and publish); `partners FILE --user NAME [--source S] [--replace]`: import a "
        "partner's figures (CSV/XLSX: 指标, 区划, 报告期, 数值, 来源)."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        gen = sub.add_parser("generate", help="generate the work report")
        gen.add_argument("--period", required=True, help="2018H1, 2018Q2, 2018-06 or 2018")
        gen.add_argument("--area", default=None, help="an area code (the whole country if unset)")
        gen.add_argument("--format", choices=["html", "pdf"], default="pdf")
        gen.add_argument("--output", help="the file to write (report-PERIOD.FORMAT by default)")
        gen.add_argument("--user", help="as whom (an operator); the shell's own rights if unset")
        gen.add_argument("--draft", action="store_true", help="also keep it as a draft")
        imp = sub.add_parser("partners", help="import a partner's figures")
        imp.add_argument("file")
        imp.add_argument("--user", required=True, help="who imports (an operator)")
        imp.add_argument(
            "--source", default="", help="the partner, if the file has no source column"
        )
        imp.add_argument("--replace", action="store_true", help="replace figures already recorded")
        imp.add_argument("--json", action="store_true")
        ref = sub.add_parser("refresh", help="refresh the dashboards' summary")
        ref.add_argument("--months", type=int, default=25, help="months back from this one")
        ref.add_argument("--every", type=float, help="repeat every so many seconds (a loop)")
        ref.add_argument("--delay", type=float, default=0, help="wait this long before the first")

    def handle(self, *args: Any, **opts: Any) -> None:
        try:
            getattr(self, f"_{opts['action']}")(opts)
        except DomainError as exc:
            raise CommandError(exc.message, returncode=2) from exc

    def _generate(self, opts: dict[str, Any]) -> None:
        from tuopin.reports import publishing, workreport

        user = get_user(opts["user"]) if opts.get("user") else shell_user()
        if opts["draft"]:
            if not opts.get("user"):
                raise CommandError("--draft needs --user (the operator who generates it)")
            draft = publishing.generate(period_text=opts["period"], area_code=opts["area"], by=user)
            html = draft.html
        else:
            report = workreport.build(user, period_text=opts["period"], area_code=opts["area"])
            html = publishing.render_html(report)
        out = Path(opts.get("output") or f"report-{opts['period']}.{opts['format']}")
        if opts["format"] == "pdf":
            self.stderr.write("typesetting the PDF…")
            out.write_bytes(publishing.render_pdf(html))
        else:
            out.write_text(html, encoding="utf-8")
        self.stdout.write(str(out))

    def _refresh(self, opts: dict[str, Any]) -> None:
        import time

        from tuopin.core import indicators
        from tuopin.core.management import progress_bar
        from tuopin.reports import summaries

        time.sleep(opts["delay"])
        while True:
            total = len(indicators.all_indicators())
            with progress_bar(total, "summary", enabled=not opts["every"]) as bar:
                rows = summaries.refresh(months=opts["months"], progress=bar.update)
            if not opts["every"]:
                self.stdout.write(f"{rows} summary rows")
                return
            time.sleep(opts["every"])

    def _partners(self, opts: dict[str, Any]) -> None:
        from tuopin.reports import partners

        result = partners.import_partner_figures(
            path=opts["file"],
            by=get_user(opts["user"]),
            source=opts["source"],
            replace=opts["replace"],
        )
        imp = result.imported
        if opts["json"]:
            self.stdout.write(
                json.dumps(
                    {
                        "accepted": imp.accepted,
                        "rejected": imp.rejected,
                        "replaced": imp.replaced,
                        "ledger_index": imp.ledger_index,
                        "errors": [
                            {
                                "line": e.line,
                                "column": e.column,
                                "code": e.code,
                                "message": e.message,
                            }
                            for e in result.errors
                        ],
                    },
                    ensure_ascii=False,
                )
            )
            return
        self.stdout.write(
            f"accepted {imp.accepted} (replaced {imp.replaced}), rejected {imp.rejected}; "
            f"ledger #{imp.ledger_index}"
        )
        for e in result.errors:
            self.stdout.write(f"  line {e.line} {e.column} {e.code}: {e.message}")
