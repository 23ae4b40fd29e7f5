"""Deterministic demo data built on the counties and figures of the seed report.

The real national codes come from ``cpca``; the counties the report names are flagged as
poor counties; townships, villages, households and people are synthetic but valid (ID numbers
of their county, a realistic age and sex structure) and go through the real importer.
"""

from __future__ import annotations

import csv
import datetime as dt
import random
import tempfile
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Any

from tuopin.accounts import roles
from tuopin.accounts import services as accounts
from tuopin.areas import selectors as area_selectors
from tuopin.areas import services as areas
from tuopin.registry import services as registry
from tuopin.registry.models import Household
from tuopin.registry.synthetic import (
    HEADER,
    TOWNSHIP_WORDS,
    VILLAGE_WORDS,
    RowGenerator,
    VillageSpec,
    place_names,
)

from .childcare import build_childcare

# County code → (deep poverty?), from the report: 结对帮扶 (巴东, 定西), the ten e-commerce model
# counties, 宁陕 (养育未来), 平武 (生态脱贫), 滦平 (教育脱贫), 略阳 (钉钉), and 顶梁柱 counties in
# 贵州, 云南, 四川 and 新疆.
SEED_COUNTIES: dict[str, bool] = {
    "422823": True,  # 湖北 巴东县
    "621102": True,  # 甘肃 定西 安定区
    "621121": True,  # 甘肃 定西 通渭县
    "500236": False,  # 重庆 奉节县
    "532528": False,  # 云南 元阳县
    "621226": True,  # 甘肃 礼县
    "653130": True,  # 新疆 巴楚县
    "654326": False,  # 新疆 吉木乃县
    "150430": False,  # 内蒙古 敖汉旗
    "341524": False,  # 安徽 金寨县
    "350821": False,  # 福建 长汀县
    "222406": False,  # 吉林 和龙市
    "522634": False,  # 贵州 雷山县
    "610923": False,  # 陕西 宁陕县
    "510727": False,  # 四川 平武县
    "130824": False,  # 河北 滦平县
    "610727": False,  # 陕西 略阳县
    "520526": True,  # 贵州 威宁县
    "513431": True,  # 四川 昭觉县
    "653222": True,  # 新疆 墨玉县
}


@dataclass(frozen=True)
class Scale:
    counties: int
    townships: int
    villages: int
    households: int


SCALES = {
    "small": Scale(counties=16, townships=2, villages=3, households=12),
    "medium": Scale(counties=20, townships=5, villages=6, households=40),
    "large": Scale(counties=20, townships=10, villages=12, households=132),  # ≈ 1,004,000 people
}

DEMO_PASSWORD = "tuopin-demo"  # noqa: S105 - printed on purpose: demo logins only


@dataclass
class DemoResult:
    counties: int = 0
    villages: int = 0
    households: int = 0
    people: int = 0
    users: list[tuple[str, str, str]] = field(default_factory=list)  # username, role, area
    reports: int = 0  # field reports filed in 略阳 (casework)
    insured: dict[str, int] = field(default_factory=dict)  # programme slug → policies
    donations: int = 0
    siting_plan: int | None = None  # 宁陕's plan of 20 childcare centres
    products: int = 0  # the ten model counties' products (commerce)
    contracts: int = 0  # order-farming contracts (farming: 元阳, 巴楚, 金寨)
    deliveries: int = 0  # lots delivered under them
    farm_payments: int = 0
    sales_lines: int = 0  # their imported monthly sales, two years per outlet
    orders: int = 0  # storefront orders, one in every state
    claims: int = 0  # filed by this run (demo.claims)
    work_reports: int = 0  # 2018H1 published, this half-year's draft (demo.reports)
    requests: int = 0  # registry change requests filed in 略阳 (registry upkeep)


def _jitter(rng: random.Random, value: Decimal | None, spread: float) -> Decimal | None:
    if value is None:
        return None
    return (value + Decimal(str(round(rng.uniform(-spread, spread), 6)))).quantize(
        Decimal("0.000001")
    )


