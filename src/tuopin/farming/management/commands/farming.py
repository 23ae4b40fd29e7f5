"""``tuopin farming forecast``: a product's demand forecast with its back-test, from the
shell (computed in the foreground with a progress bar)."""

from __future__ import annotations

import json
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from tqdm import tqdm

from tuopin.accounts.selectors import get_user, shell_user
from tuopin.commerce.models import Product
from tuopin.core.errors import DomainError

from ... import runs
from ...models import RunStatus


class Command(BaseCommand):
    help = (
        "订单农业：forecast 按渠道销售历史预测一个商品未来各月需求（AutoETS / Croston / TSB，"
        "预测区间），并与季节朴素法回测比较；--json 输出一个对象。"
    )

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        fc = sub.add_parser("forecast", help="Forecast a product's monthly demand per outlet")
        fc.add_argument("product", help="Product SKU (or id)")
        fc.add_argument("--horizon", type=int, default=12, help="Months ahead (1-24, default 12)")
        fc.add_argument("--user", help="Act as this user (their scope); default: the shell")
        fc.add_argument("--json", action="store_true", help="Print one JSON object")

    def handle(self, *args: Any, **opts: Any) -> None:
        key = opts["product"]
        product = Product.objects.filter(sku=key).first() or (
            Product.objects.filter(pk=int(key)).first() if key.isdigit() else None
        )
        if product is None:
            raise CommandError(f"商品不存在：{key}", returncode=2)
        bar = tqdm(desc="渠道", unit="个", disable=opts["json"] or None)

        def progress(done: int, total: int) -> None:
            bar.total = total
            bar.n = done
            bar.refresh()

        try:
            user = get_user(opts["user"]) if opts["user"] else shell_user()
            run = runs.forecast_now(
                by=user, product_id=product.pk, horizon=opts["horizon"], progress=progress
            )
        except DomainError as exc:
            raise CommandError(exc.message, returncode=2) from exc
        finally:
            bar.close()
        if run.status != RunStatus.DONE:
            raise CommandError(run.error or run.status, returncode=1)
        series = list(run.series.select_related("outlet").order_by("outlet__code"))
        data = {
            "product": product.sku,
            "first_month": run.first_month.isoformat() if run.first_month else None,
            "mean_kg": run.mean_kg,
            "lo_kg": run.lo_kg,
            "hi_kg": run.hi_kg,
            "series": [
                {
                    "outlet": s.outlet.code,
                    "method": s.method,
                    "fallback": s.fallback,
                    "mase": s.mase,
                    "naive_mase": s.naive_mase,
                    "smape": s.smape,
                    "naive_smape": s.naive_smape,
                }
                for s in series
            ],
        }
        if opts["json"]:
            self.stdout.write(json.dumps(data, ensure_ascii=False))
            return
        self.stdout.write(
            f"{product.name}：自 {data['first_month']} 起 {run.horizon} 个月，合计 "
            f"{sum(run.mean_kg):.0f} 公斤（80% 区间 {sum(run.lo_kg):.0f}–{sum(run.hi_kg):.0f}）"
        )
        for s in series:
            bt = (
                f"MASE {s.mase:.2f} 对季节朴素法 {s.naive_mase:.2f}"
                if s.mase is not None and s.naive_mase is not None
                else "历史太短，未回测"
            )
            self.stdout.write(f"  {s.outlet.code:<10} {s.method:<16} {bt} {s.fallback}")
