"""Adoptions decided in batches (``forest.flash``): the same rules and answers as one at a
time, within a batch as across batches."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from django.db import connection
from django.db.models import Sum

from tuopin.accounts import services as accounts
from tuopin.accounts.models import User
from tuopin.forest import flash, selectors
from tuopin.forest.adoption import Adopted
from tuopin.forest.models import Adoption, EnergyAccount, Project, ProjectStatus, Shard

from .conftest import make_project

pytestmark = pytest.mark.django_db


def remaining(project: Project) -> int:
    return Shard.objects.filter(project=project).aggregate(r=Sum("remaining"))["r"]


def codes(outcomes: list[flash.Outcome]) -> list[str]:
    """ "ok" (created), "again" (a replay), the refusal's code, "later" or "unauthenticated"."""
    out = []
    for o in outcomes:
        if isinstance(o, Adopted):
            out.append("ok" if o.created else "again")
        elif isinstance(o, flash.Refused):
            out.append(o.make().code)
        else:
            out.append(type(o).__name__.lower())
    return out


@pytest.fixture
def green_users(give_energy: Callable[..., int]) -> Callable[..., list[str]]:
    """``n`` users with ``grams`` of energy each: their API tokens."""

    def _make(n: int, grams: int = 80) -> list[str]:
        tokens = []
        for i in range(n):
            u = User.objects.create_user(username=f"g{i}")
            give_energy(u, grams)
            tokens.append(accounts.issue_token(username=u.username))
        return tokens

    return _make


def ask(token: str, key: str = "k", units: int = 1, slug: str = "guanba") -> flash.Ask:
    return flash.Ask(token=token, project_slug=slug, units=units, key=key)


def test_it_adopts_a_batch_in_one_go(operator: User, green_users: Callable[..., list[str]]) -> None:
    project = make_project(operator, units_total=10)
    tokens = green_users(3)
    out = flash.adopt_many([ask(t) for t in tokens])
    assert codes(out) == ["ok"] * 3
    assert remaining(project) == 7
    assert Adoption.objects.count() == 3
    assert all(o.adoption.pk and o.adoption.ledger_index is None for o in out)  # type: ignore[union-attr]


def test_it_keeps_every_account_equal_to_its_journal(
    operator: User, green_users: Callable[..., list[str]]
) -> None:
    make_project(operator, units_total=10)
    tokens = green_users(3, grams=240)
    flash.adopt_many([ask(t, units=2) for t in tokens])
    for user in User.objects.filter(username__startswith="g"):
        account = EnergyAccount.objects.get(pk=user.pk)
        assert account.balance_g == 80
        assert selectors.journal_sums(user) == (account.pending_g, account.balance_g)


def test_it_never_takes_more_than_remains_within_a_batch(
    operator: User, green_users: Callable[..., list[str]]
) -> None:
    project = make_project(operator, units_total=3, shards=2)
    out = flash.adopt_many([ask(t) for t in green_users(5)])
    assert codes(out) == ["ok", "ok", "ok", "sold_out", "sold_out"]
    assert remaining(project) == 0


def test_it_takes_across_shards_when_none_has_enough_alone(
    operator: User, green_users: Callable[..., list[str]]
) -> None:
    project = make_project(operator, units_total=4, shards=4)
    out = flash.adopt_many([ask(green_users(1, grams=320)[0], units=3)])
    assert codes(out) == ["ok"]
    assert remaining(project) == 1


def test_it_holds_the_cap_within_a_batch(
    operator: User, green_users: Callable[..., list[str]]
) -> None:
    make_project(operator, per_person_cap=2)
    token = green_users(1, grams=400)[0]
    out = flash.adopt_many([ask(token, key=f"k{i}") for i in range(4)])
    assert codes(out) == ["ok", "ok", "cap_reached", "cap_reached"]


def test_it_refuses_more_than_the_cap_in_one_request(
    operator: User, green_users: Callable[..., list[str]]
) -> None:
    make_project(operator, per_person_cap=2)
    out = flash.adopt_many([ask(green_users(1, grams=400)[0], units=3)])
    assert codes(out) == ["cap_reached"]
    assert Adoption.objects.count() == 0


