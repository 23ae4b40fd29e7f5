"""Why a villager has no policy in a programme, on the cadre's village view and in the API:
the first condition of the enrollment's own rule the person fails, or 'eligible' (the next run
enrols them); and the cards above the table count what the table shows."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from tuopin.areas.models import Area
from tuopin.conftest import VILLAGE_A, person_row
from tuopin.insurance import selectors, services
from tuopin.insurance.models import Programme
from tuopin.registry import services as registry
from tuopin.registry.models import Person

PERIOD = dt.date(timezone.localdate().year, 1, 1)


def make_programme(slug: str = "dlz", name: str = "顶梁柱", **rule: Any) -> Programme:
    counties = rule.pop("counties", [])
    p = Programme.objects.create(
        slug=slug,
        name=name,
        sponsor="中国扶贫基金会",
        insurer="某保险",
        premium_fen=10_000,
        min_age=18,
        max_age=60,
        starts_on=PERIOD,
        ends_on=PERIOD.replace(month=12, day=31),
        **rule,
    )
    p.counties.set(Area.objects.filter(code__in=counties))
    return p


def reason_of(user: Any, name: str, slug: str = "dlz") -> str:
    cover = selectors.village_cover(user, VILLAGE_A)
    villager = next(v for v in cover.villagers if v.person.name == name)
    return next(g.reason for g in villager.gaps if g.programme == slug)


def add_people(write_csv: Callable[..., Path], *rows: list[str]) -> None:
    assert registry.import_registry(path=write_csv(list(rows), name="more.csv")).errors == []


def test_a_villager_past_the_age_range_is_uninsured_for_age(
    households: None, cadre_a: Any, write_csv: Callable[..., Path]
) -> None:
    make_programme()
    add_people(
        write_csv, person_row("A003", "老周", seq=81, birth=PERIOD.replace(year=PERIOD.year - 67))
    )
    services.enroll(programme_slug="dlz", period_start=PERIOD)
    assert reason_of(cadre_a, "老周") == "age"


def test_a_man_in_a_programme_for_women_is_uninsured_for_sex(
    households: None, cadre_a: Any
) -> None:
    make_programme(sex="F")
    services.enroll(programme_slug="dlz", period_start=PERIOD)
    assert reason_of(cadre_a, "朱明") == "sex"
    assert not selectors.village_cover(cadre_a, VILLAGE_A).villagers[0].gaps  # 唐俊 (F) insured


def test_a_villager_whose_county_is_not_covered_is_uninsured_for_county(
    households: None, cadre_a: Any
) -> None:
    make_programme(counties=["621102000000"])  # 安定区 only; village A lies in 巴东县
    services.enroll(programme_slug="dlz", period_start=PERIOD)
    assert reason_of(cadre_a, "唐俊") == "county"


def test_a_lifted_household_is_uninsured_for_household_status(
    households: None, cadre_a: Any
) -> None:
    make_programme(household_statuses=["poor"])
    services.enroll(programme_slug="dlz", period_start=PERIOD)
    assert reason_of(cadre_a, "王强") == "household_status"  # A002 已脱贫


def test_a_member_who_moved_out_is_uninsured_for_leaving(
    households: None, cadre_a: Any, county_officer: Any
) -> None:
    make_programme()
    zhu = Person.objects.get(name="朱明")
    registry.change_member_status(
        household=zhu.household, person_id=zhu.pk, status="moved_out", on=PERIOD, by=county_officer
    )
    services.enroll(programme_slug="dlz", period_start=PERIOD)
    assert reason_of(cadre_a, "朱明") == "left"


def test_a_villager_registered_after_the_run_is_eligible_at_the_next(
    households: None, cadre_a: Any, write_csv: Callable[..., Path]
) -> None:
    make_programme()
    services.enroll(programme_slug="dlz", period_start=PERIOD)
    add_people(write_csv, person_row("A003", "新来", seq=83))
    assert reason_of(cadre_a, "新来") == "eligible"
    services.enroll(programme_slug="dlz", period_start=PERIOD)
    cover = selectors.village_cover(cadre_a, VILLAGE_A)
    assert not next(v for v in cover.villagers if v.person.name == "新来").gaps


def test_the_reason_is_given_per_programme(
    households: None, cadre_a: Any, write_csv: Callable[..., Path]
) -> None:
    make_programme()
    make_programme(slug="nv", name="女性安康", sex="F")
    services.enroll(programme_slug="dlz", period_start=PERIOD)
    services.enroll(programme_slug="nv", period_start=PERIOD)
    cover = selectors.village_cover(cadre_a, VILLAGE_A)
    zhu = next(v for v in cover.villagers if v.person.name == "朱明")
    assert [(g.programme, g.reason) for g in zhu.gaps] == [("nv", "sex")]
    assert [pl.programme for pl in zhu.policies] == ["dlz"]


def test_the_api_gives_a_reason_code_per_uninsured_programme(
    households: None, cadre_a: Any, write_csv: Callable[..., Path]
) -> None:
    make_programme()
    add_people(
        write_csv, person_row("A003", "老周", seq=81, birth=PERIOD.replace(year=PERIOD.year - 67))
    )
    services.enroll(programme_slug="dlz", period_start=PERIOD)
    client = Client()
    client.force_login(cadre_a)
    api = client.get(f"/api/v1/insurance/villages/{VILLAGE_A}/cover").json()
    old = next(p for p in api["people"] if p["name"] == "老周")
    assert old["uninsured"] == [
        {"programme": "dlz", "reason": "age", "label": "年龄不符（18–60 岁）"}
    ]
    assert next(p for p in api["people"] if p["name"] == "唐俊")["uninsured"] == []


def test_the_page_says_why_and_its_cards_count_what_is_shown(
    households: None, cadre_a: Any, write_csv: Callable[..., Path]
) -> None:
    make_programme()
    services.enroll(programme_slug="dlz", period_start=PERIOD)
    add_people(
        write_csv,
        person_row("A003", "老周", seq=81, birth=PERIOD.replace(year=PERIOD.year - 67)),
        person_row("A004", "新来", seq=83),
    )
    client = Client()
    client.force_login(cadre_a)
    body = client.get(f"/insurance/villages/{VILLAGE_A}/?uncovered=1").content.decode()
    assert "年龄不符（18–60 岁）" in body and "符合条件，下次参保时纳入" in body
    assert "唐俊" not in body
    cards = selectors_cards(client, "?uncovered=1")
    assert cards[:2] == [("2", "未参保的人"), ("1", "下次参保时纳入")]
    cards = selectors_cards(client, "")
    # 6 people, 4 insured; the programme's card counts its policies, under its name.
    assert cards == [("6", "在册人口"), ("4", "有有效保单"), ("4", "顶梁柱")]


def selectors_cards(client: Client, query: str) -> list[tuple[str, str]]:
    response = client.get(f"/insurance/villages/{VILLAGE_A}/{query}")
    return [(str(n), label) for n, label in response.context["cards"]]


def test_more_programmes_take_no_more_queries(households: None, cadre_a: Any) -> None:
    make_programme()
    services.enroll(programme_slug="dlz", period_start=PERIOD)

    def count() -> int:
        fresh = type(cadre_a).objects.get(pk=cadre_a.pk)
        with CaptureQueriesContext(connection) as ctx:
            selectors.village_cover(fresh, VILLAGE_A)
        return len(ctx.captured_queries)

    before = count()
    make_programme(slug="nv", name="女性安康", sex="F", counties=["422823000000"])
    make_programme(slug="hh", name="户保", household_statuses=["poor"])
    assert count() == before
    assert reason_of(cadre_a, "王强", "hh") == "household_status"


@pytest.fixture(autouse=True)
def _chinese(settings: Any) -> None:
    settings.LANGUAGE_CODE = "zh-hans"
