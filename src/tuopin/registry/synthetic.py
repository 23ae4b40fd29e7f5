"""Deterministic synthetic registry rows for the demo and the benchmarks.

Households with a realistic structure (a head aged 25–80, a spouse, children and sometimes a
parent), valid ID numbers of their county, poverty causes in the proportions of the national
registry. The same seed always gives the same rows. No Django models: rows are plain tuples
in the column order of :data:`HEADER`, ready for a CSV file and the real importer.
"""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Iterator
from dataclasses import dataclass

from tuopin.core import idcard

HEADER = [
    "户编号",
    "姓名",
    "证件号码",
    "性别",
    "出生日期",
    "与户主关系",
    "村代码",
    "贫困户属性",
    "主要致贫原因",
    "贫困状态",
    "脱贫年度",
    "文化程度",
    "健康状况",
    "在校生状况",
    "联系电话",
]

SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤"
GIVEN_M = "伟强磊军勇杰涛明超刚平辉鹏华飞鑫波斌宇浩凯健俊帆帅旭宁龙林洋坤志兴国建新春生福海山"
GIVEN_F = "芳娟敏静丽艳娜秀英华慧巧美兰霞梅琳燕玲桂凤红云莲菊萍珍翠彩琴雪婷倩玉"

# (value, weight): shares close to the national registry of 2016–2018.
CAUSES = [
    ("因病", 42),
    ("因残", 14),
    ("因学", 9),
    ("缺技术", 9),
    ("缺资金", 8),
    ("缺劳力", 6),
    ("缺土地", 4),
    ("因灾", 3),
    ("缺水", 2),
    ("交通条件落后", 2),
    ("自身发展动力不足", 1),
]
TYPES = [("一般贫困户", 70), ("低保贫困户", 25), ("特困供养贫困户", 5)]
STATUSES = [("未脱贫", 58), ("已脱贫", 38), ("返贫", 4)]
TOWNSHIP_WORDS = "东西南北中上下前后新安和兴平石河山林溪岭坪桥湾沟口坝"
VILLAGE_WORDS = "红光明星建新胜利团结和平幸福前进联合东风向阳光荣民主友谊青松柏杨柳桃李花果茶"


@dataclass(frozen=True)
class VillageSpec:
    code: str
    county_code: str


def _pick(rng: random.Random, table: list[tuple[str, int]]) -> str:
    return rng.choices([v for v, _w in table], weights=[w for _v, w in table])[0]


def place_names(rng: random.Random, n: int, words: str, suffix: str) -> list[str]:
    """``n`` distinct two-character place names with a suffix (镇/乡/村)."""
    names: list[str] = []
    seen: set[str] = set()
    while len(names) < n:
        name = rng.choice(words) + rng.choice(words)
        if name[0] != name[1] and name not in seen:
            seen.add(name)
            names.append(name + (suffix if isinstance(suffix, str) else rng.choice(suffix)))
    return names


