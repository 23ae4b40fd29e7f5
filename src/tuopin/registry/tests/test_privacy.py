"""What is shown of a person never rebuilds the ID number: a masked number (region and check
character) never sits beside the whole birth date, in pages, API, admin and export; phones are
masked unless the user may unmask."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest
from django.test import Client

from tuopin.accounts import services as accounts
from tuopin.core import idcard
from tuopin.registry import services
from tuopin.registry.models import Person

pytestmark = pytest.mark.usefixtures("households")

BIRTH = "1970-05-01"  # 唐俊's, in the fixture


def head() -> Person:
    return Person.objects.get(name="唐俊")


def bearer(user) -> dict[str, str]:  # type: ignore[no-untyped-def]
    return {"HTTP_AUTHORIZATION": f"Bearer {accounts.issue_token(username=user.username)}"}


def test_the_household_page_shows_the_age_not_the_birth_date(client: Client, cadre_a) -> None:  # type: ignore[no-untyped-def]
    client.force_login(cadre_a)
    page = client.get("/registry/households/A001/").content.decode()
    assert head().masked_id in page
    assert BIRTH not in page and f'<td data-label="年龄">{head().age}</td>' in page


def test_the_household_page_shows_the_birth_date_only_when_unmasked(
    client: Client,
    unmasking_officer,  # type: ignore[no-untyped-def]
) -> None:
    client.force_login(unmasking_officer)
    assert BIRTH not in client.get("/registry/households/A001/").content.decode()
    page = client.get("/registry/households/A001/?unmask=1").content.decode()
    assert BIRTH in page and head().id_number in page


def test_the_people_search_page_shows_the_age(client: Client, cadre_a) -> None:  # type: ignore[no-untyped-def]
    client.force_login(cadre_a)
    page = client.post("/registry/people/", {"q": "唐"}).content.decode()
    assert head().masked_id in page and BIRTH not in page


def test_the_api_gives_no_birth_date_beside_a_masked_number(client: Client, cadre_a) -> None:  # type: ignore[no-untyped-def]
    body = client.get("/api/v1/households/A001", **bearer(cadre_a)).json()
    tang = next(m for m in body["members"] if m["name"] == "唐俊")
    assert (tang["id_number"], tang["birth_date"], tang["age"]) == (
        head().masked_id,
        None,
        head().age,
    )
    found = client.post(
        "/api/v1/people/search",
        {"name": "唐"},
        content_type="application/json",
        **bearer(cadre_a),
    ).json()
    assert [(p["id_number"], p["birth_date"]) for p in found] == [(head().masked_id, None)]


def test_the_api_gives_the_birth_date_with_the_whole_number(
    client: Client, unmasking_officer
) -> None:  # type: ignore[no-untyped-def]
    body = client.get("/api/v1/households/A001", **bearer(unmasking_officer)).json()
    tang = next(m for m in body["members"] if m["name"] == "唐俊")
    assert (tang["id_number"], tang["birth_date"]) == (head().id_number, BIRTH)


def test_the_openapi_schema_says_the_birth_date_may_be_null(client: Client) -> None:
    schema = client.get("/api/v1/openapi.json").json()
    person = schema["components"]["schemas"]["PersonOut"]
    assert "age" in person["required"]
    assert {"type": "null"} in person["properties"]["birth_date"]["anyOf"]


def test_the_masked_export_gives_the_birth_year_and_masks_phones(
    tmp_path: Path, county_officer
) -> None:  # type: ignore[no-untyped-def]
    out = tmp_path / "e.csv"
    services.export_registry(user=county_officer, path=out)
    with out.open(encoding="utf-8-sig") as fh:
        rows = list(csv.DictReader(fh))
    tang = next(r for r in rows if r["姓名"] == "唐俊")
    assert "出生日期" not in tang
    assert (tang["证件号码"], tang["出生年份"], tang["联系电话"]) == (
        idcard.mask(head().id_number),
        "1970",
        "139****0000",
    )
    assert BIRTH not in out.read_text(encoding="utf-8-sig")


def test_the_unmasked_export_gives_everything(tmp_path: Path, unmasking_officer) -> None:  # type: ignore[no-untyped-def]
    out = tmp_path / "e.csv"
    services.export_registry(user=unmasking_officer, path=out)
    with out.open(encoding="utf-8-sig") as fh:
        tang = next(r for r in csv.DictReader(fh) if r["姓名"] == "唐俊")
    assert (tang["证件号码"], tang["出生日期"], tang["联系电话"]) == (
        head().id_number,
        BIRTH,
        "13900000000",
    )


def test_the_admin_masks_the_phone_and_gives_the_age(client: Client, county_officer) -> None:  # type: ignore[no-untyped-def]
    client.force_login(county_officer)
    page = client.get(f"/admin/registry/person/{head().pk}/change/").content.decode()
    assert "139****0000" in page and "13900000000" not in page
    assert head().masked_id in page and head().id_number not in page
    assert BIRTH not in page and "1970年5月1日" not in page


def test_the_admin_shows_the_phone_to_who_may_unmask(client: Client, unmasking_officer) -> None:  # type: ignore[no-untyped-def]
    client.force_login(unmasking_officer)
    page = client.get(f"/admin/registry/person/{head().pk}/change/").content.decode()
    assert "13900000000" in page


def test_the_household_admin_lists_members_with_their_age(client: Client, county_officer) -> None:  # type: ignore[no-untyped-def]
    from tuopin.registry.models import Household

    client.force_login(county_officer)
    pk = Household.objects.get(household_no="A001").pk
    page = client.get(f"/admin/registry/household/{pk}/change/").content.decode()
    assert head().masked_id in page and BIRTH not in page and "1970年5月1日" not in page
