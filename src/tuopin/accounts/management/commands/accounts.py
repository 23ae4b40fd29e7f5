"""``tuopin accounts create USERNAME --role ROLE [--area CODE]…`` and ``tuopin accounts token``."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from tuopin.accounts import roles, services
from tuopin.core.errors import DomainError


class Command(BaseCommand):
    help = "账户：create 创建用户（角色、管辖范围）；token 生成 API 令牌；roles 列出角色。"

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        create = sub.add_parser("create", help="Create or update a user with a role")
        create.add_argument("username")
        create.add_argument("--role", required=True, choices=list(roles.ROLE_PERMISSIONS))
        create.add_argument("--area", action="append", default=[], help="Area code (repeatable)")
        create.add_argument("--password")
        create.add_argument("--name", default="", help="Full name")
        create.add_argument(
            "--unmask", action="store_true", help="May see whole ID numbers (every view is logged)"
        )
        token = sub.add_parser("token", help="Print a new API token for a user")
        token.add_argument("username")
        sub.add_parser("roles", help="List the roles")

    def handle(self, *args: Any, **opts: Any) -> None:
        try:
            if opts["action"] == "create":
                user = services.create_user(
                    username=opts["username"],
                    role=opts["role"],
                    area_codes=opts["area"],
                    password=opts["password"],
                    full_name=opts["name"],
                    unmask=opts["unmask"],
                )
                self.stdout.write(f"{user.username}: {opts['role']} {' '.join(opts['area'])}")
            elif opts["action"] == "token":
                self.stdout.write(services.issue_token(username=opts["username"]))
            else:
                for role, label in roles.ROLE_LABELS.items():
                    self.stdout.write(f"{role}\t{label}")
        except DomainError as exc:
            raise CommandError(exc.message, returncode=2) from exc
