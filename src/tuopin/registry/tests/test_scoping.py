"""A cadre of village A sees village A only: pages, API, export and search. Masking everywhere."""

from __future__ import annotations

import csv
import io
from collections.abc import Callable
from pathlib import Path

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from tuopin.accounts import services as accounts
from tuopin.accounts.models import UnmaskLog
from tuopin.conftest import person_row
from tuopin.core import idcard
from tuopin.core.errors import PermissionDenied
from tuopin.registry import selectors, services
from tuopin.registry.models import Person

pytestmark = pytest.mark.usefixtures("households")


def api(client: Client, user, url: str):  # type: ignore[no-untyped-def]
    token = accounts.issue_token(username=user.username)
    return client.get(url, HTTP_AUTHORIZATION=f"Bearer {token}")


def test_cadre_cannot_see_another_village_household_page(client: Client, cadre_a) -> None:  # type: ignore[no-untyped-def]
    client.force_login(cadre_a)
    assert client.get("/registry/households/A001/").status_code == 200
    assert client.get("/registry/households/B001/").status_code == 404
    assert client.get("/registry/households/NOPE/").status_code == 404


def test_cadre_household_list_and_area_browser_hold_only_own_village(
    client: Client, cadre_a
) -> None:  # type: ignore[no-untyped-def]
    client.force_login(cadre_a)
    body = client.get("/registry/households/").content.decode()
    assert "A001" in body and "A002" in body
    assert "B001" not in body and "C001" not in body
    assert client.get("/registry/areas/422823101202/").status_code == 404
    assert client.get("/registry/areas/422823000000/").status_code == 404
    assert client.get("/registry/areas/422823101201/").status_code == 200


def test_out_of_scope_and_missing_look_the_same_in_the_api(client: Client, cadre_a) -> None:  # type: ignore[no-untyped-def]
    missing = api(client, cadre_a, "/api/v1/households/NOPE")
    hidden = api(client, cadre_a, "/api/v1/households/B001")
    assert missing.status_code == hidden.status_code == 404
    assert missing.json()["code"] == hidden.json()["code"] == "household_not_found"
    assert api(client, cadre_a, "/api/v1/households/A001").status_code == 200


def test_api_list_filters_by_area_below_and_status(client: Client, county_officer) -> None:  # type: ignore[no-untyped-def]
    body = api(client, county_officer, "/api/v1/households?area=422823101000").json()
    assert {r["household_no"] for r in body["results"]} == {"A001", "A002", "B001"}
    body = api(client, county_officer, "/api/v1/households?status=lifted").json()
    assert [r["household_no"] for r in body["results"]] == ["A002"]
    body = api(client, county_officer, "/api/v1/households?area=621102000000").json()
    assert body["count"] == 0  # another county: outside the officer's scope


def api_post(client: Client, user, url: str, body: dict[str, object]):  # type: ignore[no-untyped-def]
    token = accounts.issue_token(username=user.username)
    return client.post(
        url, body, content_type="application/json", HTTP_AUTHORIZATION=f"Bearer {token}"
    )


def test_cadre_search_never_finds_another_village(client: Client, cadre_a) -> None:  # type: ignore[no-untyped-def]
    other = Person.objects.get(name="李华")
    by_id = api_post(client, cadre_a, "/api/v1/people/search", {"id_number": other.id_number})
    by_name = api(client, cadre_a, "/api/v1/people?name=李").json()
    assert by_id.json() == [] and by_name == []
    own = Person.objects.get(name="唐俊")
    found = api_post(
        client, cadre_a, "/api/v1/people/search", {"id_number": own.id_number.lower()}
    ).json()
    assert [p["name"] for p in found] == ["唐俊"]


def test_the_api_refuses_an_id_number_in_the_url(client: Client, cadre_a) -> None:  # type: ignore[no-untyped-def]
    own = Person.objects.get(name="唐俊")
    response = api(client, cadre_a, f"/api/v1/people?id_number={own.id_number}")
    assert response.status_code == 422
    assert response.json()["code"] == "id_number_in_url"
    assert "唐俊" not in response.content.decode()


def test_export_holds_only_the_scope_and_is_masked(tmp_path: Path, cadre_a, county_officer) -> None:  # type: ignore[no-untyped-def]
    out = tmp_path / "e.csv"
    services.export_registry(user=county_officer, path=out)
    with out.open(encoding="utf-8-sig") as fh:
        rows = list(csv.DictReader(fh))
    assert {r["户编号"] for r in rows} == {"A001", "A002", "B001"}
    assert all(r["证件号码"] == idcard.mask(r["证件号码"]) for r in rows)


def test_a_cadre_may_not_export_even_through_the_service(cadre_a) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(PermissionDenied):
        services.export_rows(user=cadre_a)


def test_export_page_streams_masked_csv(client: Client, county_officer, cadre_a) -> None:  # type: ignore[no-untyped-def]
    client.force_login(county_officer)
    response = client.get("/registry/households/export/?area=422823101202")
    text = b"".join(response.streaming_content).decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(text)))
    assert [r[0] for r in rows[1:]] == ["B001", "B001"]
    assert all(r[8].count("*") == 11 for r in rows[1:])
    client.force_login(cadre_a)
    assert client.get("/registry/households/export/").status_code == 403


def test_ids_are_masked_in_pages_and_api(client: Client, county_officer) -> None:  # type: ignore[no-untyped-def]
    p = Person.objects.get(name="唐俊")
    client.force_login(county_officer)
    page = client.get("/registry/households/A001/?unmask=1").content.decode()
    assert p.id_number not in page and p.masked_id in page
    body = api(client, county_officer, "/api/v1/households/A001").json()
    assert {m["id_number"] for m in body["members"]} == {
        m.masked_id for m in Person.objects.filter(household__household_no="A001")
    }


