"""``tuopin areas load`` and ``tuopin areas import FILE``."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from tuopin.areas import services
from tuopin.core.errors import DomainError
from tuopin.core.imports import write_errors
from tuopin.core.management import dump_json


class Command(BaseCommand):
    help = "区划：load 载入全国省/地/县代码（cpca 数据包）；import 导入乡镇和村（CSV/XLSX）。"

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        load = sub.add_parser("load", help="Load provinces, prefectures and counties from cpca")
        load.add_argument("--json", action="store_true", help="Print the result as JSON")
        imp = sub.add_parser("import", help="Import areas from CSV/XLSX (代码/code, 名称/name, …)")
        imp.add_argument("file")
        imp.add_argument("--errors", help="Write rejected rows to this CSV file")
        imp.add_argument("--json", action="store_true", help="Print the result as JSON")

    def handle(self, *args: Any, **opts: Any) -> None:
        try:
            if opts["action"] == "load":
                report = services.load_national()
            else:
                report = services.import_areas(opts["file"])
        except DomainError as exc:
            raise CommandError(exc.message, returncode=2) from exc
        if opts.get("errors"):
            write_errors(opts["errors"], report.errors)
        if opts.get("json"):
            self.stdout.write(dump_json(report.as_dict()))
        else:
            self.stdout.write(
                f"新增 {report.created}，更新 {report.updated}，拒绝 {len(report.errors)} 行"
            )
            for err in report.errors[:20]:
                self.stderr.write(f"  第 {err.line} 行 [{err.code}] {err.column}: {err.message}")
