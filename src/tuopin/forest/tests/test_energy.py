"""Energy: actions earn balls, owners collect, friends take a share, the sweep expires; the
account always equals the journal's sum."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.utils import timezone

from tuopin.accounts.models import User
from tuopin.core.errors import PermissionDenied
from tuopin.forest import energy, selectors
from tuopin.forest.errors import BadAction, KeyReused, NotCollectable
from tuopin.forest.models import Action, EnergyAccount, EnergyBall, EnergyEntry

pytestmark = pytest.mark.django_db
DAY = dt.timedelta(days=1)


def report(partner: Any, user: Any, kind: str = "bus", units: int = 1, key: str = "k1", **kw: Any):  # type: ignore[no-untyped-def]
    return energy.report_action(
        by=partner, key=key, username=user.username, action_type=kind, units=units, **kw
    )


def assert_balanced(user: Any) -> None:
    account = EnergyAccount.objects.get(pk=user.pk)
    assert selectors.journal_sums(user) == (account.pending_g, account.balance_g)
    open_balls = sum(b.remaining_g for b in EnergyBall.objects.filter(owner=user))
    assert account.pending_g == open_balls


def test_it_earns_a_ball_of_the_actions_grams(
    partner: Any, green: User, action_types: None
) -> None:
    reported = report(partner, green, units=2)
    assert reported.created and reported.action.grams == 160
    ball = EnergyBall.objects.get(owner=green)
    assert ball.remaining_g == 160
    assert ball.ripe_at == reported.action.occurred_at + dt.timedelta(hours=24)
    assert ball.expires_at == ball.ripe_at + dt.timedelta(hours=72)
    assert_balanced(green)


def test_it_caps_walking_per_day(partner: Any, green: User, action_types: None) -> None:
    report(partner, green, "walk", 20_000, key="w1")
    second = report(partner, green, "walk", 20_000, key="w2")
    assert second.action.grams == 96  # 296 − 200
    third = report(partner, green, "walk", 5_000, key="w3")
    assert third.action.grams == 0
    assert EnergyBall.objects.filter(owner=green).count() == 2


def test_a_replayed_key_answers_with_the_first_action(
    partner: Any, green: User, action_types: None
) -> None:
    at = timezone.now()
    first = report(partner, green, at=at)
    again = report(partner, green, at=at)
    assert not again.created and again.action.pk == first.action.pk
    assert EnergyEntry.objects.filter(user=green).count() == 1


def test_a_retry_without_a_time_is_the_same_action(
    partner: Any, green: User, action_types: None
) -> None:
    first = report(partner, green)
    again = report(partner, green)
    assert not again.created and again.action.pk == first.action.pk


def test_a_replayed_key_with_another_body_is_refused(
    partner: Any, green: User, action_types: None
) -> None:
    at = timezone.now()
    report(partner, green, at=at)
    with pytest.raises(KeyReused):
        report(partner, green, units=3, at=at)
    assert Action.objects.count() == 1
    assert EnergyAccount.objects.get(pk=green.pk).pending_g == 80


@pytest.mark.parametrize(
    ("kind", "units", "code"),
    [
        ("teleport", 1, "unknown_action_type"),
        ("walk", 10_000_000, "bad_units"),
        ("bus", -1, "bad_units"),
    ],
)
def test_bad_actions_are_refused_and_change_nothing(
    partner: Any, green: User, action_types: None, kind: str, units: int, code: str
) -> None:
    with pytest.raises(BadAction) as e:
        report(partner, green, kind, units)
    assert e.value.code == code
    assert not Action.objects.exists() and not EnergyEntry.objects.exists()


def test_a_green_user_cannot_report_actions(green: User, action_types: None) -> None:
    with pytest.raises(PermissionDenied):
        report(green, green)


def test_collecting_before_ripe_is_refused(partner: Any, green: User, action_types: None) -> None:
    report(partner, green)
    ball = EnergyBall.objects.get()
    with pytest.raises(NotCollectable) as e:
        energy.collect(by=green, ball_id=ball.pk, now=ball.ripe_at - dt.timedelta(seconds=1))
    assert e.value.code == "not_ripe"


def test_collecting_at_the_last_moment_works(partner: Any, green: User, action_types: None) -> None:
    report(partner, green)
    ball = EnergyBall.objects.get()
    last = ball.expires_at - dt.timedelta(microseconds=1)
    assert energy.collect(by=green, ball_id=ball.pk, now=last) == 80
    assert EnergyAccount.objects.get(pk=green.pk).balance_g == 80
    assert_balanced(green)


def test_at_the_expiry_boundary_it_is_expired(
    partner: Any, green: User, action_types: None
) -> None:
    report(partner, green)
    ball = EnergyBall.objects.get()
    with pytest.raises(NotCollectable) as e:
        energy.collect(by=green, ball_id=ball.pk, now=ball.expires_at)
    assert e.value.code == "expired"
    assert energy.expire_energy(now=ball.expires_at) == (1, 80)
    account = EnergyAccount.objects.get(pk=green.pk)
    assert (account.pending_g, account.balance_g) == (0, 0)
    assert_balanced(green)


def test_the_sweep_leaves_balls_still_collectable(
    partner: Any, green: User, action_types: None
) -> None:
    report(partner, green)
    ball = EnergyBall.objects.get()
    assert energy.expire_energy(now=ball.expires_at - dt.timedelta(microseconds=1)) == (0, 0)
    assert EnergyBall.objects.get().remaining_g == 80


def test_no_one_collects_anothers_energy(
    partner: Any, green: User, donor: User, action_types: None
) -> None:
    report(partner, green)
    ball = EnergyBall.objects.get()
    from tuopin.forest.errors import BallNotFound

    with pytest.raises(BallNotFound):
        energy.collect(by=donor, ball_id=ball.pk, now=ball.ripe_at)


def test_a_friend_takes_a_share_once(
    partner: Any, green: User, donor: User, action_types: None
) -> None:
    report(partner, green, units=5)
    energy.befriend(by=green, friend=donor)
    ball = EnergyBall.objects.get()
    assert energy.take(by=donor, ball_id=ball.pk, now=ball.ripe_at) == 80  # 20 % of 400
    with pytest.raises(NotCollectable):
        energy.take(by=donor, ball_id=ball.pk, now=ball.ripe_at)
    assert energy.collect(by=green, ball_id=ball.pk, now=ball.ripe_at) == 320
    assert_balanced(green)
    assert_balanced(donor)


def test_taking_is_refused_when_the_programme_forbids_it(
    partner: Any, green: User, donor: User, action_types: None, settings: Any
) -> None:
    settings.FOREST_FRIEND_SHARE_PERCENT = 0
    report(partner, green)
    energy.befriend(by=green, friend=donor)
    ball = EnergyBall.objects.get()
    with pytest.raises(NotCollectable) as e:
        energy.take(by=donor, ball_id=ball.pk, now=ball.ripe_at)
    assert e.value.code == "taking_forbidden"
    assert EnergyBall.objects.get().remaining_g == 80


def test_the_journal_sums_to_the_account_through_every_kind(
    partner: Any, green: User, donor: User, action_types: None
) -> None:
    now = timezone.now()
    for i in range(4):
        report(partner, green, units=i + 1, key=f"j{i}", at=now - (i + 1) * DAY)
    energy.befriend(by=green, friend=donor)
    balls = list(EnergyBall.objects.order_by("pk"))
    energy.take(by=donor, ball_id=balls[0].pk)
    energy.collect_all(by=green)
    energy.expire_energy(now=now + 10 * DAY)
    kinds = set(EnergyEntry.objects.values_list("kind", flat=True))
    assert {"earned", "collected", "taken"} <= kinds
    assert_balanced(green)
    assert_balanced(donor)