def build_areas(scale: Scale, seed: int) -> list[VillageSpec]:
    """Flag the report's counties and create synthetic townships and villages below them."""
    rng = random.Random(seed)
    found = area_selectors.areas_by_codes([c.ljust(12, "0") for c in SEED_COUNTIES])
    by_code = {code[:6]: area for code, area in found.items()}
    for code, deep in SEED_COUNTIES.items():
        areas.set_poverty_flags(code=code, national_poor=True, deep_poverty=deep)
    rows: list[tuple[str, str, Decimal | None, Decimal | None]] = []
    villages: list[VillageSpec] = []
    for code in list(SEED_COUNTIES)[: scale.counties]:
        county = by_code.get(code)
        if county is None:
            continue
        for t, tname in enumerate(place_names(rng, scale.townships, TOWNSHIP_WORDS, "镇"), 1):
            tcode = f"{code}{100 + t:03d}000"
            tlon, tlat = _jitter(rng, county.longitude, 0.15), _jitter(rng, county.latitude, 0.12)
            rows.append((tcode, tname, tlon, tlat))
            for v, vname in enumerate(place_names(rng, scale.villages, VILLAGE_WORDS, "村"), 1):
                vcode = f"{tcode[:9]}{200 + v:03d}"
                rows.append((vcode, vname, _jitter(rng, tlon, 0.04), _jitter(rng, tlat, 0.03)))
                villages.append(VillageSpec(code=vcode, county_code=code))
    areas.create_areas(rows=rows)
    return villages


def write_registry_file(
    path: Path, villages: list[VillageSpec], households: int, seed: int, today: dt.date
) -> int:
    """Write the synthetic registry as a CSV in the national export's layout; returns people."""
    gen = RowGenerator(seed, today)
    n = 0
    with path.open("w", encoding="utf-8", newline="") as fh:
        writer = csv.writer(fh)
        writer.writerow(HEADER)
        for village in villages:
            for row in gen.village_rows(village, households):
                writer.writerow(row)
                n += 1
    return n


def create_users(villages: list[VillageSpec]) -> list[tuple[str, str, str]]:
    """One demo user per role, scoped to the first demo county, township and village."""
    village = villages[0].code
    township = village[:9] + "000"
    county = village[:6] + "000000"
    plan = [
        ("cadre", roles.VILLAGE_CADRE, [village]),
        ("township", roles.TOWNSHIP_OFFICER, [township]),
        ("county", roles.COUNTY_OFFICER, [county]),
        ("operator", roles.OPERATOR, []),
        ("adjuster", roles.ADJUSTER, []),
        ("observer", roles.OBSERVER, []),
        ("helper", roles.HELPER, []),
        ("donor", roles.DONOR, []),
        ("centre", roles.CENTRE_STAFF, []),  # works at the first of 宁陕's centres
    ]
    out = []
    for username, role, scope in plan:
        accounts.create_user(
            username=username,
            role=role,
            area_codes=scope,
            password=DEMO_PASSWORD,
            full_name=str(roles.ROLE_LABELS[role]),
        )
        out.append((username, role, scope[0] if scope else "*"))
    return out


