"""Campaigns are written through one service that checks its actor and the goal's bounds."""

from __future__ import annotations

import datetime as dt

import pytest

from tuopin.accounts.models import User
from tuopin.areas.models import Area
from tuopin.charity import services
from tuopin.charity.errors import BadCampaign
from tuopin.charity.models import Campaign
from tuopin.conftest import COUNTY
from tuopin.core.errors import PermissionDenied
from tuopin.core.money import MAX_FEN

pytestmark = pytest.mark.django_db


def new(goal_fen: int = 10**9) -> Campaign:
    return Campaign(
        slug="dlz",
        title="顶梁柱",
        programme_name="顶梁柱",
        goal_fen=goal_fen,
        starts_on=dt.date(2018, 1, 1),
        ends_on=dt.date(2030, 12, 31),
        status="open",
    )


def test_an_operator_creates_a_campaign_with_its_counties(operator: User) -> None:
    county = Area.objects.get(code=COUNTY)
    campaign = services.save_campaign(by=operator, campaign=new(), counties=[county])
    assert list(Campaign.objects.get(pk=campaign.pk).counties.all()) == [county]


def test_a_cadre_cannot_create_a_campaign(cadre_a: User) -> None:
    with pytest.raises(PermissionDenied):
        services.save_campaign(by=cadre_a, campaign=new())
    assert not Campaign.objects.exists()


def test_an_observer_cannot_change_a_campaign(operator: User, observer: User) -> None:
    campaign = services.save_campaign(by=operator, campaign=new())
    campaign.status = "closed"
    with pytest.raises(PermissionDenied):
        services.save_campaign(by=observer, campaign=campaign)
    assert Campaign.objects.get().status == "open"


def test_a_goal_beyond_the_bound_is_refused(operator: User) -> None:
    with pytest.raises(BadCampaign) as exc:
        services.save_campaign(by=operator, campaign=new(goal_fen=MAX_FEN + 1))
    assert exc.value.code == "bad_goal"
    assert not Campaign.objects.exists()
