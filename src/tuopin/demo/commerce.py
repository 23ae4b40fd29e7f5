"""The commerce demo (兴农扶贫): the ten model counties' products named in the report (巴楚留香瓜,
元阳红米, 金寨猕猴桃 …), their cooperatives (with member households where the registry demo has
households in the county), five outlets, two years of monthly sales per product and outlet with
each product's season, imported as outlets' statements, and a few storefront orders in every
state. Deterministic for a seed; running it again adds nothing."""

from __future__ import annotations

import datetime as dt
import random
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

# county (6 digits), product, category, unit, weight g, price fen, supplier, monthly yuan, peak
# months, story. Sales levels follow the report where it gives one (元阳红米: 全渠道月均销售突破百万元).
PRODUCTS: list[tuple[str, str, str, str, int, int, str, int, tuple[int, ...], str]] = [
    (
        "653130",
        "巴楚留香瓜",
        "fruit",
        "箱",
        5000,
        8_800,
        "巴楚县脱贫合作社",
        1_500_000,
        (7, 8, 9),
        "“一藤两瓜”种植标准，天猫沙漠蜜洲农场；两年多帮助 500 户贫困村民每亩收入从 400 元提升到 3600 元。",
    ),
    (
        "532528",
        "元阳红米",
        "grain",
        "袋",
        2500,
        6_800,
        "元阳红米种植合作社",
        1_000_000,
        (1, 2, 9, 10),
        "哈尼梯田的古稻种。“1+1000”计划带动 1000 户建档立卡农户，保底收购价从每公斤 3.6 元提到 6.8 元。",
    ),
    (
        "341524",
        "金寨猕猴桃",
        "fruit",
        "箱",
        3000,
        7_900,
        "金寨猕猴桃合作社",
        800_000,
        (9, 10, 11),
        "大别山区的红心猕猴桃，按果径分级装箱。",
    ),
    (
        "500236",
        "奉节脐橙",
        "fruit",
        "箱",
        5000,
        6_900,
        "奉节脐橙专业合作社",
        1_200_000,
        (12, 1, 2),
        "长江三峡的冬橙，皮薄汁多。",
    ),
    (
        "621226",
        "礼县苹果",
        "fruit",
        "箱",
        5000,
        5_900,
        "礼县苹果产销合作社",
        900_000,
        (10, 11, 12),
        "高原昼夜温差大，脆甜耐储。",
    ),
    (
        "654326",
        "吉木乃草原羊肉",
        "meat",
        "份",
        2000,
        12_800,
        "吉木乃牧民合作社",
        600_000,
        (11, 12, 1),
        "边境草原散养，冷链直发。",
    ),
    (
        "150430",
        "敖汉小米",
        "grain",
        "袋",
        2500,
        3_900,
        "敖汉旗小米合作社",
        700_000,
        (10, 11, 1),
        "世界农业文化遗产地的旱作小米。",
    ),
    (
        "350821",
        "长汀河田鸡",
        "meat",
        "只",
        1500,
        9_800,
        "长汀河田鸡养殖合作社",
        500_000,
        (1, 2, 9),
        "客家传统品种，林下散养。",
    ),
    (
        "222406",
        "和龙黑木耳",
        "dried",
        "袋",
        500,
        4_500,
        "和龙黑木耳合作社",
        400_000,
        (9, 10),
        "长白山林区椴木黑木耳。",
    ),
    (
        "522634",
        "雷山银球茶",
        "tea",
        "盒",
        250,
        16_800,
        "雷山银球茶合作社",
        600_000,
        (3, 4, 5),
        "苗岭雷公山的高山云雾茶，手工揉制成球。",
    ),
]
OUTLETS = [
    ("STORE", "兴农扶贫", "online", 0.15),
    ("TMALL", "天猫超市", "online", 0.35),
    ("HEMA", "盒马", "offline", 0.2),
    ("RTMART", "大润发", "offline", 0.2),
    ("INTIME", "银泰", "offline", 0.1),
]
MONTHS = 24
MEMBERS = 30  # member households per cooperative, where the registry has them
UNVERIFIED = ("422823", "巴东县绿茶合作社")  # waits for the county officer (the demo ``county``)


