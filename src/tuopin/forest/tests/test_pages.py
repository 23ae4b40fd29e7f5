"""Pages: a person's forest, collecting and adopting from it, the public project page and a
certificate, the operator's set-up and flash opening, survival checks with a photo."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone

from tuopin.accounts.models import User
from tuopin.casework.tests.factories import photo
from tuopin.documents.errors import BadImage
from tuopin.forest import selectors, work
from tuopin.forest.errors import BadWork
from tuopin.forest.models import Adoption, EnergyBall, Project, ProjectStatus

from .tests_helpers import report_ripe

pytestmark = pytest.mark.django_db


def test_my_forest_shows_ripe_energy_and_collects_it(
    area: Project, green: User, partner: User, action_types: None
) -> None:
    report_ripe(partner, green)
    client = Client()
    client.force_login(green)
    assert "收取全部能量" in client.get("/forest/").content.decode()
    response = client.post("/forest/collect/", follow=True)
    assert "收取了 80 克能量" in response.content.decode()
    assert not EnergyBall.objects.filter(remaining_g__gt=0).exists()


def test_adopting_from_the_page_leads_to_the_certificate(
    area: Project, green: User, give_energy: Callable[..., int]
) -> None:
    give_energy(green, 80)
    client = Client()
    client.force_login(green)
    response = client.post("/forest/projects/guanba/adopt/", {"units": "1", "key": "p1"})
    adoption = Adoption.objects.get()
    assert response.url == f"/forest/certificates/{adoption.token}/"
    html = Client().get(response.url).content.decode()
    assert adoption.number in html and "待上链" in html and "已与公开账本核对" not in html


def test_the_certificate_page_shows_the_inclusion_proof_once_signed(
    area: Project,
    green: User,
    give_energy: Callable[..., int],
    settings: Any,
    tmp_path: Any,
) -> None:
    from tuopin.forest import adoption, certify
    from tuopin.ledger import services as ledger

    settings.LEDGER_KEY_FILE = tmp_path / "ledger.key"
    signer = ledger.generate_key(path=settings.LEDGER_KEY_FILE, name=settings.LEDGER_ORIGIN)
    give_energy(green, 80)
    made = adoption.adopt(by=green, project_slug="guanba", units=1, key="a1").adoption
    certify.certify_all()
    url = f"/forest/certificates/{made.token}/"
    assert "等待下一个签名检查点" in Client().get(url).content.decode()
    ledger.integrate(signer=signer)
    html = Client().get(url).content.decode()
    assert "已与公开账本核对" in html and "包含证明" in html and "待上链" not in html


def test_without_energy_the_page_says_so_and_takes_nothing(area: Project, green: User) -> None:
    client = Client()
    client.force_login(green)
    response = client.post(
        "/forest/projects/guanba/adopt/", {"units": "1", "key": "p1"}, follow=True
    )
    assert "能量不足" in response.content.decode()
    assert selectors.progress(area).taken == 0


def test_the_public_project_page_shows_progress(
    area: Project, green: User, give_energy: Callable[..., int]
) -> None:
    give_energy(green, 160)
    from tuopin.forest import adoption

    adoption.adopt(by=green, project_slug="guanba", units=2, key="a")
    html = Client().get("/forest/projects/guanba/").content.decode()
    assert 'value="2"' in html and "关坝保护地" in html


def test_a_draft_project_is_not_public(operator: User) -> None:
    from .conftest import make_project

    p = make_project(operator)
    Project.objects.filter(pk=p.pk).update(status=ProjectStatus.DRAFT)
    assert Client().get("/forest/projects/guanba/").status_code == 404


def test_the_operator_sets_a_flash_opening(area: Project, operator: User) -> None:
    client = Client()
    client.force_login(operator)
    at = (timezone.localtime() + dt.timedelta(hours=2)).replace(second=0, microsecond=0)
    client.post("/forest/manage/guanba/open/", {"opens_at": at.strftime("%Y-%m-%dT%H:%M")})
    assert Project.objects.get().opens_at == at
    assert "认领进度（实时）" in client.get("/forest/manage/guanba/").content.decode()


def test_a_survival_check_stores_its_photo(area: Project, partner: User) -> None:
    check = work.record_survival(
        by=partner,
        project_slug="guanba",
        checked_on=timezone.localdate(),
        planted=100,
        alive=87,
        photo=photo(5),
    )
    assert check.photo.sha256
    assert selectors.progress(area).survival_percent == 87.0


def test_a_survival_check_without_a_photo_is_refused(area: Project, partner: User) -> None:
    with pytest.raises(BadImage):
        work.record_survival(
            by=partner,
            project_slug="guanba",
            checked_on=timezone.localdate(),
            planted=100,
            alive=87,
            photo=b"not a photo",
        )


def test_more_alive_than_planted_is_refused(area: Project, partner: User) -> None:
    with pytest.raises(BadWork):
        work.record_survival(
            by=partner,
            project_slug="guanba",
            checked_on=timezone.localdate(),
            planted=10,
            alive=11,
            photo=photo(5),
        )


def test_a_friend_is_added_by_name_and_listed_both_ways(green: User, donor: User) -> None:
    client = Client()
    client.force_login(green)
    response = client.post("/forest/friends/add/", {"username": donor.username}, follow=True)
    assert donor.username in response.content.decode()
    other = Client()
    other.force_login(donor)
    assert "green" in other.get("/forest/friends/").content.decode()


def test_adding_an_unknown_name_says_so_and_adds_nobody(green: User) -> None:
    from tuopin.forest.models import Friendship

    client = Client()
    client.force_login(green)
    response = client.post("/forest/friends/add/", {"username": "nobody"}, follow=True)
    assert "没有这个用户" in response.content.decode()
    assert not Friendship.objects.exists()


def test_a_friend_takes_a_share_from_the_page(
    green: User, donor: User, partner: User, action_types: None
) -> None:
    from tuopin.forest import energy

    energy.befriend(by=green, friend=donor)
    report_ripe(partner, donor)
    client = Client()
    client.force_login(green)
    ball = EnergyBall.objects.get(owner=donor)
    assert "80 g" in client.get("/forest/friends/").content.decode()
    response = client.post("/forest/friends/take/", {"ball": ball.pk}, follow=True)
    assert "收取了好友的 16 克能量" in response.content.decode()
    assert selectors.journal_sums(green) == (0, 16)
    assert "80 g" not in response.content.decode()  # taken once per ball


def test_a_stranger_cannot_take_from_the_page(
    green: User, donor: User, partner: User, action_types: None
) -> None:
    report_ripe(partner, donor)
    client = Client()
    client.force_login(green)
    ball = EnergyBall.objects.get(owner=donor)
    response = client.post("/forest/friends/take/", {"ball": ball.pk}, follow=True)
    assert "能量不存在" in response.content.decode()
    assert EnergyBall.objects.get(pk=ball.pk).remaining_g == 80


def test_when_the_programme_forbids_taking_the_page_offers_nothing(
    green: User, donor: User, partner: User, action_types: None, settings: Any
) -> None:
    from tuopin.forest import energy

    settings.FOREST_FRIEND_SHARE_PERCENT = 0
    energy.befriend(by=green, friend=donor)
    report_ripe(partner, donor)
    client = Client()
    client.force_login(green)
    html = client.get("/forest/friends/").content.decode()
    assert "本项目不允许收取好友的能量" in html and 'name="ball"' not in html
    ball = EnergyBall.objects.get(owner=donor)
    response = client.post("/forest/friends/take/", {"ball": ball.pk}, follow=True)
    assert "本项目不允许收取好友的能量" in response.content.decode()
    assert EnergyBall.objects.get(pk=ball.pk).remaining_g == 80
