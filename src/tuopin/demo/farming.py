"""The order-farming demo (订单农业) on commerce's two years of sales: 元阳红米 bought at a
6.8 元/kg floor against a 3.6 market, 巴楚留香瓜 (400 元/亩 before), 金寨猕猴桃 (the market
above the floor on some days). Each county: members' land, a forecast with its back-test, the
flagship confirmed, a plan, a contract with floor prices per grade, members' contracts with
advances, and lots delivered, graded, paid (one waiting to be graded, one open to appeal)."""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass, field

# product name, cooperative account, sale price fen/kg, floor fen/kg per grade (一级, 二级),
# market fen/kg (early, late), yield kg/亩, grade share %, income before fen/亩
CROPS = [
    ("元阳红米", "coop_yuanyang", 2720, (680, 560), (360, 360), 400, 80, 60_000),
    ("巴楚留香瓜", "coop_bachu", 1760, (300, 220), (200, 240), 2000, 70, 40_000),
    ("金寨猕猴桃", "coop_jinzhai", 2630, (600, 480), (550, 650), 1500, 75, 150_000),
]
SIGNED = 8  # member households signed per cooperative


@dataclass
class FarmingDemo:
    contracts: int = 0
    deliveries: int = 0
    payments: int = 0
    users: list[tuple[str, str, str]] = field(default_factory=list)


def build_farming(*, seed: int, today: dt.date, password: str) -> FarmingDemo:
    """Once: a second run finds the flagships confirmed and changes nothing."""
    from tuopin.accounts import roles
    from tuopin.accounts import services as accounts
    from tuopin.accounts.models import User
    from tuopin.commerce import services as commerce
    from tuopin.commerce.models import Product, SupplierMember
    from tuopin.farming import flagship, planning, procurement, runs, services
    from tuopin.farming.models import Flagship, PlanShare, RunStatus

    out = FarmingDemo()
    officer = User.objects.filter(username="ec_county").first()
    if officer is None:
        return out
    rng = random.Random(seed + 13)  # noqa: S311 - demo data, not secrets
    for name, username, sale, floors, markets, yield_mu, share, before in CROPS:
        product = Product.objects.filter(name=name).select_related("supplier").first()
        if product is None:
            continue
        coop = product.supplier
        county = product.county_code
        if Flagship.objects.filter(county_code=county).exists():
            continue
        worker = accounts.create_user(
            username=username, role=roles.SUPPLIER, password=password, full_name=coop.name
        )
        commerce.add_user(supplier=coop, user=worker, by=officer)
        out.users.append((username, roles.SUPPLIER, coop.name))
        members = list(
            SupplierMember.objects.filter(supplier=coop)
            .select_related("household")
            .order_by("household__household_no")
        )
        for m in members:
            services.set_land(
                by=officer,
                household_no=m.household.household_no,
                land_centi_mu=rng.randint(150, 800),
            )
        run = runs.forecast_now(by=officer, product_id=product.pk, horizon=12)
        if run.status != RunStatus.DONE:
            continue
        ranked = flagship.rank_candidates(officer, county)
        figures = next((c.as_json() for c in ranked if c.product_id == product.pk), {})
        services.confirm_flagship(
            by=officer,
            county_code=county,
            product_id=product.pk,
            reason="全渠道销量领先、需求增长，合作社带动建档立卡户",
            figures=figures,
        )
        plan = planning.make_plan(
            by=officer,
            run_id=run.pk,
            county_code=county,
            terms=planning.Terms(today.year, sale, floors[0], markets[0], yield_mu, share, before),
        )
        shares = list(
            PlanShare.objects.filter(plan=plan)
            .select_related("household")
            .order_by("household__household_no")[:SIGNED]
        )
        if not shares:
            continue
        start, end = today - dt.timedelta(days=150), today + dt.timedelta(days=90)
        contract = services.create_contract(
            by=officer,
            plan_id=plan.pk,
            supplier_id=coop.pk,
            quantity_kg=min(plan.quantity_kg, sum(s.quantity_kg for s in shares)) or 1,
            grades=[
                services.Grade("一级", floors[0], "达到合同一级标准"),
                services.Grade("二级", floors[1], "达到合同二级标准"),
            ],
            market_source="县农产品批发市场日报价",
            delivery_from=start,
            delivery_until=end,
        )
        out.contracts += 1
        for on, price in ((start, markets[0]), (today - dt.timedelta(days=60), markets[1])):
            services.record_market_price(
                by=officer,
                product_id=product.pk,
                on=on,
                fen_per_kg=price,
                source="县农产品批发市场",
            )
        for i, s in enumerate(shares):
            hc = services.sign_household_contract(
                by=worker,
                contract_id=contract.pk,
                household_no=s.household.household_no,
                quantity_kg=max(1, s.quantity_kg),
                area_centi_mu=s.area_centi_mu,
                advance_fen=20_000,
            )
            lots = []
            for back in (120, 45):
                on = today - dt.timedelta(days=back + i)
                kg = max(1, s.quantity_kg // 3)
                d = procurement.record_delivery(
                    by=worker, household_contract_id=hc.pk, weight_g=kg * 1000, delivered_on=on
                )
                grade = "一级" if rng.random() < share / 100 else "二级"
                procurement.grade_delivery(
                    by=worker,
                    delivery_id=d.pk,
                    grade=grade,
                    accepted_g=kg * rng.randint(900, 1000),
                    sample={"抽样": "10 公斤", "杂质": f"{rng.randint(1, 9)}‰"},
                    on=on,
                )
                lots.append(d.pk)
            procurement.pay(by=worker, household_contract_id=hc.pk, delivery_ids=lots, on=today)
            out.deliveries += len(lots)
            out.payments += 1
            if i == 0:  # one lot still to grade, one graded today and open to appeal
                procurement.record_delivery(
                    by=worker, household_contract_id=hc.pk, weight_g=50_000, delivered_on=today
                )
                fresh = procurement.record_delivery(
                    by=worker, household_contract_id=hc.pk, weight_g=30_000, delivered_on=today
                )
                # Graded as the demo is loaded, so that its appeal window is open now.
                procurement.grade_delivery(
                    by=worker, delivery_id=fresh.pk, grade="二级", accepted_g=28_000
                )
                out.deliveries += 2
    return out
