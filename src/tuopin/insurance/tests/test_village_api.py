"""The village view's API a page at a time: household order, a ``next`` link that carries the
search, a default and a largest page, the same scope as the page."""

from __future__ import annotations

from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from tuopin.conftest import VILLAGE_A, VILLAGE_B
from tuopin.insurance import api, selectors
from tuopin.insurance.models import Policy, Programme

from .test_cover import insured  # noqa: F401 - the fixture
from .test_village_pages import EVERYONE

URL = f"/api/v1/insurance/villages/{VILLAGE_A}/cover"


@pytest.fixture
def client(cadre_a) -> Client:  # type: ignore[no-untyped-def]
    c = Client()
    c.force_login(cadre_a)
    return c


def names(answer: dict[str, Any]) -> list[str]:
    return [p["name"] for p in answer["people"]]


def every_page(client: Client, url: str, query: dict[str, Any]) -> list[dict[str, Any]]:
    pages = [client.get(url, query).json()]
    while pages[-1]["next"]:
        pages.append(client.get(pages[-1]["next"]).json())
    return pages


def test_it_pages_the_village_in_household_order_with_a_next_link(
    insured: Programme,  # noqa: F811
    client: Client,
) -> None:
    first = client.get(URL, {"limit": 2}).json()
    assert names(first) == EVERYONE[:2]
    assert (first["count"], first["limit"], first["offset"]) == (4, 2, 0)
    assert first["next"] == f"http://testserver{URL}?limit=2&offset=2"
    second = client.get(first["next"]).json()
    assert names(second) == EVERYONE[2:]
    assert second["next"] is None


def test_it_answers_a_default_page_of_a_hundred(
    insured: Programme,  # noqa: F811
    client: Client,
) -> None:
    answer = client.get(URL).json()
    assert answer["limit"] == api.VILLAGE_PAGE == 100
    assert names(answer) == EVERYONE and answer["next"] is None


def test_the_last_page_ends_exactly_at_the_count(
    insured: Programme,  # noqa: F811
    client: Client,
) -> None:
    pages = every_page(client, URL, {"limit": 1})
    assert [n for page in pages for n in names(page)] == EVERYONE
    assert len(pages) == 4 and names(pages[-1]) == ["王强"]


def test_an_offset_past_the_end_is_an_empty_page(
    insured: Programme,  # noqa: F811
    client: Client,
) -> None:
    answer = client.get(URL, {"offset": 10}).json()
    assert answer["people"] == [] and answer["count"] == 4 and answer["next"] is None


@pytest.mark.parametrize(
    "query", [{"limit": api.VILLAGE_PAGE_MAX + 1}, {"limit": 0}, {"offset": -1}, {"limit": "x"}]
)
def test_a_page_size_or_offset_out_of_bounds_is_refused(
    insured: Programme,  # noqa: F811
    client: Client,
    query: dict[str, Any],
) -> None:
    response = client.get(URL, query)
    assert response.status_code == 422 and response.json()["code"] == "invalid"


def test_the_largest_page_is_allowed(
    insured: Programme,  # noqa: F811
    client: Client,
) -> None:
    answer = client.get(URL, {"limit": api.VILLAGE_PAGE_MAX}).json()
    assert answer["limit"] == 500 and names(answer) == EVERYONE


def test_the_next_link_keeps_the_search(
    insured: Programme,  # noqa: F811
    client: Client,
) -> None:
    pages = every_page(client, URL, {"q": " 朱 ", "limit": 1})
    assert [names(page) for page in pages] == [["朱婷婷"], ["朱明"]]
    assert pages[0]["count"] == 2 and "q=%E6%9C%B1" in pages[0]["next"]


def test_the_next_link_keeps_the_uncovered_filter(
    insured: Programme,  # noqa: F811
    client: Client,
    cadre_a,  # type: ignore[no-untyped-def]
) -> None:
    Policy.objects.filter(person__name__in=["朱明", "王强"]).update(status="exited")
    expected = [
        v.person.name for v in selectors.village_cover(cadre_a, VILLAGE_A, uncovered=True).villagers
    ]
    pages = every_page(client, URL, {"uncovered": "true", "limit": 1})
    assert expected == ["朱明", "王强"]
    assert [n for page in pages for n in names(page)] == expected
    assert all(page["count"] == len(expected) for page in pages)


def test_every_page_of_a_village_out_of_scope_is_not_found(
    insured: Programme,  # noqa: F811
    client: Client,
) -> None:
    hidden = client.get(f"/api/v1/insurance/villages/{VILLAGE_B}/cover", {"offset": 2})
    missing = client.get("/api/v1/insurance/villages/999999999999/cover", {"offset": 2})
    assert hidden.status_code == missing.status_code == 404
    assert hidden.json()["code"] == missing.json()["code"]


def test_a_later_page_costs_the_same_queries(
    insured: Programme,  # noqa: F811
    client: Client,
    django_assert_num_queries,  # type: ignore[no-untyped-def]
) -> None:
    client.get(URL, {"limit": 1})  # the session, warmed
    with CaptureQueriesContext(connection) as first:
        client.get(URL, {"limit": 1})
    with django_assert_num_queries(len(first.captured_queries)):
        client.get(URL, {"limit": 1, "offset": 3})
