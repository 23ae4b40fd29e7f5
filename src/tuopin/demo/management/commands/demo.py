"""``tuopin demo [--scale small|medium|large] [--seed N]``: load the demo data."""

from __future__ import annotations

from typing import Any

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandParser

from tuopin.core.management import dump_json, progress_bar
from tuopin.demo import services


class Command(BaseCommand):
    help = "载入演示数据：报告中的贫困县、合成的乡镇村、贫困户和人口、每个角色一个演示账户。"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--scale", choices=list(services.SCALES), default="small")
        parser.add_argument("--seed", type=int, default=2018)
        parser.add_argument("--json", action="store_true")
        parser.add_argument("--no-progress", action="store_true")
        parser.add_argument(
            "--admin-password",
            default=None,
            help="Also create a superuser 'admin' with this password",
        )

    def handle(self, *args: Any, **opts: Any) -> None:
        with progress_bar(None, "演示数据", enabled=not opts["no_progress"]) as bar:

            def advance(done: int) -> None:
                bar.update(done - bar.n)

            result = services.build_demo(
                scale=opts["scale"], seed=opts["seed"], progress=advance, parallel=True
            )
        if opts["admin_password"]:
            User = get_user_model()
            admin, _ = User.objects.get_or_create(username="admin")
            admin.is_staff = admin.is_superuser = True
            admin.set_password(opts["admin_password"])
            admin.save()
        if opts["json"]:
            self.stdout.write(dump_json(result.__dict__))
            return
        self.stdout.write(
            f"演示数据：{result.counties} 个县，{result.villages} 个村，"
            f"{result.households} 户，{result.people} 人"
        )
        if result.siting_plan:
            self.stdout.write(f"养育中心选址方案（宁陕）：/childcare/plans/{result.siting_plan}/")
        if result.work_reports:
            self.stdout.write(
                "工作报告：2018H1 已发布（operator 生成，operator2 审核），本半年草稿待审核"
            )

        if result.products:
            self.stdout.write(
                f"兴农扶贫：{result.products} 个样板县商品，{result.sales_lines} 条月度渠道销售，"
                f"{result.orders} 个演示订单：/commerce/shop/"
            )
        if result.contracts:
            self.stdout.write(
                f"订单农业：{result.contracts} 份保护价合同，{result.deliveries} 批交售，"
                f"{result.farm_payments} 笔结算：/farming/"
            )
        if result.claims:
            self.stdout.write(f"演示理赔：{result.claims} 笔（村干部代办，理赔员 adjuster 审核）")
        if result.requests:
            self.stdout.write(
                f"演示变更申请：{result.requests} 件（略阳，各审批阶段）；动态调整与疑似重复见 /registry/"
            )
        self.stdout.write(f"演示账户（密码均为 {services.DEMO_PASSWORD}）：")
        for username, role, area in result.users:
            self.stdout.write(f"  {username:<10} {role:<18} {area}")
        if opts["admin_password"]:
            self.stdout.write(f"  admin      superuser          *  (密码 {opts['admin_password']})")
