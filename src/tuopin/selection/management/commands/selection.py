"""``tuopin selection``: assign reviewers, propose a selection under quotas, publish it, pay
an instalment, verify a certificate, from the shell."""

from __future__ import annotations

import json
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from tuopin.accounts.selectors import get_user, shell_user
from tuopin.core.errors import DomainError

from ... import committee, selectors, services, training


class Command(BaseCommand):
    help = (
        "评选：assign 分配评审人；propose 在配额下选出N人（HiGHS 整数规划）；publish 确认并在账本公布；"
        "pay 支付一期奖金；certificate 查验证书。--json 输出一个对象。"
    )

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        for name, helptext in (
            ("assign", "Assign reviewers to the programme's new applications"),
            ("propose", "Normalise scores and choose exactly N under the quotas"),
        ):
            p = sub.add_parser(name, help=helptext)
            p.add_argument("programme", help="Programme slug")
            p.add_argument("--user", help="Act as this user; default: the shell")
            p.add_argument("--json", action="store_true", help="Print one JSON object")
        p = sub.add_parser("publish", help="Confirm a proposal (or override it) and publish")
        p.add_argument("run", type=int, help="Selection run id")
        p.add_argument("--selected", help="Override: application ids, comma-separated")
        p.add_argument("--reason", default="", help="Why the override")
        p.add_argument("--user", help="Act as this user; default: the shell")
        p.add_argument("--json", action="store_true", help="Print one JSON object")
        p = sub.add_parser("pay", help="Pay instalment NUMBER to every winner not yet paid")
        p.add_argument("programme", help="Programme slug")
        p.add_argument("number", type=int)
        p.add_argument("--user", help="Act as this user; default: the shell")
        p.add_argument("--json", action="store_true", help="Print one JSON object")
        p = sub.add_parser("certificate", help="Verify a certificate number")
        p.add_argument("number")
        p.add_argument("--json", action="store_true", help="Print one JSON object")

    def handle(self, *args: Any, **opts: Any) -> None:
        try:
            data = self._run(opts)
        except DomainError as exc:
            raise CommandError(exc.message, returncode=2) from exc
        if opts["json"]:
            self.stdout.write(json.dumps(data, ensure_ascii=False))
        else:
            for k, v in data.items():
                self.stdout.write(f"{k}: {v}")

    def _run(self, opts: dict[str, Any]) -> dict[str, Any]:
        action = opts["action"]
        if action == "certificate":
            return training.verification(selectors.get_certificate(opts["number"]))
        user = get_user(opts["user"]) if opts.get("user") else shell_user()
        if action == "assign":
            plan = services.assign_reviewers(
                programme=selectors.get_programme(opts["programme"]), by=user
            )
            return {"assigned": len(plan.pairs), "short": plan.short, "load": plan.load}
        if action == "propose":
            p = selectors.get_programme(opts["programme"])
            services.recompute_scores(programme=p, by=user)
            run = committee.propose(programme=p, by=user)
            r = run.result
            return {
                "run": run.pk,
                "selected": run.selected,
                "total": r["total"],
                "unconstrained_total": r["unconstrained_total"],
                "quota_cost": r["quota_cost"],
                "marginal_in": r["marginal_in"],
                "marginal_out": r["marginal_out"],
            }
        if action == "publish":
            chosen = (
                [int(x) for x in opts["selected"].split(",") if x.strip()]
                if opts["selected"]
                else None
            )
            run = committee.publish(
                run_id=opts["run"], selected=chosen, reason=opts["reason"], by=user
            )
            return {"run": run.pk, "ledger_index": run.ledger_index, "selected": run.selected}
        p = selectors.get_programme(opts["programme"])
        return {"paid": committee.pay_instalment(programme=p, number=opts["number"], by=user)}
