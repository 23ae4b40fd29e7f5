"""The chart builders (pure) and the ``{% chart %}`` tag: what the page's script draws and the
table that says the same without it."""

from __future__ import annotations

import json
import re
from decimal import Decimal

import pytest
from django.template import Context, Template

from tuopin.core import charts
from tuopin.core.charts import Place


def embedded(html: str, key: str) -> dict:  # type: ignore[type-arg]
    found = re.search(
        rf'<script id="chart-{key}-data" type="application/json">(.*?)</script>', html
    )
    assert found, f"no JSON for chart {key}"
    return json.loads(found.group(1))  # type: ignore[no-any-return]


def render(spec: dict, table: bool = True) -> str:  # type: ignore[type-arg]
    template = Template("{% load charts %}{% chart spec table=table %}")
    return template.render(Context({"spec": spec, "table": table}))


def test_a_bar_chart_keeps_its_rows_in_order_with_their_links() -> None:
    spec = charts.bar_chart("ch", "善款来源", [("企业", 9_992), ("政府", 5_995, "/x/")], unit="元")
    assert spec["kind"] == "bar" and spec["unit"] == "元"
    assert spec["rows"] == [
        {"label": "企业", "value": 9992, "url": ""},
        {"label": "政府", "value": 5995, "url": "/x/"},
    ]


def test_every_bar_chart_is_the_same_height_until_its_rows_need_more() -> None:
    few = charts.bar_chart("a", "t", [("x", 1)] * 3)
    some = charts.bar_chart("b", "t", [("x", 1)] * 12)
    many = charts.bar_chart("c", "t", [("x", 1)] * 40)
    assert few["height"] == some["height"] == charts.BOX_HEIGHT
    assert many["height"] == 40 * charts.BAR_ROW + charts.BAR_PADDING > charts.BOX_HEIGHT


def test_a_chart_key_must_make_a_valid_element_id() -> None:
    with pytest.raises(ValueError):
        charts.bar_chart("Bad key", "t", [])


@pytest.mark.parametrize(
    ("name", "short"),
    [
        ("新疆维吾尔自治区", "新疆"),
        ("广西壮族自治区", "广西"),
        ("宁夏回族自治区", "宁夏"),
        ("内蒙古自治区", "内蒙古"),
        ("香港特别行政区", "香港"),
        ("北京市", "北京"),
        ("河北省", "河北"),
        ("恩施市", "恩施市"),  # a county-level city keeps its name
        ("长阳土家族自治县", "长阳土家族自治县"),
        ("巴东县", "巴东县"),
    ],
)
def test_map_labels_use_the_short_names_of_provinces(name: str, short: str) -> None:
    assert charts.short_name(name) == short


def test_one_place_sits_in_the_middle_of_its_neighbourhood_not_in_a_corner() -> None:
    extent = charts.fit_extent([(110.34, 31.04)])
    (lng0, lng1), (lat0, lat1) = extent["lng"], extent["lat"]
    assert lng0 < 110.34 < lng1 and lat0 < 31.04 < lat1
    assert (lng0 + lng1) / 2 == pytest.approx(110.34) and (lat0 + lat1) / 2 == pytest.approx(31.04)
    assert lng1 - lng0 >= charts.MIN_SPAN and lat1 - lat0 >= charts.MIN_SPAN


def test_a_scoped_map_fits_its_places_with_room_on_every_side() -> None:
    places = [(110.29, 30.99), (110.31, 31.01), (109.0, 29.5)]
    extent = charts.fit_extent(places)
    (lng0, lng1), (lat0, lat1) = extent["lng"], extent["lat"]
    for lng, lat in places:
        assert lng0 < lng < lng1 and lat0 < lat < lat1
    assert lng1 - lng0 < 2 and lat1 - lat0 < 2  # a county's corner, not the country
    assert extent["kx"] == pytest.approx(0.86, abs=0.01)  # cos(30.5°)