def test_unmasking_needs_the_permission_and_is_logged(client: Client, unmasking_officer) -> None:  # type: ignore[no-untyped-def]
    p = Person.objects.get(name="唐俊")
    client.force_login(unmasking_officer)
    assert p.id_number not in client.get("/registry/households/A001/").content.decode()
    assert UnmaskLog.objects.count() == 0
    assert p.id_number in client.get("/registry/households/A001/?unmask=1").content.decode()
    body = api(client, unmasking_officer, "/api/v1/households/A001").json()
    assert p.id_number in {m["id_number"] for m in body["members"]}
    assert list(UnmaskLog.objects.values_list("subject", "context").order_by("id")) == [
        ("A001", "household_page"),
        ("A001", "api"),
    ]


def test_admin_is_scoped_and_masked(client: Client, county_officer) -> None:  # type: ignore[no-untyped-def]
    client.force_login(county_officer)
    listing = client.get("/admin/registry/person/").content.decode()
    assert "唐俊" in listing and "赵刚" not in listing
    p = Person.objects.get(name="唐俊")
    assert p.id_number not in listing
    change = client.get(f"/admin/registry/person/{p.pk}/change/").content.decode()
    assert p.id_number not in change
    other = Person.objects.get(name="赵刚")
    assert client.get(f"/admin/registry/person/{other.pk}/change/").status_code in (302, 404)


def test_observer_sees_aggregates_but_no_households(client: Client, observer) -> None:  # type: ignore[no-untyped-def]
    client.force_login(observer)
    assert client.get("/").status_code == 200
    assert client.get("/registry/households/").status_code == 403
    assert selectors.counts_for(observer).households == 4


def test_anonymous_gets_login_page_and_api_401(client: Client) -> None:
    assert client.get("/registry/households/").status_code == 302
    response = client.get("/api/v1/households")
    assert response.status_code == 401
    assert response.json()["code"] == "unauthenticated"
    bad = client.get("/api/v1/households", HTTP_AUTHORIZATION="Bearer nope")
    assert bad.status_code == 401


def test_home_counts_follow_scope(client: Client, cadre_a, township_officer, operator) -> None:  # type: ignore[no-untyped-def]
    assert selectors.counts_for(cadre_a).households == 2
    assert selectors.counts_for(cadre_a).people == 4
    assert selectors.counts_for(operator).households == 4
    # A cadre with one village lands on the village; an officer on the summary of the scope.
    client.force_login(township_officer)
    response = client.get("/")
    assert response.context["counts"].households == 3
    assert (
        "溪丘湾乡" in response.content.decode()
        and 'id="chart-status-data"' in response.content.decode()
    )


def test_people_search_page_stays_in_scope(client: Client, cadre_a) -> None:  # type: ignore[no-untyped-def]
    client.force_login(cadre_a)
    other = Person.objects.get(name="李华")
    assert "李华" not in client.post("/registry/people/", {"q": "李"}).content.decode()
    assert "李华" not in client.post("/registry/people/", {"q": other.id_number}).content.decode()
    own = Person.objects.get(name="唐俊")
    page = client.post("/registry/people/", {"q": own.id_number}).content.decode()
    assert "唐俊" in page and own.id_number not in page and own.masked_id in page


def count_queries(client: Client, url: str) -> int:
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200
    return len(ctx.captured_queries)


def test_list_and_detail_pages_use_a_fixed_number_of_queries(
    client: Client,
    county_officer,
    write_csv: Callable[..., Path],  # type: ignore[no-untyped-def]
) -> None:
    client.force_login(county_officer)
    client.get("/registry/households/")  # warm the session and permission caches
    before_list = count_queries(client, "/registry/households/")
    before_detail = count_queries(client, "/registry/households/A001/")
    rows = [person_row(f"M{i:03d}", "某", seq=101 + 2 * i) for i in range(40)]
    rows += [person_row("A001", f"成员{i}", seq=301 + 2 * i, relation="之子") for i in range(6)]
    assert services.import_registry(path=write_csv(rows, name="more.csv")).errors == []
    assert count_queries(client, "/registry/households/") == before_list
    assert count_queries(client, "/registry/households/A001/") == before_detail


def test_the_registry_admin_refuses_every_edit(client: Client, county_officer) -> None:  # type: ignore[no-untyped-def]
    from tuopin.registry.models import Household

    client.force_login(county_officer)
    head = Person.objects.get(name="唐俊")
    response = client.post(
        f"/admin/registry/person/{head.pk}/change/",
        {"name": "唐俊英", "phone": "13900000001"},
    )
    assert response.status_code == 403
    head.refresh_from_db()
    assert head.name == "唐俊"
    assert Household.objects.get(household_no="A001").head_name == "唐俊"
    assert client.get("/admin/registry/person/add/").status_code == 403


def test_a_county_officer_cannot_move_a_household_from_the_admin(
    client: Client,
    county_officer,  # type: ignore[no-untyped-def]
) -> None:
    from tuopin.conftest import VILLAGE_C
    from tuopin.registry.models import Household

    client.force_login(county_officer)
    household = Household.objects.get(household_no="A001")
    response = client.post(
        f"/admin/registry/household/{household.pk}/change/",
        {"household_no": "X999", "village": VILLAGE_C, "household_type": "general"},
    )
    assert response.status_code == 403
    household.refresh_from_db()
    assert (household.household_no, household.village_id) == ("A001", "422823101201")
