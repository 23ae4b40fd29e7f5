"""The area tree: national codes from cpca, township/village import, codes and the API."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from django.core.management import call_command
from openpyxl import Workbook

from tuopin.accounts import services as accounts
from tuopin.areas import codes, services
from tuopin.areas.models import Area, Level


def test_code_levels_prefixes_and_ancestors() -> None:
    assert codes.level_of("420000000000") == codes.PROVINCE
    assert codes.level_of("422800000000") == codes.PREFECTURE
    assert codes.level_of("422823000000") == codes.COUNTY
    assert codes.level_of("422823101000") == codes.TOWNSHIP
    assert codes.level_of("422823101201") == codes.VILLAGE
    assert codes.prefix_of("422823101000") == "422823101"
    assert codes.ancestor_codes("422823101201") == [
        "422823101000",
        "422823000000",
        "422800000000",
        "420000000000",
    ]
    assert codes.normalise("422823") == "422823000000"
    assert codes.normalise("422823101201.0") == "422823101201"
    with pytest.raises(codes.AreaCodeError):
        codes.normalise("42282")


@pytest.mark.django_db
def test_load_national_reads_cpca_and_is_idempotent() -> None:
    first = services.load_national()
    assert first.created > 3000
    badong = Area.objects.get(code="422823000000")
    assert (badong.name, badong.level, badong.parent_id) == ("巴东县", Level.COUNTY, "422800000000")
    assert badong.longitude is not None and 110 < float(badong.longitude) < 111
    # 直辖市 counties hang from the nearest existing ancestor.
    assert Area.objects.get(code="500236000000").parent is not None
    services.set_poverty_flags(code="422823", national_poor=True, deep_poverty=True)
    second = services.load_national()
    assert second.created == 0
    badong.refresh_from_db()
    assert badong.national_poor and badong.deep_poverty  # a reload keeps the flags


@pytest.mark.django_db
def test_import_townships_and_villages_reports_bad_rows(tmp_path: Path) -> None:
    services.load_national()
    path = tmp_path / "areas.csv"
    path.write_text(
        "代码,名称,经度,纬度,贫困县类型\n"
        "422823201201,后到的村,110.3,31.0,\n"  # its township comes later in the file
        "422823201000,溪丘湾乡,110.2,31.1,\n"
        "422823,巴东县,,,国家级贫困县;深度贫困县\n"
        "99,坏代码,,,\n"
        "422823201202,,,,\n"
        "422823201203,坐标错,200,31,\n"
        "422823201204,标志错,,,国家级贫困县\n"
        "633333201201,无上级村,,,\n",
        encoding="gb18030",
    )
    report = services.import_areas(path)
    assert {(e.line, e.code) for e in report.errors} == {
        (5, "bad_code"),
        (6, "missing_field"),
        (7, "bad_coordinate"),
        (8, "bad_flags"),
        (9, "unknown_parent"),
    }
    village = Area.objects.get(code="422823201201")
    assert (village.level, village.parent_id) == (Level.VILLAGE, "422823201000")
    assert Area.objects.get(code="422823000000").deep_poverty
    again = services.import_areas(path)
    assert again.created == 0 and again.updated == 3


@pytest.mark.django_db
def test_areas_cli_import_xlsx_json(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    call_command("areas", "load")
    wb = Workbook()
    ws = wb.active
    ws.append(["code", "name", "longitude", "latitude"])
    ws.append([422823202000, "野三关镇", 110.1, 30.6])
    path = tmp_path / "a.xlsx"
    wb.save(path)
    capsys.readouterr()
    call_command("areas", "import", str(path), "--json")
    assert json.loads(capsys.readouterr().out) == {"created": 1, "updated": 0, "rejected_rows": 0}


def test_children_api_lists_villages_of_a_township(client, area_tree) -> None:  # type: ignore[no-untyped-def]
    accounts.create_user(username="op", role="operator")
    token = accounts.issue_token(username="op")
    response = client.get(
        "/api/v1/areas/422823101000/children", HTTP_AUTHORIZATION=f"Bearer {token}"
    )
    assert response.status_code == 200
    assert [a["name"] for a in response.json()] == ["溪丘湾村", "红岩村"]
    assert response.json()[0]["parent_code"] == "422823101000"
    missing = client.get("/api/v1/areas/999999/children", HTTP_AUTHORIZATION=f"Bearer {token}")
    assert missing.status_code == 404 and missing.json()["code"] == "area_not_found"
