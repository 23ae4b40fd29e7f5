"""``tuopin forest``: the energy sweep and the standard action types, from the shell."""

from __future__ import annotations

import json
from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from ... import services


class Command(BaseCommand):
    help = (
        "绿色能量：expire 让过期未收取的能量失效（系统任务，可定时运行）；"
        "seed 创建标准低碳行为类型。--json 输出一个对象。"
    )

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        for name, text in (("expire", "Expire energy past its window"), ("seed", "Action types")):
            p = sub.add_parser(name, help=text)
            p.add_argument("--json", action="store_true", help="Print one JSON object")

    def handle(self, *args: Any, **options: Any) -> None:
        if options["action"] == "expire":
            balls, grams = services.expire_energy()
            out: dict[str, object] = {"balls": balls, "grams": grams}
            text = f"过期能量球 {balls} 个，共 {grams} 克"
        else:
            kinds = services.seed_action_types()
            out = {"action_types": [k.code for k in kinds]}
            text = "低碳行为类型：" + "、".join(k.name for k in kinds)
        self.stdout.write(json.dumps(out) if options["json"] else text)
