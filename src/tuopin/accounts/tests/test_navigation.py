"""The nav shows each role only pages it can use, and every link it shows opens."""

from __future__ import annotations

import pytest
from django.test import Client

from tuopin.accounts import roles
from tuopin.accounts import services as accounts
from tuopin.accounts.navigation import items_for
from tuopin.conftest import COUNTY, TOWNSHIP, VILLAGE_A

pytestmark = pytest.mark.usefixtures("households")

AREAS = {
    roles.VILLAGE_CADRE: [VILLAGE_A],
    roles.TOWNSHIP_OFFICER: [TOWNSHIP],
    roles.COUNTY_OFFICER: [COUNTY],
}


def _nav_labels(client: Client) -> list[str]:
    html = client.get("/campaigns/").content.decode()
    nav = html[html.index("<nav") : html.index("</nav>")]
    return [part.split("</a>")[0].split(">")[-1] for part in nav.split("<a ")[1:]]


def test_a_donor_is_not_shown_the_registry(donor) -> None:  # type: ignore[no-untyped-def]
    client = Client()
    client.force_login(donor)
    labels = _nav_labels(client)
    assert labels == ["募捐", "账本", "兴农扶贫", "我的捐赠"]


def test_an_observer_is_shown_programmes_but_not_the_registry(observer) -> None:  # type: ignore[no-untyped-def]
    client = Client()
    client.force_login(observer)
    assert _nav_labels(client) == ["募捐", "账本", "兴农扶贫", "保险项目", "村情上报", "销售统计"]


def test_the_public_is_shown_the_public_pages_and_a_login_link() -> None:
    html = Client().get("/campaigns/").content.decode()
    assert _nav_labels(Client()) == ["募捐", "账本", "兴农扶贫"]
    assert 'href="/login/"' in html


@pytest.mark.parametrize("role", sorted(roles.ROLE_PERMISSIONS))
def test_every_link_a_role_is_shown_opens(role: str) -> None:
    user = accounts.create_user(username=f"nav_{role}", role=role, area_codes=AREAS.get(role))
    client = Client()
    client.force_login(user)
    for link in items_for(user):
        response = client.get(link.url, follow=True)
        assert response.status_code == 200, f"{role}: {link.url} answered {response.status_code}"
