"""``tuopin casework seed|retally|roster``: the report types, their tallies, their rosters."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from tuopin.casework.seed import seed_report_types


class Command(BaseCommand):
    help = (
        "Field reports: `seed` creates or updates 贫困生上报 and 乌鸡养殖统计 (idempotent); "
        "`retally` rebuilds the running aggregates from the reports (set-based); "
        "`roster TYPE AREA... --user NAME` sets the villages that must report a periodic "
        "type (a township or county code: all its villages; no AREA: no roster)."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("action", choices=["seed", "retally", "roster"])
        parser.add_argument("args", nargs="*", help="roster: the type's code, then area codes")
        parser.add_argument("--user", help="roster: who sets it (an operator)")

    def handle(self, *args: Any, **options: Any) -> None:
        if options["action"] == "retally":
            from tuopin.casework.tallies import rebuild

            self.stdout.write(f"{rebuild()} tally rows")
            return
        if options["action"] == "roster":
            self._roster(list(args), options.get("user"))
            return
        for rt in seed_report_types():
            self.stdout.write(f"{rt.slug}\t{rt.name}\t{rt.fields.count()}")

    def _roster(self, args: list[str], username: str | None) -> None:
        from tuopin.accounts.selectors import get_user
        from tuopin.areas import codes
        from tuopin.casework import roster
        from tuopin.casework.models import ReportType
        from tuopin.core.errors import DomainError

        if not args:
            raise CommandError("roster: give the report type's code, then area codes")
        slug, areas = args[0], args[1:]
        rt = ReportType.objects.filter(slug=slug).first()
        if rt is None:
            raise CommandError(f"no report type {slug!r}")
        villages: list[str] = []
        for raw in areas:
            try:
                found = roster.villages_under(codes.normalise(raw))
            except codes.AreaCodeError:
                raise CommandError(f"not an area code: {raw}") from None
            if not found:
                raise CommandError(f"no known village under {raw}")
            villages.extend(found)
        if not username:
            raise CommandError("roster: --user NAME (an operator) is required")
        try:
            n = roster.set_roster(report_type=rt, village_codes=villages, by=get_user(username))
        except DomainError as e:
            raise CommandError(e.message) from None
        self.stdout.write(f"{rt.slug}\t{n} villages must report")
