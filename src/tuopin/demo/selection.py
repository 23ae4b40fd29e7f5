"""The selection demo (issue 16): the 马云乡村教师奖 with 300 past winners (2015–2017, 165
from national poor counties across 128 counties) and this year's applications, reviewed and
scored, with the committee's proposal waiting; the 乡村校长计划 in review; the 魔豆妈妈
contest (10 flagship-store sellers) selected and published; an ACA cloud skills cohort with
certificates and follow-ups; campus hiring at two employers."""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass
from typing import Any
from zoneinfo import ZoneInfo

from .services import DEMO_PASSWORD, SEED_COUNTIES

SHANGHAI = ZoneInfo("Asia/Shanghai")
REVIEWERS = 10  # each account costs a role check: few, with many tasks each
SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘蒋蔡余杜叶程"
GIVEN = "明华红芳丽军伟静敏强磊洋艳勇杰娟涛超秀霞平刚桂英兰凤玉珍云"


@dataclass
class SelectionDemo:
    programmes: int = 0
    applications: int = 0
    history: int = 0
    certificates: int = 0


def _name(rng: random.Random) -> str:
    return rng.choice(SURNAMES) + "".join(rng.choice(GIVEN) for _ in range(rng.choice([1, 2])))


def _other_counties(n: int) -> list[str]:
    from tuopin.areas.models import Area, Level

    poor = {c.ljust(12, "0") for c in SEED_COUNTIES}
    codes = list(
        Area.objects.filter(level=Level.COUNTY, national_poor=False)
        .exclude(code__in=poor)
        .order_by("code")
        .values_list("code", flat=True)
    )
    step = max(len(codes) // max(n, 1), 1)
    return codes[::step][:n]


def build_selection(seed: int) -> SelectionDemo:
    """Once: a re-run finds the teacher award and changes nothing."""
    from tuopin.accounts import roles
    from tuopin.accounts import services as accounts
    from tuopin.accounts.selectors import get_user
    from tuopin.selection import committee, services
    from tuopin.selection.models import Programme

    out = SelectionDemo()
    if Programme.objects.filter(slug="teachers-2018").exists():
        return out
    rng = random.Random(seed + 16)  # noqa: S311 - demo data, not secrets
    operator = get_user("operator")
    chair = accounts.create_user(
        username="committee",
        role=roles.COMMITTEE,
        password=DEMO_PASSWORD,
        full_name=str(roles.ROLE_LABELS[roles.COMMITTEE]),
    )
    accounts.create_user(
        username="applicant", role=roles.DONOR, password=DEMO_PASSWORD, full_name="申请人"
    )
    poor = [c.ljust(12, "0") for c in SEED_COUNTIES]
    others = _other_counties(140)
    reviewers = []
    for i in range(REVIEWERS):
        area = (poor + others)[(i * 7) % (len(poor) + len(others))]
        u = accounts.create_user(
            username="reviewer" if i == 0 else f"reviewer{i:02d}",
            role=roles.REVIEWER,
            password=DEMO_PASSWORD,
            full_name=f"评审专家{i + 1}",
        )
        services.save_reviewer(user=u, area_code=area, school=f"师范大学{i % 6 + 1}", by=operator)
        reviewers.append(u)
    teachers = services.save_programme(by=operator, programme=Programme(**TEACHERS))
    teachers.reviewers.set(reviewers)
    history = []
    past_poor = rng.sample(range(300), 165)
    poor_set = set(past_poor)
    # 128 counties in all: the poor winners over the seed counties and others.
    counties_128 = poor + others[: 128 - len(poor)]
    n_other = 0
    for i in range(300):
        if i in poor_set:
            area = counties_128[i % 20]
        else:
            area = counties_128[20 + n_other % 108]
            n_other += 1
        history.append(
            {
                "name": _name(rng),
                "area_code": area,
                "year": 2015 + i // 100,
                "county_kind": "poor" if i in poor_set else "other",
                "consent": i % 3 == 0,
            }
        )
    out.history = services.import_history(programme=teachers, rows=history, by=operator)
    out.applications += _applicants(teachers, rng, poor, others, 130, seed)
    services.assign_reviewers(programme=teachers, by=operator)
    _score_all(teachers, rng)
    services.recompute_scores(programme=teachers, by=chair)
    committee.propose(programme=teachers, by=chair)

    principals = services.save_programme(by=operator, programme=Programme(**PRINCIPALS))
    principals.reviewers.set(reviewers[:6])
    out.applications += _applicants(principals, rng, poor, others, 40, seed + 1)
    services.assign_reviewers(programme=principals, by=operator)

    modou = services.save_programme(by=operator, programme=Programme(**MODOU))
    modou.reviewers.set(reviewers[4:])
    out.applications += _applicants(modou, rng, poor, others, 24, seed + 2)
    services.assign_reviewers(programme=modou, by=operator)
    _score_all(modou, rng)
    services.recompute_scores(programme=modou, by=chair)
    run = committee.propose(programme=modou, by=chair)
    committee.publish(run_id=run.pk, by=chair)
    committee.pay_instalment(programme=modou, number=1, by=operator)
    _flagship_stores(modou)
    out.programmes = 3
    out.certificates = _cohort(operator, rng, poor, others)
    _hiring(operator, rng, poor, others)
    return out


def _flagship_stores(modou: Any) -> int:
    """The contest's winners' shops become verified 兴农扶贫 suppliers of their counties (the
    report's 魔豆妈妈 flagship stores), registered and verified by the counties' office; a
    winner with an account runs her supplier's pages."""
    from tuopin.accounts import roles
    from tuopin.accounts import services as accounts
    from tuopin.commerce import services as commerce
    from tuopin.core.errors import ValidationFailed
    from tuopin.selection.models import Status

    winners = list(modou.applications.filter(status=Status.SELECTED).order_by("pk"))
    counties = sorted({a.area_code[:6].ljust(12, "0") for a in winners})
    office = accounts.create_user(
        username="modou_county",
        role=roles.COUNTY_OFFICER,
        area_codes=counties,
        password=DEMO_PASSWORD,
        full_name="魔豆妈妈店铺所在县扶贫办",
    )
    made = 0
    for app in winners:
        shop = str(app.answers.get("shop") or f"{app.name}的网店")[:100]
        supplier = None
        for name in (shop, f"{shop}（{app.name}）"[:100]):  # two shops of one name in a county
            try:
                supplier = commerce.create_supplier(
                    kind="enterprise",
                    name=name,
                    county_code=app.area_code[:6].ljust(12, "0"),
                    story=f"魔豆妈妈创业大赛获奖店铺：{app.name}",
                    by=office,
                )
                break
            except ValidationFailed:
                continue
        if supplier is None:
            continue
        commerce.verify_supplier(supplier=supplier, by=office)
        if app.applicant_id is not None:
            supplier.users.add(app.applicant_id)
        made += 1
    return made


def _applicants(
    programme: Any, rng: random.Random, poor: list[str], others: list[str], n: int, seed: int
) -> int:
    from tuopin.accounts.selectors import get_user
    from tuopin.selection import services

    from .casework import photo

    pictures = [
        photo(seed * 10 + i, dt.datetime(2018, 5, 1 + i, 9, tzinfo=SHANGHAI), 30.0, 110.0)
        for i in range(4)
    ]
    applicant = get_user("applicant")
    for i in range(n):
        area = rng.choice(poor) if rng.random() < 0.62 else rng.choice(others)
        answers = {f["name"]: _answer(f, rng) for f in programme.form_fields}
        services.submit_application(
            programme=programme,
            name=_name(rng),
            area_code=area,
            school=f"{_name(rng)[:1]}家湾小学",
            answers=answers,
            evidence={label: [pictures[(i + k) % 4]] for k, label in enumerate(programme.evidence)},
            by=applicant,
            nominate=i % 4 == 0,
        )
    return n


def _answer(field: dict[str, Any], rng: random.Random) -> Any:
    if field.get("kind") == "integer":
        return rng.randint(2, 30)
    if field.get("kind") == "boolean":
        return rng.random() < 0.5
    return "扎根乡村，带学生走出大山。"


def _score_all(programme: Any, rng: random.Random) -> None:
    from tuopin.selection import services
    from tuopin.selection.models import Assignment

    severity: dict[int, int] = {}
    for a in (
        Assignment.objects.filter(application__programme=programme)
        .select_related("reviewer", "application")
        .order_by("pk")
    ):
        s = severity.setdefault(a.reviewer_id, rng.choice([-1, 0, 0, 1]))
        services.declare(assignment_id=a.pk, conflict=False, by=a.reviewer)
        merit = (a.application_id * 7919) % 5
        scores = {
            c: max(0, min(5, merit + s + rng.choice([-1, 0, 0, 1]))) for c in programme.criteria
        }
        services.score(
            assignment_id=a.pk, scores=scores, comment="事迹真实，扎根多年。", by=a.reviewer
        )


def _cohort(operator: Any, rng: random.Random, poor: list[str], others: list[str]) -> int:
    from tuopin.selection import training

    start = dt.date(2018, 3, 5)
    cohort = training.create_cohort(
        slug="aca-2018-1",
        name="ACA云计算助理工程师 2018年第一期",
        course="阿里云ACA云计算",
        starts_on=start,
        pass_mark=60,
        min_attendance=3,
        by=operator,
    )
    people = training.enrol(
        cohort=cohort, people=[(_name(rng), rng.choice(poor)) for _ in range(30)], by=operator
    )
    for w in range(4):
        present = [t.pk for t in people if rng.random() < 0.85]
        training.record_session(
            cohort=cohort,
            held_on=start + dt.timedelta(weeks=w),
            topic=f"第{w + 1}讲",
            present=present,
            by=operator,
        )
    training.record_exam(
        cohort=cohort, scores={t.pk: rng.randint(40, 98) for t in people}, by=operator
    )
    made = training.issue_certificates(cohort=cohort, on=dt.date(2018, 4, 10), by=operator)
    for t in people[:20]:
        employed = rng.random() < 0.7
        training.follow_up(
            trainee=t,
            months=3,
            employed=employed,
            employer="阿里云合作伙伴" if employed else "",
            wage_band="4000-6000" if employed else "",
            by=operator,
        )
    return made


def _hiring(operator: Any, rng: random.Random, poor: list[str], others: list[str]) -> None:
    from tuopin.accounts.selectors import get_user
    from tuopin.selection import hiring
    from tuopin.selection.models import Stage

    graduate = get_user("applicant")
    for employer, title, harsh in (("钉钉", "前端开发", 0.0), ("菜鸟网络", "仓储管理", 0.25)):
        pos = hiring.post_position(employer=employer, title=title, by=operator)
        for _ in range(30):
            is_poor = rng.random() < 0.5
            c = hiring.apply_to(
                position=pos,
                name=_name(rng),
                origin_code=rng.choice(poor if is_poor else others),
                by=graduate,
            )
            for stage, p in ((Stage.INTERVIEWED, 0.6), (Stage.OFFERED, 0.5), (Stage.HIRED, 0.8)):
                # The interview is blind to origin; later stages are not (harsh: a gap).
                chance = p - (harsh if is_poor and stage != Stage.INTERVIEWED else 0)
                if rng.random() >= chance:
                    break
                c = hiring.move(candidacy_id=c.pk, stage=stage, by=operator)


TEACHERS: dict[str, Any] = {
    "slug": "teachers-2018",
    "name": "马云乡村教师奖",
    "kind": "award",
    "year": 2018,
    "description": "每年评选100名乡村教师，每人奖励10万元，并提供三年专业发展支持。",
    "eligibility": [
        {"rule": "at_least", "field": "rural_years", "value": 3},
        {"rule": "county_kind", "values": ["poor", "provincial", "other"]},
    ],
    "form_fields": [
        {"name": "rural_years", "label": "乡村学校任教年限", "kind": "integer", "required": True},
        {"name": "story", "label": "主要事迹", "kind": "text", "required": True},
    ],
    "evidence": ["教师资格证", "学校推荐信"],
    "criteria": ["师德师风", "教学成效", "扎根坚守", "创新示范"],
    "rounds": ["材料审核", "专家评审", "评审委员会"],
    "select_count": 100,
    "quotas": [
        {
            "name": "国家级贫困县至少55%",
            "family": "county_kind",
            "values": ["poor"],
            "share_at_least": 0.55,
        },
        {"name": "每省至多10人", "family": "province", "at_most": 10, "per_value": True},
    ],
    "reviewers_per_application": 3,
    "blind": True,
    "award_fen": 100_000_00,
    "instalments": 3,
    "support_years": 3,
}
PRINCIPALS: dict[str, Any] = TEACHERS | {
    "slug": "principals-2018",
    "name": "马云乡村校长计划",
    "description": "每年支持20名乡村校长，每人50万元，用于个人发展与学校发展。",
    "form_fields": [
        {"name": "rural_years", "label": "担任乡村校长年限", "kind": "integer", "required": True},
        {"name": "story", "label": "办学实践", "kind": "text", "required": True},
    ],
    "evidence": ["任职证明"],
    "criteria": ["办学理念", "学校变化", "领导力"],
    "select_count": 20,
    "quotas": [
        {
            "name": "国家级贫困县至少50%",
            "family": "county_kind",
            "values": ["poor"],
            "share_at_least": 0.5,
        }
    ],
    "reviewers_per_application": 2,
    "award_fen": 500_000_00,
    "instalments": 4,
}
MODOU: dict[str, Any] = {
    "slug": "modou-2018",
    "name": "魔豆妈妈创业大赛",
    "kind": "contest",
    "year": 2018,
    "description": "面向残疾、单亲或身患大病的女性网店店主：一对一导师、旗舰店扶持。",
    "eligibility": [{"rule": "any_of", "fields": ["disabled", "single_parent", "serious_illness"]}],
    "form_fields": [
        {"name": "disabled", "label": "残疾", "kind": "boolean"},
        {"name": "single_parent", "label": "单亲", "kind": "boolean"},
        {"name": "serious_illness", "label": "身患大病", "kind": "boolean"},
        {"name": "shop", "label": "网店名称", "kind": "text", "required": True},
    ],
    "evidence": ["网店截图"],
    "criteria": ["经营能力", "产品特色", "带动作用"],
    "rounds": ["材料审核", "专家评审", "评审委员会"],
    "select_count": 10,
    "quotas": [
        {"name": "贫困县至少4人", "family": "county_kind", "values": ["poor"], "at_least": 4}
    ],
    "reviewers_per_application": 2,
    "blind": False,
    "award_fen": 2_000_000,
    "instalments": 2,
    "support_years": 1,
}