def build_demo(
    *,
    scale: str = "small",
    seed: int = 2018,
    today: dt.date | None = None,
    progress: Callable[[int], None] | None = None,
    parallel: bool = False,
) -> DemoResult:
    """Load the whole demo. Deterministic for a seed; running it again changes nothing."""
    spec = SCALES[scale]
    today = today or dt.date(2018, 6, 30)  # the report's half-year: ages as on its date
    areas.load_national()
    villages = build_areas(spec, seed)
    result = DemoResult(counties=len({v.county_code for v in villages}), villages=len(villages))
    from .casework import lueyang_villages

    villages = villages + lueyang_villages(villages, seed)  # the field reports' county, always
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "registry.csv"
        result.people = write_registry_file(path, villages, spec.households, seed, today)
        report = registry.import_registry(path=path, progress=progress, parallel=parallel)
    result.households = report.households_created + report.households_updated
    # On a second run the file still lists the household the demo's upkeep merged away
    # (closed); the import rightly refuses it. Any other rejection is a bug of the generator.
    closed = set(
        Household.objects.filter(closed_on__isnull=False).values_list("household_no", flat=True)
    )
    errors = [e for e in report.errors if e.household_no not in closed]
    if errors:
        first = errors[0]
        raise RuntimeError(f"demo rows rejected: line {first.line} {first.code} {first.message}")
    result.users = create_users(villages)
    # Before insurance: the hamlets' families are insured like everyone else.
    hamlets = build_childcare(scale=scale, seed=seed, today=today)
    result.siting_plan = hamlets.plan_id
    result.villages += hamlets.villages
    result.households += hamlets.households
    result.people += hamlets.people
    build_insurance(result, seed)
    from .claims import build_claims

    result.claims = build_claims(seed)
    from .casework import build_casework

    result.reports = build_casework(seed, today)
    from .upkeep import build_upkeep

    result.requests, planted = build_upkeep(seed, today)
    # Two people registered twice, in a household of their own, for the duplicates screen.
    result.people += planted
    result.households += 1 if planted else 0
    from .commerce import build_commerce

    shop = build_commerce(seed=seed, today=today, password=DEMO_PASSWORD)
    result.products, result.sales_lines, result.orders = (
        shop.products,
        shop.sales_lines,
        shop.orders,
    )
    from .forest import build_forest

    build_forest(seed, DEMO_PASSWORD)
    result.users += [
        ("partner", roles.PARTNER, "*"),
        ("transit", roles.PARTNER, "*"),
        ("green1", "", "*"),
    ]
    from .selection import build_selection

    build_selection(seed)
    from django.db.models import Q

    from tuopin.accounts.models import User

    for u in User.objects.filter(Q(username__startswith="ly_") | Q(username="operator2")).order_by(
        "username"
    ):
        scope = u.area_scopes.values_list("area_id", flat=True).first() or "*"
        role = u.groups.values_list("name", flat=True).first() or ""
        result.users.append((u.username, role, scope))
    result.users += shop.users
    from .farming import build_farming

    farm = build_farming(seed=seed, today=today, password=DEMO_PASSWORD)
    result.contracts, result.deliveries, result.farm_payments = (
        farm.contracts,
        farm.deliveries,
        farm.payments,
    )
    result.users += farm.users
    # Last: the work report draws on every programme's figures.
    from .reports import build_reports

    result.work_reports = build_reports(seed)
    return result


# The report's two programmes. 顶梁柱: registered poor aged 18–60 in the national poor counties
# of 贵州, 云南, 四川 and 新疆; hospitalisation, critical illness, accident. 好保险: registered
# poor women and girls (0–100) in national poor counties; education, childbirth, health.
# Premiums and limits are not in the report: these are plausible figures for a demo.
PROGRAMMES: list[dict[str, Any]] = [
    {
        "slug": "dingliangzhu",
        "name": "顶梁柱健康扶贫公益保险",
        "sponsor": "中国扶贫基金会",
        "insurer": "中国人民财产保险",
        "premium_fen": 5_000,
        "min_age": 18,
        "max_age": 60,
        "sex": "",
        "provinces": ("52", "53", "51", "65"),
        "campaign": ("dingliangzhu", "顶梁柱健康扶贫公益保险", 75_000_000_00),
        "story": "因病返贫是贫困家庭最大的痛点。为国家级贫困县 18 至 60 岁的建档立卡贫困户免费投保，"
        "善款来自互联网公益平台与企业、政府、社会组织（“1+1”模式），项目进展和善款使用实时公开。",
        "coverage": [
            ("hospitalisation", 2_000_000, 5_000_000, 100_000, 9_000, 30),
            ("critical_illness", 5_000_000, 5_000_000, 0, 10_000, 90),
            ("accident", 1_000_000, 1_000_000, 0, 10_000, 0),
        ],
    },
    {
        "slug": "haobaoxian",
        "name": "蚂蚁好保险",
        "sponsor": "中国妇女发展基金会",
        "insurer": "中国人寿保险",
        "premium_fen": 3_000,
        "min_age": 0,
        "max_age": 100,
        "sex": "F",
        "provinces": (),
        "campaign": ("haobaoxian", "蚂蚁好保险 · 贫困女性全生命周期保障", 30_000_000_00),
        "story": "为国家级贫困县建档立卡女性（0—100 岁）提供就学、生育、健康保障；"
        "一个村只要有一部手机，全村可快速线上理赔。",
        "coverage": [
            ("education", 200_000, 200_000, 0, 10_000, 0),
            ("childbirth", 300_000, 300_000, 0, 10_000, 0),
            ("health", 1_000_000, 2_000_000, 50_000, 8_000, 30),
        ],
    },
]


