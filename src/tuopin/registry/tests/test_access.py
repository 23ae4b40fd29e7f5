"""The registry's access functions check the permission and the scope, for every caller;
their filters really filter."""

from __future__ import annotations

import pytest
from django.test import Client

from tuopin.accounts import services as accounts
from tuopin.core.errors import PermissionDenied
from tuopin.registry import selectors
from tuopin.registry.errors import PersonNotFound
from tuopin.registry.models import Household, Person

pytestmark = pytest.mark.usefixtures("households")


def bearer(user) -> dict[str, str]:  # type: ignore[no-untyped-def]
    return {"HTTP_AUTHORIZATION": f"Bearer {accounts.issue_token(username=user.username)}"}


# -- the probe's reproductions: an observer (aggregates only) read the registry by the API --


def test_observer_cannot_list_households_through_the_api(client: Client, observer) -> None:  # type: ignore[no-untyped-def]
    response = client.get("/api/v1/households", **bearer(observer))
    assert response.status_code == 403
    assert response.json()["code"] == "permission_denied"


def test_observer_cannot_read_a_household_through_the_api(client: Client, observer) -> None:  # type: ignore[no-untyped-def]
    response = client.get("/api/v1/households/A001", **bearer(observer))
    assert response.status_code == 403
    assert "唐俊" not in response.content.decode()


def test_observer_cannot_search_people_through_the_api(client: Client, observer) -> None:  # type: ignore[no-untyped-def]
    assert client.get("/api/v1/people?name=唐", **bearer(observer)).status_code == 403
    response = client.post(
        "/api/v1/people/search", {"name": "唐"}, content_type="application/json", **bearer(observer)
    )
    assert response.status_code == 403


def test_observer_gets_the_same_403_from_page_and_api(client: Client, observer) -> None:  # type: ignore[no-untyped-def]
    client.force_login(observer)
    assert client.get("/registry/households/A001/").status_code == 403
    assert client.get("/api/v1/households/A001").status_code == 403  # the session, too


def test_observer_cannot_read_people_through_the_access_functions(observer) -> None:  # type: ignore[no-untyped-def]
    for read in (
        lambda: selectors.households_for(observer),
        lambda: selectors.get_household_for(observer, "A001"),
        lambda: selectors.people_for(observer, name="唐"),
        lambda: selectors.members_of(observer, Household.objects.get(household_no="A001")),
    ):
        with pytest.raises(PermissionDenied):
            read()


def test_observer_still_sees_the_counts(observer) -> None:  # type: ignore[no-untyped-def]
    assert selectors.counts_for(observer).households == 4


def test_a_donor_sees_no_counts_and_a_home_page_without_them(client: Client, area_tree) -> None:  # type: ignore[no-untyped-def]
    donor = accounts.create_user(username="donor", role="donor")
    with pytest.raises(PermissionDenied):
        selectors.counts_for(donor)
    client.force_login(donor)
    response = client.get("/")
    assert response.status_code == 200 and "贫困户" not in response.content.decode()


def test_a_person_out_of_scope_looks_missing(cadre_a) -> None:  # type: ignore[no-untyped-def]
    other = Person.objects.get(name="李华")
    with pytest.raises(PersonNotFound):
        selectors.get_person_for(cadre_a, other.pk)
    assert selectors.get_person_for(cadre_a, Person.objects.get(name="唐俊").pk).name == "唐俊"


# -- the filters --------------------------------------------------------------------------------


def test_the_cause_filter_keeps_only_that_cause(county_officer) -> None:  # type: ignore[no-untyped-def]
    found = selectors.households_for(county_officer, cause="no_skills")
    assert [h.household_no for h in found] == ["A002"]


def test_the_api_filters_by_cause(client: Client, county_officer) -> None:  # type: ignore[no-untyped-def]
    body = client.get("/api/v1/households?cause=illness", **bearer(county_officer)).json()
    assert sorted(r["household_no"] for r in body["results"]) == ["A001", "B001"]


def test_the_list_page_filters_by_cause(client: Client, county_officer) -> None:  # type: ignore[no-untyped-def]
    client.force_login(county_officer)
    page = client.get("/registry/households/?cause=no_skills").content.decode()
    assert "A002" in page and "A001" not in page and "B001" not in page


def test_the_type_and_text_filters_keep_only_matches(county_officer) -> None:  # type: ignore[no-untyped-def]
    Household.objects.filter(household_no="B001").update(household_type="dibao")
    assert [
        h.household_no for h in selectors.households_for(county_officer, household_type="dibao")
    ] == ["B001"]
    assert [h.household_no for h in selectors.households_for(county_officer, q="王")] == ["A002"]


def test_the_command_line_exports_as_the_named_user_and_refuses_a_cadre(
    tmp_path,
    cadre_a,
    county_officer,  # type: ignore[no-untyped-def]
) -> None:
    from django.core.management import CommandError, call_command

    out = tmp_path / "e.csv"
    with pytest.raises(CommandError) as exc:
        call_command("registry", "export", str(out), "--user", cadre_a.username)
    assert exc.value.returncode == 2 and not out.exists()
    call_command("registry", "export", str(out), "--user", county_officer.username)
    assert "C001" not in out.read_text(encoding="utf-8-sig")