class RowGenerator:
    """Generates households village by village; keeps ID sequences unique per county and day."""

    def __init__(self, seed: int, today: dt.date, *, first_sequence: int = 0) -> None:
        """``first_sequence`` starts the ID sequence numbers higher, so that a second
        generator for the same counties makes no ID number the first one made."""
        self.rng = random.Random(seed)
        self.today = today
        self.first_sequence = first_sequence
        self.sequence: dict[tuple[str, dt.date, str], int] = {}

    def _birth(self, age: int) -> dt.date:
        year = self.today.year - age
        return dt.date(year, 1, 1) + dt.timedelta(days=self.rng.randrange(365))

    def _id(self, county: str, birth: dt.date, sex: str) -> str:
        key = (county, birth, sex)
        k = self.sequence.get(key, self.first_sequence)
        self.sequence[key] = k + 1
        seq = 2 * k + (1 if sex == "M" else 0)
        if seq > 999:  # more than 500 of one sex born on one day in one county: next day
            return self._id(county, birth + dt.timedelta(days=1), sex)
        return idcard.build(county, birth, seq)

    def _name(self, surname: str, sex: str) -> str:
        pool = GIVEN_M if sex == "M" else GIVEN_F
        given = self.rng.choice(pool) + (self.rng.choice(pool) if self.rng.random() < 0.7 else "")
        return surname + given

    @staticmethod
    def _education(age: int, rng: random.Random) -> str:
        if age < 6:
            return "学龄前儿童"
        if age < 12:
            return "小学"
        if age < 15:
            return "初中"
        if age < 18:
            return rng.choice(["初中", "高中"])
        if age > 60:
            return rng.choices(["文盲或半文盲", "小学", "初中"], [45, 40, 15])[0]
        return rng.choices(
            ["文盲或半文盲", "小学", "初中", "高中", "大专及以上"], [8, 32, 42, 13, 5]
        )[0]

    @staticmethod
    def _student(age: int, rng: random.Random) -> str:
        if 3 <= age <= 5:
            return "学前教育"
        if 6 <= age <= 11:
            return "小学"
        if 12 <= age <= 14:
            return "初中"
        if 15 <= age <= 17:
            return rng.choice(["高中", "中职", "非在校生"])
        if 18 <= age <= 21 and rng.random() < 0.3:
            return "大专及以上"
        return "非在校生"

    def household(self, village: VillageSpec, serial: int) -> list[list[str]]:
        rng = self.rng
        cause = _pick(rng, CAUSES)
        htype = _pick(rng, TYPES)
        status = _pick(rng, STATUSES)
        year = str(rng.randint(2014, 2018)) if status != "未脱贫" else ""
        surname = rng.choice(SURNAMES)
        head_sex = "M" if rng.random() < 0.82 else "F"
        head_age = rng.randint(25, 80)
        members: list[tuple[str, str, int]] = [("户主", head_sex, head_age)]
        if rng.random() < 0.8 and head_age < 78:
            members.append(
                ("配偶", "F" if head_sex == "M" else "M", max(20, head_age + rng.randint(-5, 3)))
            )
        if htype != "特困供养贫困户":
            for _ in range(rng.choices([0, 1, 2, 3], [15, 35, 35, 15])[0]):
                child_age = head_age - rng.randint(20, 38)
                if child_age >= 0:
                    sex = rng.choice("MF")
                    members.append(("之子" if sex == "M" else "之女", sex, child_age))
            if head_age < 50 and rng.random() < 0.25:
                sex = rng.choice("MF")
                members.append(
                    ("之父" if sex == "M" else "之母", sex, head_age + rng.randint(22, 32))
                )
        household_no = f"{village.code}{serial:04d}"
        phone = f"1{rng.choice('3578')}{rng.randrange(10**9):09d}"
        rows = []
        for i, (relation, sex, age) in enumerate(members):
            birth = self._birth(min(age, 100))
            health = "健康"
            if cause == "因病" and i == 0:
                health = rng.choice(["长期慢性病", "患有大病"])
            elif cause == "因残" and i == 0:
                health = "残疾"
            elif age > 60 and rng.random() < 0.3:
                health = "长期慢性病"
            name = self._name(
                surname if relation not in ("配偶", "之母") else rng.choice(SURNAMES), sex
            )
            rows.append(
                self._row(
                    household_no,
                    name,
                    birth,
                    sex,
                    relation,
                    village,
                    age,
                    health,
                    (htype, cause, status, year),
                    phone if i == 0 else "",
                )
            )
        return rows

    def _row(
        self,
        household_no: str,
        name: str,
        birth: dt.date,
        sex: str,
        relation: str,
        village: VillageSpec,
        age: int,
        health: str,
        household: tuple[str, str, str, str],
        phone: str,
    ) -> list[str]:
        """One row in ``HEADER``'s order; ``household`` is (type, cause, status, year)."""
        htype, cause, status, year = household
        return [
            household_no,
            name,
            self._id(village.county_code, birth, sex),
            "男" if sex == "M" else "女",
            birth.isoformat(),
            relation,
            village.code,
            htype,
            cause,
            status,
            year,
            self._education(age, self.rng),
            health,
            self._student(age, self.rng),
            phone,
        ]

    def young_family(self, village: VillageSpec, serial: int) -> list[list[str]]:
        """A household with one or two children under three, their parents and sometimes a
        grandmother (for the childcare demo, where such families cluster)."""
        rng = self.rng
        surname = rng.choice(SURNAMES)
        father = rng.randint(23, 36)
        members = [("户主", "M", father), ("配偶", "F", max(20, father + rng.randint(-4, 1)))]
        for _ in range(rng.choices([1, 2], [75, 25])[0]):
            sex = rng.choice("MF")
            members.append(("之子" if sex == "M" else "之女", sex, rng.randint(0, 2)))
        if rng.random() < 0.5:
            members.append(("之母", "F", father + rng.randint(22, 30)))
        household_no = f"{village.code}{serial:04d}"
        rows = []
        for i, (relation, sex, age) in enumerate(members):
            birth = min(self._birth(age), self.today - dt.timedelta(days=30))
            name = self._name(
                surname if relation not in ("配偶", "之母") else rng.choice(SURNAMES), sex
            )
            rows.append(
                self._row(
                    household_no,
                    name,
                    birth,
                    sex,
                    relation,
                    village,
                    age,
                    "健康",
                    ("一般贫困户", _pick(rng, CAUSES), "未脱贫", ""),
                    f"1{rng.choice('3578')}{rng.randrange(10**9):09d}" if i == 0 else "",
                )
            )
        return rows

    def village_rows(self, village: VillageSpec, households: int) -> Iterator[list[str]]:
        for serial in range(1, households + 1):
            yield from self.household(village, serial)
