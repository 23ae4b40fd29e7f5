"""Demo registry upkeep in 略阳 (the field reports' county): change requests at each stage of
the chain (waiting at the township, at the county, applied, returned, rejected; two households
merged, the second one closed), the year's review (动态调整) in progress (facts recorded, an
unsafe house photographed, one village in its public notice with an objection, one filed and
approved by its township), and two planted near-duplicates for the duplicates screen.
Everything goes through the real services and the importer. Runs once."""

from __future__ import annotations

import datetime as dt
import tempfile
from pathlib import Path
from typing import Any

LUEYANG = "610727"
DUPLICATE_HOUSEHOLD = "LY-DUP-1"
GOOD = dict.fromkeys(("food", "clothing", "education", "medical", "housing", "water"), True)


def _user(name: str) -> Any:
    from tuopin.accounts.selectors import get_user

    return get_user(name)


def _requests(cadre: Any, township: Any, county: Any, households: list[Any]) -> int:
    from tuopin.core import idcard
    from tuopin.registry.models import Person
    from tuopin.registry.upkeep import services

    def file(h: Any, kind: str, payload: dict[str, Any], reason: str) -> Any:
        return services.file_request(
            household=h,
            kind=kind,
            payload=payload,
            reason=reason,
            evidence=[_photo(h.pk)],
            by=cadre,
        )

    h1, h2, h3, h4, h5 = households[:5]
    baby = idcard.build(h1.village_id[:6], dt.date(2018, 3, 8), 7 * 2 + 1)
    file(
        h1,
        "add_member",
        {"name": "新生儿", "id_number": baby, "relation": "之孙子", "cause": "birth"},
        "新生儿落户，附出生医学证明",
    )
    at_county = file(
        h2,
        "change_household",
        {"poverty_cause": _other(h2.poverty_cause, "schooling")},
        "孩子考上高中，学费为主要支出",
    )
    services.decide(request=at_county, action="approve", by=township)
    member = (
        Person.objects.filter(household=h3).exclude(relation="head").first()
        or Person.objects.filter(household=h3).first()
    )
    assert member is not None
    applied = file(
        h3, "correct_person", {"person_id": member.pk, "phone": "13909160001"}, "电话号码变更"
    )
    services.decide(request=applied, action="approve", by=township)
    services.decide(request=applied, action="approve", by=county)
    returned = file(
        h4,
        "change_household",
        {"household_type": _other(h4.household_type, "dibao", "general")},
        "户属性变化",
    )
    services.decide(request=returned, action="return", comment="请补充低保证复印件", by=township)
    rejected = file(
        h5,
        "change_household",
        {"poverty_cause": _other(h5.poverty_cause, "no_capital")},
        "缺少发展资金",
    )
    services.decide(
        request=rejected, action="reject", comment="入户核实：主要原因仍为因病", by=township
    )
    if len(households) < 9:
        return 5
    # Two households of one family living together again: applied, the second one closed
    # (销户) and its members now in the first.
    merged = file(
        households[7],
        "merge_households",
        {"other_household_no": households[8].household_no},
        "老人随子女生活，两户合为一户",
    )
    services.decide(request=merged, action="approve", by=township)
    services.decide(request=merged, action="approve", by=county)
    return 6


def _other(current: str, wanted: str, fallback: str = "illness") -> str:
    """``wanted``, unless the household has it already (then ``fallback``)."""
    return fallback if current == wanted else wanted


def _review(cadre: Any, townships: list[Any], county: Any, year: int) -> Any:
    from django.utils import timezone

    from tuopin.registry.models import ReviewItem
    from tuopin.registry.upkeep import review

    rnd = review.open_review(county=LUEYANG.ljust(12, "0"), year=year, line_fen=330_000, by=county)
    villages = sorted(rnd.villages.values_list("village_code", flat=True))
    mine = [v for v in villages if cadre.area_scopes.filter(area_id=v).exists()]
    today = timezone.localdate()
    for n, village in enumerate(mine[:2]):
        items = list(
            ReviewItem.objects.filter(round=rnd, village_code=village).order_by("household_id")
        )
        for i, item in enumerate(items):
            checks = {**GOOD, "housing": i % 7 != 3}
            income = (item.members or 1) * (420_000 if i % 3 else 250_000)
            review.record_facts(
                item=item,
                income_fen=income,
                checks=checks,
                by=cadre,
                # the house that fails the safe-housing check, photographed
                evidence=None if checks["housing"] else [_photo(item.household_id + 100)],
            )
        start = today - dt.timedelta(days=2 if n == 0 else 10)
        vr = review.post_notice(rnd=rnd, village=village, starts_on=start, by=cadre)
        if n == 0:
            review.raise_objection(
                item=items[0], text="村民反映该户有子女在外务工收入未计入", by=cadre
            )
        else:
            review.file_village(rnd=rnd, village=village, by=cadre)
            decider = next(
                t for t in townships if t.area_scopes.filter(area_id=village[:9] + "000").exists()
            )
            review.decide_village(vr=vr, action="approve", by=decider)
    return rnd


