"""``tuopin casework seed``: create or update the report's two field report types."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from tuopin.casework.seed import seed_report_types


class Command(BaseCommand):
    help = (
        "Field reports: `seed` creates or updates 贫困生上报 and 乌鸡养殖统计 (idempotent); "
        "`retally` rebuilds the running aggregates from the reports (set-based)."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("action", choices=["seed", "retally"])

    def handle(self, *args: Any, **options: Any) -> None:
        if options["action"] == "retally":
            from tuopin.casework.tallies import rebuild

            self.stdout.write(f"{rebuild()} tally rows")
            return
        for rt in seed_report_types():
            self.stdout.write(f"{rt.slug}\t{rt.name}\t{rt.fields.count()}")
