"""The area browser's map: the whole country for a nationwide user, the user's own area for
everyone else, each dot linked to its area's page."""

from __future__ import annotations

import pytest
from django.test import Client

from tuopin.conftest import COUNTY, VILLAGE_A
from tuopin.core import charts
from tuopin.core.tests.test_charts import embedded

pytestmark = pytest.mark.usefixtures("households")


def browse(user, path: str = "/registry/areas/"):  # type: ignore[no-untyped-def]
    client = Client()
    client.force_login(user)
    response = client.get(path)
    assert response.status_code == 200
    return response


def test_a_nationwide_user_sees_the_whole_country_with_every_province(operator) -> None:  # type: ignore[no-untyped-def]
    html = browse(operator).content.decode()
    spec = embedded(html, "areas")
    (lng0, lng1), (lat0, lat1) = spec["extent"]["lng"], spec["extent"]["lat"]
    assert (lng0, lng1, lat0, lat1) == (
        charts.CHINA_EXTENT[0][0],
        charts.CHINA_EXTENT[0][1],
        charts.CHINA_EXTENT[1][0],
        charts.CHINA_EXTENT[1][1],
    )
    dots = {p["name"]: p for p in spec["points"]}
    assert dots["湖北省"]["value"] == 3 and dots["湖北省"]["label"] == "湖北"
    assert dots["湖北省"]["url"] == "/registry/areas/420000000000/"
    assert "甘肃省" not in dots  # no coordinates: only in the table below the map
    assert "甘肃省" in html


def test_a_county_officer_sees_their_county_and_its_townships_not_one_dot(county_officer) -> None:  # type: ignore[no-untyped-def]
    response = browse(county_officer)
    assert response.context["area"].code == COUNTY
    spec = embedded(response.content.decode(), "areas")
    assert [(p["name"], p["value"]) for p in spec["points"]] == [("溪丘湾乡", 3)]
    (lng0, lng1), (lat0, lat1) = spec["extent"]["lng"], spec["extent"]["lat"]
    assert lng0 < 110.30 < lng1 and lat0 < 31.00 < lat1
    assert lng1 - lng0 < 1 and lat1 - lat0 < 1  # the township's surroundings, not China
    assert spec["points"][0]["url"] == "/registry/areas/422823101000/"


def test_a_cadre_opens_on_their_village_which_has_no_map_of_one_dot(cadre_a) -> None:  # type: ignore[no-untyped-def]
    response = browse(cadre_a)
    assert response.context["area"].code == VILLAGE_A
    assert "data-chart" not in response.content.decode()
    assert "没有下级区划" in response.content.decode()


def test_a_township_officer_sees_the_villages_of_the_township(township_officer) -> None:  # type: ignore[no-untyped-def]
    spec = embedded(browse(township_officer).content.decode(), "areas")
    assert sorted((p["name"], p["value"]) for p in spec["points"]) == [
        ("溪丘湾村", 2),
        ("红岩村", 1),
    ]
    lng0, lng1 = spec["extent"]["lng"]
    assert lng0 < 110.29 and lng1 > 110.31 and lng1 - lng0 < 0.5
