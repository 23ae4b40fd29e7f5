"""``tuopin rotate_id_hash_key``: recompute every person's ID-number hash under a new key."""

from __future__ import annotations

import os
import secrets
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser

from tuopin.core.management import progress_bar
from tuopin.registry.idhash import rehash_all
from tuopin.registry.models import Person


class Command(BaseCommand):
    help = (
        "更换身份证号检索密钥：用新密钥重算每个人的检索哈希（一个事务，失败则全部不变）。"
        "先停止服务；完成后把 TUOPIN_ID_HASH_KEY 换成新密钥再启动。"
    )

    def add_arguments(self, parser: CommandParser) -> None:
        source = parser.add_mutually_exclusive_group(required=True)
        source.add_argument(
            "--new-key-file", help="File holding the new key (never on the command line)"
        )
        source.add_argument(
            "--generate",
            action="store_true",
            help="Generate a new key and store it in var/id_hash.key (single-machine installs)",
        )
        parser.add_argument("--no-progress", action="store_true")

    def handle(self, *args: Any, **opts: Any) -> None:
        local_file = Path(settings.VAR_DIR) / "id_hash.key"
        if opts["generate"]:
            if os.environ.get("TUOPIN_ID_HASH_KEY"):
                raise CommandError(
                    "the key comes from TUOPIN_ID_HASH_KEY: write the new one to a file and "
                    "use --new-key-file",
                    returncode=2,
                )
            new_key = secrets.token_urlsafe(48)
        else:
            path = Path(opts["new_key_file"])
            if not path.is_file():
                raise CommandError(f"no such file: {path}", returncode=2)
            new_key = path.read_text(encoding="utf-8").strip()
        if len(new_key) < 32:
            raise CommandError("the new key must be at least 32 characters long", returncode=2)
        if new_key in (settings.ID_HASH_KEY, settings.SECRET_KEY):
            raise CommandError("the new key must differ from the current keys", returncode=2)
        total = Person.objects.count()
        with progress_bar(total, "重算", enabled=not opts["no_progress"]) as bar:

            def advance(done: int) -> None:
                bar.update(done - bar.n)

            n = rehash_all(new_key=new_key, progress=advance)
        if opts["generate"]:
            tmp = local_file.with_suffix(".key.new")
            tmp.write_text(new_key + "\n", encoding="ascii")
            tmp.chmod(0o600)
            tmp.replace(local_file)
            self.stdout.write(f"已用新密钥重算 {n} 人；新密钥已写入 {local_file}，请重启服务。")
        else:
            self.stdout.write(
                f"已用新密钥重算 {n} 人。现在把 TUOPIN_ID_HASH_KEY 换成新密钥并重启服务；"
                "在此之前按身份证号查找会找不到人。"
            )