def build_insurance(result: DemoResult, seed: int) -> None:
    """Campaigns with donations from the four channels, the two programmes, this year's
    enrollment (premiums paid from the donations), a few payouts, a signed ledger checkpoint.
    Idempotent: donations are keyed by payment reference, enrollment by person and period."""
    from django.conf import settings
    from django.db.models import Sum
    from django.db.models.functions import Mod
    from django.utils import timezone

    from tuopin.accounts.selectors import get_user
    from tuopin.areas.models import Area, Level
    from tuopin.charity import services as charity
    from tuopin.charity.models import Campaign, CampaignStatus
    from tuopin.insurance import services as insurance
    from tuopin.insurance.errors import BadPayout
    from tuopin.insurance.models import CoverageItem, Payout, Policy, Programme
    from tuopin.ledger import services as ledger

    # The demo's operator (made by create_users) sets up the programmes and campaigns, and is
    # the payment platforms' account that reports the donations.
    operator = get_user("operator")
    donor = get_user("donor")  # keeps a few of the online gifts in 我的捐赠
    rng = random.Random(seed)
    year = timezone.localdate().year
    period = dt.date(year, 1, 1)
    start, end = dt.date(2017, 1, 1), dt.date(2030, 12, 31)
    poor = list(Area.objects.filter(level=Level.COUNTY, national_poor=True))
    for spec in PROGRAMMES:
        slug, title, goal = spec["campaign"]
        counties = [a for a in poor if not spec["provinces"] or a.code[:2] in spec["provinces"]]
        found = Campaign.objects.filter(slug=slug).first()
        new_campaign = found is None
        campaign = charity.save_campaign(
            by=operator,
            campaign=found
            or Campaign(
                slug=slug,
                title=title,
                programme_name=spec["name"],
                story=spec["story"],
                goal_fen=goal,
                starts_on=start,
                ends_on=end,
                status=CampaignStatus.OPEN,
            ),
            counties=counties,
        )
        programme = Programme.objects.filter(slug=spec["slug"]).first()
        if programme is None:  # set up once, through the service the operator's page uses
            programme = insurance.save_programme(
                by=operator,
                programme=Programme(
                    slug=spec["slug"],
                    campaign=campaign,
                    starts_on=start,
                    ends_on=end,
                    **{
                        k: spec[k]
                        for k in (
                            "name",
                            "sponsor",
                            "insurer",
                            "premium_fen",
                            "min_age",
                            "max_age",
                            "sex",
                        )
                    },
                ),
                counties=counties if spec["provinces"] else [],
                coverage=[
                    CoverageItem(
                        benefit=benefit,
                        per_claim_limit_fen=per_claim,
                        yearly_limit_fen=yearly,
                        deductible_fen=deductible,
                        reimbursement_bp=rate,
                        waiting_days=waiting,
                    )
                    for benefit, per_claim, yearly, deductible, rate, waiting in spec["coverage"]
                ],
            )
        # Enough money for everyone, from the four channels: many small online gifts, then
        # enterprises, a government grant and social organisations for the rest.
        plan = insurance.preview(programme_slug=programme.slug, period_start=period)
        need = max(0, plan.premium_fen - (plan.available_fen or 0)) * 21 // 20
        if new_campaign and need:  # a goal the demo's scale can reach (the report's was 7,500 万元)
            campaign.goal_fen = -(-need * 5 // 4 // 1_000_000) * 1_000_000
            charity.save_campaign(by=operator, campaign=campaign)
        at = timezone.make_aware(dt.datetime(year, 1, 1, 8, 0))  # noqa: DTZ001 - made aware
        names = ["爱心网友", "阿里巴巴公益", "蚂蚁金服公益", "某企业", "某县人民政府", "某基金会"]
        gifts: list[tuple[str, int, str]] = []
        if new_campaign:
            gifts = [
                (f"DEMO-{campaign.slug}-{i:05d}", fen, "online")
                for i, fen in enumerate(
                    rng.choice([1_000, 2_000, 5_000, 10_000, 20_000, 52_000]) for _ in range(120)
                )
            ]
        rest = max(0, need - sum(fen for _ref, fen, _c in gifts))
        # The rest from the other channels; on a re-run, only what a grown registry needs
        # more, under references named by the amount (a payment reference names one gift).
        tag = "" if new_campaign else f"-{year}-{rest}"
        gifts += [
            (f"DEMO-{campaign.slug}-ent{tag}", rest * 5 // 10, "enterprise"),
            (f"DEMO-{campaign.slug}-gov{tag}", rest * 3 // 10, "government"),
            (
                f"DEMO-{campaign.slug}-org{tag}",
                rest - rest * 5 // 10 - rest * 3 // 10,
                "social_org",
            ),
        ]
        for i, (ref, fen, channel) in enumerate(gifts):
            if fen <= 0:
                continue
            charity.record_donation(
                by=operator,
                campaign_slug=campaign.slug,
                amount_fen=fen,
                channel=channel,
                payment_ref=ref,
                donor=donor if channel == "online" and i % 40 == 0 else None,
                display_name=rng.choice(names),
                at=at + dt.timedelta(minutes=7 * i),
            )
            result.donations += 1
        insurance.enroll(programme_slug=programme.slug, period_start=period)
        result.insured[programme.slug] = Policy.objects.filter(
            programme=programme, period_start=period
        ).count()
        # A few paid claims, so the public page shows fund use (claims come with issue 5).
        if not Payout.objects.filter(policy__programme=programme).exists():
            # About nine in ten premium yuan come back as claims (the report's 90 %).
            claims = max(12, result.insured[programme.slug] // 150)
            budget = programme.payments.aggregate(s=Sum("amount_fen"))["s"] * 9 // 10
            step = max(1, result.insured[programme.slug] // claims)
            picks = list(  # one policy in `step`, chosen in SQL (a Python slice loads them all)
                Policy.objects.filter(programme=programme, period_start=period)
                .annotate(pick=Mod("id", step))
                .filter(pick=0)
                .select_related("programme")
                .order_by("id")[:claims]
            )
            when = min(
                timezone.now(),
                timezone.make_aware(dt.datetime(year, 6, 1, 10, 0)),  # noqa: DTZ001
            )
            for j, policy in enumerate(picks):
                benefit = spec["coverage"][j % len(spec["coverage"])][0]
                try:
                    insurance.record_payout(
                        policy=policy,
                        benefit=benefit,
                        loss_fen=int(budget / claims * rng.uniform(0.6, 1.2)) // 100 * 100,
                        at=when - dt.timedelta(days=j % 60),  # after the waiting days
                    )
                except BadPayout:  # early in the year: still in the waiting days
                    continue
    key = settings.LEDGER_KEY_FILE
    if not key.exists():
        key.parent.mkdir(parents=True, exist_ok=True)
        ledger.generate_key(path=key, name=settings.LEDGER_ORIGIN)
    ledger.integrate()