@dataclass
class CommerceDemo:
    products: int = 0
    sales_lines: int = 0
    orders: int = 0
    users: list[tuple[str, str, str]] = field(default_factory=list)


def build_commerce(*, seed: int, today: dt.date, password: str) -> CommerceDemo:
    from tuopin.accounts import roles
    from tuopin.accounts import services as accounts
    from tuopin.accounts.selectors import get_user
    from tuopin.areas import selectors as area_selectors
    from tuopin.commerce import services
    from tuopin.commerce.models import Outlet, Product, Supplier

    out = CommerceDemo()
    known = area_selectors.areas_by_codes([p[0].ljust(12, "0") for p in PRODUCTS])
    rows = [p for p in PRODUCTS if p[0].ljust(12, "0") in known]
    if not rows:
        return out
    operator = get_user("operator")
    officer = accounts.create_user(
        username="ec_county",
        role=roles.COUNTY_OFFICER,
        area_codes=[r[0].ljust(12, "0") for r in rows],
        password=password,
        full_name="样板县扶贫办",
    )
    for code, name, kind, _share in OUTLETS:
        if not Outlet.objects.filter(code=code).exists():
            services.create_outlet(code=code, name=name, kind=kind, by=operator)
    outlets = {o.code: o for o in Outlet.objects.all()}
    for i, (county, pname, cat, unit, weight, price, sname, _m, _peak, story) in enumerate(rows):
        county_code = county.ljust(12, "0")
        supplier = Supplier.objects.filter(county_code=county_code, name=sname).first()
        if supplier is None:
            supplier = services.create_supplier(
                kind="cooperative", name=sname, county_code=county_code, by=operator
            )
            services.verify_supplier(supplier=supplier, by=officer)
            _enrol_members(supplier, operator)
        sku = f"XN{i + 1:03d}"
        product = Product.objects.filter(sku=sku).first()
        if product is None:
            product = services.create_product(
                supplier=supplier,
                sku=sku,
                name=pname,
                category=cat,
                unit=unit,
                weight_g=weight,
                story=story,
                grade_standard="一级：果形端正、无损伤" if cat == "fruit" else "国标一级",
                by=operator,
            )
            services.set_stock(product=product, warehouse_name="县仓", on_hand=500, by=operator)
            for code, *_rest in OUTLETS:
                services.publish_listing(
                    product=product,
                    outlet=outlets[code],
                    price_fen=price,
                    available_from=today - dt.timedelta(days=730),
                    by=operator,
                )
        out.products += 1
    unverified_county = UNVERIFIED[0].ljust(12, "0")
    if (
        area_selectors.areas_by_codes([unverified_county])
        and not Supplier.objects.filter(name=UNVERIFIED[1]).exists()
    ):
        services.create_supplier(
            kind="cooperative",
            name=UNVERIFIED[1],
            county_code=unverified_county,
            story="等待县扶贫办核验后上架。",
            by=operator,
        )
    out.sales_lines = _import_history(rows, seed, today, operator)
    supplier_user = accounts.create_user(
        username="supplier", role=roles.SUPPLIER, password=password, full_name="元阳红米种植合作社"
    )
    yuanyang = Supplier.objects.filter(name="元阳红米种植合作社").first()
    if yuanyang is not None:
        services.add_user(supplier=yuanyang, user=supplier_user, by=operator)
    buyer = accounts.create_user(
        username="buyer", role=roles.CONSUMER, password=password, full_name="消费者"
    )
    out.orders = _orders(buyer, supplier_user, operator)
    out.users = [
        ("ec_county", roles.COUNTY_OFFICER, "10 样板县"),
        ("supplier", roles.SUPPLIER, "元阳红米种植合作社"),
        ("buyer", roles.CONSUMER, "*"),
    ]
    return out


