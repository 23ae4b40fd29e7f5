"""``tuopin upkeep``: registry upkeep from the command line, as a named user (their
permission and scope): open a year's review, its progress, and the near-duplicate search."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from tuopin.accounts import selectors as account_selectors
from tuopin.core.errors import DomainError
from tuopin.core.management import dump_json
from tuopin.core.money import parse_yuan
from tuopin.registry.upkeep import duplicates, review, review_reads


class Command(BaseCommand):
    help = "建档立卡维护：open-review 开启年度动态调整；progress 进度；duplicates 疑似重复人员。"

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        op = sub.add_parser("open-review", help="Open a year's review for a county")
        op.add_argument("--user", required=True)
        op.add_argument("--county", required=True, help="12-digit county code")
        op.add_argument("--year", type=int, required=True)
        op.add_argument("--line", required=True, help="Poverty line, yuan per person per year")
        op.add_argument("--notice-days", type=int, default=7)
        pr = sub.add_parser("progress", help="A review's progress per township and village")
        pr.add_argument("--user", required=True)
        pr.add_argument("--round", type=int, required=True)
        pr.add_argument("--json", action="store_true")
        du = sub.add_parser("duplicates", help="Near-duplicate people across households")
        du.add_argument("--user", required=True)
        du.add_argument("--area", help="Only this area and below")
        du.add_argument("--json", action="store_true")

    def handle(self, *args: Any, **opts: Any) -> None:
        try:
            user = account_selectors.get_user(opts["user"])
            getattr(self, opts["action"].replace("-", "_"))(user, opts)
        except DomainError as exc:
            raise CommandError(exc.message, returncode=2) from exc
        except ValueError as exc:
            raise CommandError(str(exc), returncode=2) from exc

    def open_review(self, user: Any, opts: dict[str, Any]) -> None:
        rnd = review.open_review(
            county=opts["county"],
            year=opts["year"],
            line_fen=parse_yuan(opts["line"]),
            notice_days=opts["notice_days"],
            by=user,
        )
        self.stdout.write(f"已开启 {rnd.year} 年度动态调整 #{rnd.pk}：{rnd.items.count()} 户")

    def progress(self, user: Any, opts: dict[str, Any]) -> None:
        rnd = review_reads.get_round_for(user, opts["round"])
        towns = review_reads.progress_of(user, rnd)
        if opts["json"]:
            keys = ("code", "name", "households", "checked", "lift", "back", "objections")
            self.stdout.write(
                dump_json(
                    [
                        {
                            **{k: getattr(t, k) for k in keys},
                            "villages": [
                                {**{k: getattr(v, k) for k in keys}, "stage": v.stage}
                                for v in t.villages
                            ],
                        }
                        for t in towns
                    ]
                )
            )
            return
        for t in towns:
            self.stdout.write(
                f"{t.name} {t.checked}/{t.households} 拟脱贫 {t.lift} 拟返贫 {t.back}"
            )
            for v in t.villages:
                self.stdout.write(f"  {v.name} {v.checked}/{v.households} {v.stage}")

    def duplicates(self, user: Any, opts: dict[str, Any]) -> None:
        found = duplicates.find_for(user, area=opts.get("area"), limit=10_000)
        rows: list[dict[str, Any]] = [
            {
                "a": p.a,
                "b": p.b,
                "score": p.score,
                "reasons": list(p.reasons),
                "households": [a.household.household_no, b.household.household_no],
            }
            for p, a, b in found.pairs
        ]
        if opts["json"]:
            self.stdout.write(
                dump_json({"compared": found.compared, "pairs": rows, "contained": found.contained})
            )
            return
        self.stdout.write(f"比对 {found.compared} 人，发现 {len(rows)} 对")
        for r in rows:
            self.stdout.write(
                f"  {r['a']} ~ {r['b']} {'/'.join(r['households'])} {','.join(r['reasons'])}"
            )