def test_it_never_spends_energy_a_user_lacks_within_a_batch(
    operator: User, green_users: Callable[..., list[str]]
) -> None:
    make_project(operator)
    token = green_users(1, grams=160)[0]
    out = flash.adopt_many([ask(token, key=f"k{i}") for i in range(3)])
    assert codes(out) == ["ok", "ok", "not_enough_energy"]
    assert EnergyAccount.objects.get().balance_g == 0


def test_a_refused_request_changes_nothing(
    operator: User, green_users: Callable[..., list[str]]
) -> None:
    project = make_project(operator, units_total=1)
    rich, poor = (
        green_users(1, grams=80)[0],
        accounts.issue_token(username=User.objects.create_user(username="poor").username),
    )
    out = flash.adopt_many([ask(poor), ask(rich)])
    assert codes(out) == ["not_enough_energy", "ok"]
    assert remaining(project) == 0


def test_it_answers_a_replay_with_the_first_adoption(
    operator: User, green_users: Callable[..., list[str]]
) -> None:
    project = make_project(operator)
    token = green_users(1, grams=160)[0]
    first = flash.adopt_many([ask(token)])[0]
    again = flash.adopt_many([ask(token)])[0]
    assert codes([again]) == ["again"]
    assert again.adoption.pk == first.adoption.pk  # type: ignore[union-attr]
    assert remaining(project) == 99


def test_it_refuses_a_key_used_for_another_request(
    operator: User, green_users: Callable[..., list[str]]
) -> None:
    make_project(operator)
    token = green_users(1, grams=240)[0]
    flash.adopt_many([ask(token)])
    assert codes(flash.adopt_many([ask(token, units=2)])) == ["idempotency_key_reused"]


def test_it_asks_a_key_repeated_in_the_batch_again_later(
    operator: User, green_users: Callable[..., list[str]]
) -> None:
    make_project(operator)
    token = green_users(1, grams=240)[0]
    assert codes(flash.adopt_many([ask(token), ask(token)])) == ["ok", "later"]
    assert Adoption.objects.count() == 1


def test_it_leaves_an_unknown_or_revoked_token_to_the_api(
    operator: User, green_users: Callable[..., list[str]]
) -> None:
    make_project(operator)
    token = green_users(1)[0]
    User.objects.filter(username="g0").update(is_active=False)
    assert codes(flash.adopt_many([ask("nonsense"), ask(token)])) == ["unauthenticated"] * 2


def test_it_refuses_a_project_not_open(
    operator: User, green_users: Callable[..., list[str]]
) -> None:
    Project.objects.filter(pk=make_project(operator).pk).update(status=ProjectStatus.CLOSED)
    assert codes(flash.adopt_many([ask(green_users(1)[0])])) == ["not_open"]


def test_it_refuses_an_unknown_project(
    operator: User, green_users: Callable[..., list[str]]
) -> None:
    make_project(operator)
    assert codes(flash.adopt_many([ask(green_users(1)[0], slug="nowhere")])) == [
        "project_not_found"
    ]


def test_it_decides_each_project_of_a_batch_on_its_own(
    operator: User, green_users: Callable[..., list[str]]
) -> None:
    make_project(operator, units_total=1)
    make_project(operator, slug="other", units_total=5)
    a, b = green_users(2)
    out = flash.adopt_many([ask(a), ask(b), ask(b, key="k2", slug="other")])
    assert codes(out) == ["ok", "sold_out", "ok"]  # b's energy was not spent on guanba


@pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL's planner setting")
@pytest.mark.django_db(transaction=True)
def test_it_plans_by_key_inside_the_batch_and_only_there(
    operator: User, green_users: Callable[..., list[str]]
) -> None:
    make_project(operator)
    tokens = green_users(2)
    during: list[str] = []

    def spy(execute, sql, params, many, context):  # type: ignore[no-untyped-def]
        result = execute(sql, params, many, context)
        if sql.startswith("INSERT INTO forest_energyentry"):
            context["cursor"].execute("SHOW enable_seqscan")
            during.append(context["cursor"].fetchone()[0])
        return result

    with connection.execute_wrapper(spy):
        assert codes(flash.adopt_many([ask(t) for t in tokens])) == ["ok", "ok"]
    with connection.cursor() as cur:
        cur.execute("SHOW enable_seqscan")
        after = cur.fetchone()[0]

    assert (during, after) == (["off"], "on")