def test_the_national_map_always_shows_xinjiang_and_the_south_china_sea() -> None:
    extent = charts.fit_extent([(114.3, 30.5), (116.4, 39.9)], nationwide=True)
    (lng0, lng1), (lat0, lat1) = extent["lng"], extent["lat"]
    assert lng0 <= 73.5 and lng1 >= 135.0  # 新疆's western tip, 黑龙江's eastern one
    assert lat0 <= 3.9 and lat1 >= 53.5  # 曾母暗沙, 漠河
    assert 0.8 <= extent["aspect"] <= 1.4


def test_a_map_box_keeps_a_shape_a_page_can_show() -> None:
    wide = charts.fit_extent([(100.0, 30.0), (120.0, 30.1)])
    tall = charts.fit_extent([(100.0, 20.0), (100.1, 45.0)])
    assert wide["aspect"] == charts.MAX_ASPECT and tall["aspect"] == charts.MIN_ASPECT
    assert charts.fit_extent([]) == {}


def test_a_dot_map_draws_the_placed_areas_largest_first_and_lists_every_area() -> None:
    spec = charts.dot_map(
        "m",
        "各县在保人数",
        [
            Place(
                "巴东县", Decimal("110.34"), Decimal("31.04"), 3, "/registry/areas/422823000000/"
            ),
            Place("安定区", Decimal("104.61"), Decimal("35.58"), 5),
            Place("无坐标县", None, None, 7),
            Place("新疆维吾尔自治区", 87.6, 43.8, 0),
        ],
        unit="人",
    )
    assert [p["name"] for p in spec["points"]] == ["安定区", "巴东县", "新疆维吾尔自治区"]
    assert spec["points"][1]["url"] == "/registry/areas/422823000000/"
    assert spec["points"][0]["url"] == ""  # no page for this user: no link at all
    assert spec["points"][2] == {
        "name": "新疆维吾尔自治区",
        "label": "新疆",
        "lng": 87.6,
        "lat": 43.8,
        "value": 0,
        "url": "",
    }
    assert [r["label"] for r in spec["rows"]] == [
        "无坐标县",
        "安定区",
        "巴东县",
        "新疆维吾尔自治区",
    ]
    lng0, lng1 = spec["extent"]["lng"]
    assert lng0 < 87.6 and lng1 > 110.34


def test_the_tag_embeds_the_figures_and_the_same_figures_as_a_table() -> None:
    spec = charts.bar_chart(
        "channels", "善款来源", [("企业<b>", 9_992, "/c/1/")], unit="元", columns=("来源", "金额")
    )
    html = render(spec)
    assert embedded(html, "channels") == spec
    assert 'data-chart="chart-channels-data" role="img" aria-label="善款来源"' in html
    assert 'style="height:320px"></div>' in html  # its size from the start: nothing moves
    assert '<details class="chart-data">' in html  # folded; opens with a tap, script or not
    assert '<a href="/c/1/">企业&lt;b&gt;</a>' in html and "9,992" in html
    assert "金额（元）" in html and "<b>" not in html


def test_without_a_table_or_anything_to_draw_the_tag_says_so() -> None:
    assert "<table>" not in render(charts.bar_chart("a", "t", [("x", 1)]), table=False)
    assert "暂无数据" in render(charts.bar_chart("a", "t", []))
    unplaced = charts.dot_map("m", "t", [Place("无坐标县", None, None, 7)])
    assert "data-chart" not in render(unplaced) and "无坐标县" in render(unplaced)
    assert render(unplaced, table=False).strip() == ""


def test_a_map_box_takes_the_shape_of_its_extent() -> None:
    spec = charts.dot_map("m", "t", [Place("a", 100.0, 30.0, 1), Place("b", 120.0, 30.1, 1)])
    assert f"aspect-ratio:{charts.MAX_ASPECT}" in render(spec)
    assert f"max-height:{charts.MAP_MAX_HEIGHT}px" in render(spec)