def _duplicates(households: list[Any], villages: list[str]) -> int:
    """Two people registered again in a new household of another village: one with two ID
    digits transposed or one mistyped (a valid check character recomputed, as a typist's
    system would), one
    with another ID number but the same name and birth date."""
    import csv

    from tuopin.core import idcard
    from tuopin.registry import services as registry
    from tuopin.registry.models import Person

    people = list(
        Person.objects.filter(household__in=households[5:7], relation="head").order_by("id")
    )
    if len(people) < 2 or len(villages) < 2:
        return 0
    a, b = people[:2]
    digits = a.id_number[:17]
    # Two sequence digits swapped (birth date and sex still agree), or one mistyped when
    # they are the same.
    if digits[14] != digits[15]:
        first17 = digits[:14] + digits[15] + digits[14] + digits[16]
    else:
        first17 = digits[:15] + str((int(digits[15]) + 1) % 10) + digits[16]
    transposed = first17 + idcard.check_char(first17)
    taken = set(Person.objects.values_list("id_number", flat=True))
    other = next(
        n
        for seq in range(999 if b.sex == "M" else 998, 0, -2)
        if (n := idcard.build(b.id_number[:6], b.birth_date, seq)) not in taken
    )
    target = next(v for v in villages if v != a.village_code)
    rows = [
        [
            DUPLICATE_HOUSEHOLD,
            a.name,
            transposed,
            a.get_sex_display(),
            a.birth_date.isoformat(),
            "户主",
            target,
        ],
        [
            DUPLICATE_HOUSEHOLD,
            b.name,
            other,
            b.get_sex_display(),
            b.birth_date.isoformat(),
            "其他",
            target,
        ],
    ]
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "dups.csv"
        with path.open("w", encoding="utf-8", newline="") as fh:
            w = csv.writer(fh)
            w.writerow(["户编号", "姓名", "证件号码", "性别", "出生日期", "与户主关系", "村代码"])
            w.writerows(rows)
        report = registry.import_registry(path=path)
    if report.errors:  # the generator makes only valid rows; anything else is a bug
        raise RuntimeError(f"planted duplicates rejected: {report.errors[0].message}")
    return 2


def _photo(seed: int) -> bytes:
    from zoneinfo import ZoneInfo

    from .casework import photo

    return photo(
        seed + 5000, dt.datetime(2018, 6, 20, 10, tzinfo=ZoneInfo("Asia/Shanghai")), 33.33, 106.15
    )


def build_upkeep(seed: int, today: dt.date) -> tuple[int, int]:
    """Requests, a review year and planted duplicates in 略阳; returns the requests filed and
    the people the planted duplicates added."""
    from tuopin.accounts.models import User
    from tuopin.registry.models import Household, Person, ReviewRound

    if ReviewRound.objects.filter(area_code=LUEYANG.ljust(12, "0")).exists():
        # Already built: the planted people are still there (the demo's counts include them).
        return 0, Person.objects.filter(household__household_no=DUPLICATE_HOUSEHOLD).count()
    cadre, county = _user("ly_cadre"), _user("ly_county")
    townships = list(User.objects.filter(username__startswith="ly_township").order_by("username"))
    village = cadre.area_scopes.order_by("area_id").values_list("area_id", flat=True).first()
    households = list(Household.objects.filter(village_id=village).order_by("household_no")[:9])
    township = next(
        t for t in townships if t.area_scopes.filter(area_id=village[:9] + "000").exists()
    )
    filed = _requests(cadre, township, county, households)
    planted = _duplicates(households, sorted(cadre.area_scopes.values_list("area_id", flat=True)))
    _review(cadre, townships, county, today.year)
    return filed, planted
