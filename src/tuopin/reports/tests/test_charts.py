"""The charts of the campaign page, the programme page and the home summary: the JSON the
page's script draws says what the page's figures say, and a county links to a page only where
the reader has one (never to the page itself)."""

from __future__ import annotations

import pytest
from django.test import Client

from tuopin.charity.models import Campaign
from tuopin.core.tests.test_charts import embedded
from tuopin.reports import selectors
from tuopin.reports.tests.test_campaign import funded  # noqa: F401 (a fixture)

pytestmark = pytest.mark.usefixtures("households")

SCRIPTS = '<script defer src="/static/tuopin/vendor/echarts/echarts.min.js"></script>'


def page(path: str, user=None) -> str:  # type: ignore[no-untyped-def]
    client = Client()
    if user is not None:
        client.force_login(user)
    response = client.get(path)
    assert response.status_code == 200
    return response.content.decode()


def test_the_campaign_charts_carry_the_campaigns_figures(funded: Campaign) -> None:  # noqa: F811
    html = page("/campaigns/dlz/")
    o = selectors.campaign_overview(funded)
    channels = embedded(html, "channels")
    assert [(r["label"], r["value"]) for r in channels["rows"]] == [
        (label, fen // 100) for label, fen, _n in o.by_channel
    ]
    assert channels["unit"] == "元" and channels["height"] == embedded(html, "counties")["height"]
    counties = embedded(html, "counties")
    assert [(r["label"], r["value"]) for r in counties["rows"]] == [("巴东县", 6)]
    dots = embedded(html, "county-map")["points"]
    assert [(p["name"], p["lng"], p["lat"], p["value"]) for p in dots] == [
        ("巴东县", 110.34, 31.04, 6)
    ]
    assert html.count(SCRIPTS) == 1


def test_a_visitor_gets_no_county_links_and_an_operator_gets_the_countys_page(
    funded: Campaign,  # noqa: F811
    operator,
) -> None:  # type: ignore[no-untyped-def]
    public = page("/campaigns/dlz/")
    assert {r["url"] for r in embedded(public, "counties")["rows"]} == {""}
    assert {p["url"] for p in embedded(public, "county-map")["points"]} == {""}
    assert 'href=""' not in public  # the old map linked every dot to the page itself
    mine = page("/campaigns/dlz/", operator)
    assert embedded(mine, "county-map")["points"][0]["url"] == "/registry/areas/422823000000/"
    assert '<a href="/registry/areas/422823000000/">巴东县</a>' in mine  # in the table too


def test_the_programme_page_links_a_county_only_for_who_may_open_it(
    funded: Campaign,  # noqa: F811
    operator,
    observer,
) -> None:  # type: ignore[no-untyped-def]
    mine = page("/insurance/programmes/dlz/", operator)
    assert embedded(mine, "counties")["rows"][0]["url"] == "/registry/areas/422823000000/"
    ages = embedded(mine, "ages")
    assert sum(r["value"] for r in ages["rows"]) == 6
    benefits = embedded(mine, "benefits")
    assert [(r["value"]) for r in benefits["rows"]] == [1_234] and benefits["unit"] == "元"
    # An observer sees progress but not the registry: no county page, so no link.
    theirs = page("/insurance/programmes/dlz/", observer)
    assert embedded(theirs, "counties")["rows"][0]["url"] == ""
    assert embedded(theirs, "county-map")["points"][0]["url"] == ""
    assert "/registry/areas/" not in theirs


def test_the_home_summary_charts_count_households_by_status_and_cause(county_officer) -> None:  # type: ignore[no-untyped-def]
    html = page("/", county_officer)
    status = {r["label"]: r["value"] for r in embedded(html, "status")["rows"]}
    assert status == {"未脱贫": 2, "已脱贫": 1, "返贫": 0}
    causes = embedded(html, "cause")["rows"]
    assert sum(r["value"] for r in causes) == 3
    assert html.count(SCRIPTS) == 1
