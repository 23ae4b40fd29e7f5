"""``tuopin registry import FILE`` and ``tuopin registry export FILE``."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from tuopin.accounts import selectors as account_selectors
from tuopin.core.errors import DomainError
from tuopin.core.imports import write_errors
from tuopin.core.management import dump_json, progress_bar
from tuopin.core.tabular import Limits
from tuopin.core.uploads import purge_uploads
from tuopin.registry import services
from tuopin.registry.errors import ImportFailed
from tuopin.registry.importing import RegistryImport


class Command(BaseCommand):
    help = "建档立卡：import 导入国办系统导出文件（CSV/XLSX，中英文表头）；export 导出（按用户范围脱敏）。"

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        imp = sub.add_parser("import", help="Import households and people from CSV/XLSX")
        imp.add_argument("file")
        imp.add_argument("--errors", metavar="OUT.csv", help="Write every rejected row here")
        imp.add_argument("--json", action="store_true", help="Print the counts as JSON")
        imp.add_argument("--no-progress", action="store_true")
        purge = sub.add_parser(
            "purge-uploads", help="Delete uploads and import reports past the retention period"
        )
        purge.add_argument("--days", type=int, help="Keep this many days (default: the setting)")
        exp = sub.add_parser("export", help="Export a user's scope to CSV or XLSX (by suffix)")
        exp.add_argument("file")
        exp.add_argument("--user", required=True, help="Export as this user (scope, masking)")
        exp.add_argument("--area", help="Only this area and below")

    def handle(self, *args: Any, **opts: Any) -> None:
        if opts["action"] == "export":
            self.export(opts)
            return
        if opts["action"] == "purge-uploads":
            days = opts.get("days")
            n = purge_uploads(older_than=dt.timedelta(days=days) if days is not None else None)
            self.stdout.write(f"删除 {n} 个过期文件")
            return
        try:
            run = RegistryImport(
                opts["file"], parallel=True, limits=Limits.from_settings().for_command_line()
            )
            counts, total = run.count_households()
            del counts
            with progress_bar(total, "导入", enabled=not opts["no_progress"]) as bar:

                def advance(done: int) -> None:
                    bar.update(done - bar.n)

                run.progress = advance
                report = run.run()
        except ImportFailed as exc:
            # What was written before the failure stays written: list it, exit non-zero.
            if opts["errors"]:
                write_errors(opts["errors"], exc.report.errors)
            if opts["json"]:
                self.stdout.write(dump_json({**exc.report.as_dict(), "failed": exc.message}))
            raise CommandError(exc.message, returncode=1) from exc
        except DomainError as exc:
            raise CommandError(exc.message, returncode=2) from exc
        except UnicodeDecodeError as exc:
            raise CommandError(f"文件编码无法识别：{exc}", returncode=2) from exc
        if opts["errors"]:
            write_errors(opts["errors"], report.errors)
        if opts["json"]:
            self.stdout.write(dump_json(report.as_dict()))
            return
        d = report.as_dict()
        self.stdout.write(
            f"新增 {d['households_created']} 户 {d['people_created']} 人；"
            f"更新 {d['households_updated']} 户 {d['people_updated']} 人；"
            f"未变 {d['households_unchanged']} 户 {d['people_unchanged']} 人；"
            f"拒绝 {d['rejected_households']} 户 {d['rejected_rows']} 行"
        )
        if report.errors and not opts["errors"]:
            for err in report.errors[:20]:
                who = " ".join(x for x in (err.household_no, err.name) if x)
                self.stderr.write(
                    f"  第 {err.line} 行（{who}）[{err.code}] {err.header or err.column}: {err.message}"
                )
            if len(report.errors) > 20:
                self.stderr.write("  …（用 --errors OUT.csv 查看全部）")

    def export(self, opts: dict[str, Any]) -> None:
        try:
            user = account_selectors.get_user(opts["user"])
            # As that user: their permission, scope and masking (a cadre may not export).
            n = services.export_registry(user=user, path=opts["file"], area=opts.get("area"))
        except DomainError as exc:
            raise CommandError(exc.message, returncode=2) from exc
        self.stdout.write(f"导出 {n} 人 → {opts['file']}")
