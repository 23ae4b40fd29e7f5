"""Fixtures of the forest tests: the standard action types, a partner system, green users,
a protected area in 巴东县 and a way to give a user collected energy through the services."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from itertools import count
from typing import Any

import pytest
from django.utils import timezone

from tuopin.accounts import roles
from tuopin.accounts import services as accounts
from tuopin.areas.models import Area
from tuopin.conftest import COUNTY
from tuopin.forest import adoption, energy
from tuopin.forest.models import Project

_keys = count(1)


@pytest.fixture
def action_types(db: None) -> None:
    energy.seed_action_types()


@pytest.fixture
def partner(area_tree: None):  # type: ignore[no-untyped-def]
    return accounts.create_user(username="partner", role=roles.PARTNER, password="pw-partner")


@pytest.fixture
def green(area_tree: None):  # type: ignore[no-untyped-def]
    """A logged-in user with no role at all: any user may have a forest."""
    from tuopin.accounts.models import User

    return User.objects.create_user(username="green", password="pw-green")


@pytest.fixture
def give_energy(partner: Any, action_types: None) -> Callable[..., int]:
    """Report bus rides for ``user`` a week ago and collect them: ``grams`` of balance."""

    def _give(user: Any, grams: int) -> int:
        rides, rest = divmod(grams, 80)
        assert rest == 0, "in bus rides of 80 g"
        at = timezone.now() - dt.timedelta(hours=30)
        while rides:
            n = min(rides, 20)
            energy.report_action(
                by=partner,
                key=f"k{next(_keys)}",
                username=user.username,
                action_type="bus",
                units=n,
                at=at,
            )
            rides -= n
        energy.collect_all(by=user)
        return grams

    return _give


def make_project(by: Any, **kw: Any) -> Project:
    values: dict[str, Any] = {
        "slug": "guanba",
        "kind": "area",
        "name": "关坝保护地",
        "county": Area.objects.get(code=COUNTY),
        "energy_per_unit_g": 80,
        "units_total": 100,
        "per_person_cap": None,
        "opens_at": timezone.now() - dt.timedelta(minutes=1),
        "shards": 4,
    } | kw
    project = adoption.create_project(by=by, project=Project(**values))
    return adoption.open_project(by=by, slug=project.slug, opens_at=values["opens_at"])


@pytest.fixture
def area(operator: Any, partner: Any) -> Project:
    return make_project(operator, partner=partner)


@pytest.fixture
def tokens(operator: Any, give_energy: Callable[..., int]) -> list[str]:
    """API tokens of ann and bo, 160 g each, and guanba open with 3 m²: flash adoptions."""
    from tuopin.accounts.models import User

    make_project(operator, units_total=3)
    out = []
    for name in ("ann", "bo"):
        give_energy(User.objects.create_user(username=name), 160)
        out.append(accounts.issue_token(username=name))
    return out
