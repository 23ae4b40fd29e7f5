"""Each role lands on a page of its own at ``/``; nobody meets a summary of zeros."""

from __future__ import annotations

import pytest
from django.test import Client

from tuopin.accounts import roles
from tuopin.accounts import services as accounts
from tuopin.conftest import VILLAGE_A, VILLAGE_B

pytestmark = pytest.mark.usefixtures("households")


def _home(user=None):  # type: ignore[no-untyped-def]
    client = Client()
    if user is not None:
        client.force_login(user)
    return client.get("/", follow=True)


def test_a_visitor_who_is_not_logged_in_sees_the_public_campaigns() -> None:
    response = _home()
    assert response.status_code == 200
    assert response.templates[0].name == "reports/welcome.html"
    assert "公益募捐" in response.content.decode()
    assert 'name="password"' not in response.content.decode()


def test_a_cadre_with_one_village_lands_on_that_village(cadre_a) -> None:  # type: ignore[no-untyped-def]
    response = _home(cadre_a)
    assert response.status_code == 200
    assert response.redirect_chain[-1][0] == f"/insurance/villages/{VILLAGE_A}/"
    assert "唐俊" in response.content.decode()


def test_a_cadre_with_two_villages_lands_on_the_summary_of_both() -> None:
    cadre = accounts.create_user(
        username="cadre_ab", role=roles.VILLAGE_CADRE, area_codes=[VILLAGE_A, VILLAGE_B]
    )
    response = _home(cadre)
    assert response.redirect_chain == []
    assert response.context["counts"].households == 3


def test_a_township_officer_lands_on_the_registry_summary_of_the_township(township_officer) -> None:  # type: ignore[no-untyped-def]
    response = _home(township_officer)
    text = response.content.decode()
    assert response.status_code == 200
    assert "建档立卡概况" in text and "溪丘湾乡" in text
    assert response.context["counts"].households == 3


def test_a_county_officer_lands_on_the_registry_summary_of_the_county(county_officer) -> None:  # type: ignore[no-untyped-def]
    response = _home(county_officer)
    assert response.status_code == 200
    assert "巴东县" in response.content.decode()
    assert response.context["counts"].households == 3


def test_the_operator_lands_on_the_summary_with_programmes_and_campaigns(operator) -> None:  # type: ignore[no-untyped-def]
    text = _home(operator).content.decode()
    assert "建档立卡概况" in text and "全国" in text
    assert 'href="/insurance/programmes/"' in text and "新建项目" in text


def test_the_observer_lands_on_programme_progress(observer) -> None:  # type: ignore[no-untyped-def]
    response = _home(observer)
    assert response.status_code == 200
    assert response.templates[0].name == "reports/home_progress.html"
    assert "项目进展" in response.content.decode()
    assert "唐俊" not in response.content.decode()


def test_a_donor_lands_on_the_campaigns_with_what_a_donor_can_do(donor) -> None:  # type: ignore[no-untyped-def]
    text = _home(donor).content.decode()
    assert "回执" in text and "公益募捐" in text
    assert "管辖范围" not in text and "建档立卡" not in text


def test_an_adjuster_is_told_the_claims_pages_come_with_the_claims_feature(adjuster) -> None:  # type: ignore[no-untyped-def]
    text = _home(adjuster).content.decode()
    assert "理赔功能" in text and "公益募捐" in text
    assert "管辖范围" not in text


def test_a_helper_is_told_the_casework_pages_come_with_the_casework_feature(helper) -> None:  # type: ignore[no-untyped-def]
    text = _home(helper).content.decode()
    assert "帮扶（个案）功能" in text and "公益募捐" in text
    assert "管辖范围" not in text