def _enrol_members(supplier, operator) -> None:  # type: ignore[no-untyped-def]
    from tuopin.commerce import services
    from tuopin.registry.models import Household

    ids = list(
        Household.objects.filter(village__code__startswith=supplier.county_code[:6])
        .order_by("household_no")
        .values_list("pk", flat=True)[:MEMBERS]
    )
    if ids:
        services.add_members(supplier=supplier, household_ids=ids, by=operator)


def _month_starts(today: dt.date) -> list[dt.date]:
    first = today.replace(day=1)
    months = []
    for back in range(MONTHS, 0, -1):
        y, m = divmod(first.year * 12 + first.month - 1 - back + 1, 12)
        months.append(dt.date(y, m + 1, 1))
    return months


def _import_history(rows, seed: int, today: dt.date, operator) -> int:  # type: ignore[no-untyped-def]
    """Two years of monthly sales per product and outlet, as one statement per outlet."""
    from tuopin.commerce import salesimport
    from tuopin.commerce.errors import DuplicateStatement

    rng = random.Random(seed + 12)  # noqa: S311 - demo data, not secrets
    months = _month_starts(today)
    total = 0
    with tempfile.TemporaryDirectory() as tmp:
        for code, _name, _kind, share in OUTLETS:
            lines = ["日期,渠道,商品编码,县代码,数量,金额（元）"]
            for i, (county, _p, _c, _u, _w, price, _s, monthly, peak, _story) in enumerate(rows):
                for month in months:
                    season = 2.2 if month.month in peak else 0.7
                    growth = 1 + 0.02 * months.index(month)
                    yuan = monthly * share * season * growth * rng.uniform(0.85, 1.15)
                    qty = max(1, round(yuan * 100 / price))
                    day = month.replace(day=min(28, 10 + rng.randint(0, 15)))
                    lines.append(
                        f"{day.isoformat()},{code},XN{i + 1:03d},{county},{qty},{qty * price / 100:.2f}"
                    )
            path = Path(tmp) / f"{code.lower()}-statement.csv"
            path.write_text("\n".join(lines) + "\n", encoding="utf-8")
            try:
                report = salesimport.import_sales(path=path, by=operator)
            except DuplicateStatement:
                continue
            total += report.accepted
    return total


def _orders(buyer, supplier_user, operator) -> int:  # type: ignore[no-untyped-def]
    """One storefront order of 元阳红米 in every state (once)."""
    from tuopin.commerce import orders, pipeline
    from tuopin.commerce.models import Listing, Order

    if Order.objects.filter(buyer=buyer).exists():
        return Order.objects.filter(buyer=buyer).count()
    listing = Listing.objects.filter(product__name="元阳红米", outlet__code="STORE").first()
    if listing is None:
        return 0
    plan = [
        [],
        [pipeline.PAID],
        [pipeline.PAID, pipeline.SHIPPED],
        [pipeline.PAID, pipeline.SHIPPED, pipeline.DELIVERED],
        [pipeline.PAID, pipeline.SHIPPED, pipeline.DELIVERED, pipeline.COMPLETED],
        [pipeline.CANCELLED],
        [pipeline.PAID, pipeline.REFUNDED],
    ]
    for n, steps in enumerate(plan, 1):
        o = orders.place_order(
            wanted=[orders.Wanted(listing.pk, n)], ship_to="云南省昆明市（演示）", by=buyer
        )
        for step in steps:
            if step == pipeline.PAID:
                orders.pay_order(order=o, method="test", token=f"demo-{n}", by=buyer)
            elif step == pipeline.CANCELLED:
                orders.cancel_order(order=o, by=buyer)
            elif step == pipeline.REFUNDED:
                orders.refund_order(order=o, by=operator, note="演示退款")
            elif step == pipeline.COMPLETED:
                orders.advance_order(order=o, to=step, by=buyer)
            else:
                orders.advance_order(order=o, to=step, by=supplier_user)
    return len(plan)
