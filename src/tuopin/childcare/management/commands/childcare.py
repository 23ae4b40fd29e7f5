"""``tuopin childcare plan``: where to build centres in a county, from the shell."""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from tuopin.accounts.selectors import get_user, shell_user
from tuopin.core.errors import DomainError

from ... import planning


def _date(raw: str) -> dt.date:
    try:
        return dt.date.fromisoformat(raw)
    except ValueError as exc:
        raise CommandError(f"--on 日期无效：{raw}", returncode=2) from exc


class Command(BaseCommand):
    help = (
        "养育中心：plan 在一个县里选出至多 K 个中心的位置，使服务半径内覆盖的 0–3 岁儿童最多"
        "（半径内儿童须多于门槛人数）；--json 输出一个对象。"
    )

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        plan = sub.add_parser("plan", help="Choose up to K centre sites for a county")
        plan.add_argument("county", help="County code (6 or 12 digits)")
        plan.add_argument("--centres", type=int, required=True, help="K: at most this many")
        plan.add_argument("--radius", type=int, default=1000, help="Metres (default 1000)")
        plan.add_argument(
            "--min-children",
            type=int,
            default=10,
            help="A site needs MORE than this many children within the radius (default 10)",
        )
        plan.add_argument("--on", help="Ages on this date, YYYY-MM-DD (default: today)")
        plan.add_argument(
            "--user", help="Act as this user (their scope); default: the shell (everything)"
        )
        plan.add_argument("--json", action="store_true", help="Print one JSON object")

    def handle(self, *args: Any, **opts: Any) -> None:
        try:
            user = get_user(opts["user"]) if opts["user"] else shell_user()
            answer = planning.solve(
                user,
                county_code=opts["county"],
                centres=opts["centres"],
                radius_m=opts["radius"],
                min_children=opts["min_children"],
                on=_date(opts["on"]) if opts["on"] else None,
            )
        except DomainError as exc:
            raise CommandError(exc.message, returncode=2) from exc
        data = answer.as_json()
        if opts["json"]:
            self.stdout.write(json.dumps(data, ensure_ascii=False))
            return
        d = answer.demand
        self.stdout.write(
            f"{d.county_name} {d.county_code} {d.on}：0–3 岁儿童 {data['eligible_children']} 人，"
            f"{data['centres']} 个中心覆盖 {data['children_covered']} 人"
            f"（{'最优' if data['optimal'] else '差距 %.2f%%' % (100 * data['gap'])}，"
            f"符合条件的场地 {data['allowed_sites']} 个）"
        )
        for i, s in enumerate(data["sites"], 1):
            self.stdout.write(f"  {i:>3}. {s['code']} {s['name']}  {s['children_covered']} 人")
        self.stdout.write(
            f"多建一个中心可多覆盖 {data['marginal_children']} 人；"
            f"覆盖全部可覆盖的聚居点需要 {data['cover_all_centres']} 个中心；"
            f"最远的儿童距中心 {data['worst_distance_m']} 米"
        )
        if d.unlocated:
            self.stdout.write(f"没有坐标的村（未参与计算）：{len(d.unlocated)} 个")
