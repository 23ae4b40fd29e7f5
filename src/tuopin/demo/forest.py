"""The green-energy demo (蚂蚁森林 as a poverty programme): 梭梭 in 阿拉善左旗 and 红柳 in 古浪
(武威), the 关坝 protected area in 平武 (1,800 万 m² in the report, scaled down here), an
economic forest of 山杏 in 敖汉旗; a transit partner reporting two weeks of green users'
actions, their collections and adoptions; patrol jobs for registered poor people of 平武 with
wages approved by the planting partner."""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass

from django.utils import timezone

# slug, kind, name, species, county, g per unit, units, cap, partner's name, produce
PROJECTS = [
    (
        "suosuo-alxa",
        "tree",
        "阿拉善梭梭林",
        "梭梭",
        "152921",
        17_900,
        2_000,
        None,
        "阿拉善SEE基金会",
    ),
    ("hongliu-wuwei", "tree", "武威红柳林", "红柳", "620622", 22_400, 1_000, None, "武威市林业局"),
    ("guanba-pingwu", "area", "关坝保护地", "", "510727", 5_000, 18_000, 5, "关坝村巡护队"),
    (
        "shanxing-aohan",
        "tree",
        "敖汉旗山杏经济林",
        "山杏",
        "150430",
        16_930,
        500,
        None,
        "敖汉旗林草局",
    ),
]
GREEN_USERS = 12
DAYS = 14


@dataclass
class ForestDemo:
    projects: int = 0
    adoptions: int = 0
    workers: int = 0


def build_forest(seed: int, password: str) -> ForestDemo:
    """Build once: a second run finds the projects and changes nothing."""
    from tuopin.accounts import roles
    from tuopin.accounts import services as accounts
    from tuopin.accounts.models import User
    from tuopin.areas.models import Area
    from tuopin.core.errors import DomainError
    from tuopin.forest import services as forest
    from tuopin.forest.models import Project

    out = ForestDemo()
    if Project.objects.filter(slug=PROJECTS[0][0]).exists():
        out.projects = Project.objects.count()
        return out
    rng = random.Random(seed)  # noqa: S311 - a deterministic demo
    operator = User.objects.get(username="operator")
    partner = accounts.create_user(
        username="partner", role=roles.PARTNER, password=password, full_name="关坝村巡护队"
    )
    transit = accounts.create_user(
        username="transit", role=roles.PARTNER, password=password, full_name="公交出行数据方"
    )
    forest.seed_action_types()
    now = timezone.now()
    for slug, kind, name, species, county, grams, units, cap, pname in PROJECTS:
        area = Area.objects.filter(code=county.ljust(12, "0")).first()
        if area is None:
            continue
        forest.create_project(
            by=operator,
            project=Project(
                slug=slug,
                kind=kind,
                name=name,
                species=species,
                county=area,
                partner=partner if slug.startswith("guanba") else None,
                partner_name=pname,
                energy_per_unit_g=grams,
                units_total=units,
                per_person_cap=cap,
                opens_at=now,
                shards=8,
            ),
        )
        forest.open_project(by=operator, slug=slug, opens_at=now - dt.timedelta(days=DAYS))
        out.projects += 1
    for i in range(1, GREEN_USERS + 1):
        user = User.objects.filter(username=f"green{i}").first() or User.objects.create_user(
            username=f"green{i}", password=password
        )
        for day in range(DAYS, -1, -1):
            at = now - dt.timedelta(days=day, hours=rng.randint(0, 8))
            kind, amount = rng.choice([("bus", 20), ("subway", 20), ("walk", 30_000)])
            forest.report_action(
                by=transit,
                key=f"demo-{i}-{day}",
                username=user.username,
                action_type=kind,
                units=amount,
                at=at,
            )
            if day >= 2 and i % 3:  # most collect daily; every third lets energy expire
                forest.collect_all(by=user, now=at + dt.timedelta(hours=25))
        forest.expire_energy(now=now)
        choices = [p for p in PROJECTS if Project.objects.filter(slug=p[0]).exists()]
        for n in range(3):
            slug = rng.choice(choices)[0]
            try:
                forest.adopt(by=user, project_slug=slug, units=1, key=f"demo-{n}")
            except DomainError:  # not enough energy, or the cap: the demo moves on
                continue
            out.adoptions += 1
    forest.certify_all()  # what the certifier of `tuopin serve` does within a second
    out.workers = _patrols(operator, partner)
    return out


def _patrols(operator: object, partner: object) -> int:
    """Patrol jobs on 关坝 for the first registered poor people of 平武, three days each,
    approved (and paid) by the partner."""
    from tuopin.forest import services as forest
    from tuopin.registry.models import Person

    people = list(
        Person.objects.filter(village_code__startswith="510727", status="present").order_by("id")[
            :6
        ]
    )
    today = timezone.localdate()
    for p in people:
        order = forest.hire(
            by=operator,  # type: ignore[arg-type]
            project_slug="guanba-pingwu",
            person_id=p.pk,
            kind="patrol",
            basis="day",
            rate_fen=8_000,
        )
        for d in (3, 2, 1):
            log = forest.record_work(
                by=partner,  # type: ignore[arg-type]
                order_id=order.pk,
                on=today - dt.timedelta(days=d),
                quantity=1,
            )
            forest.approve_work(by=partner, log_id=log.pk)  # type: ignore[arg-type]
    return len(people)
