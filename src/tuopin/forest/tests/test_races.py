"""Many threads adopting at once never oversell, never pass the cap and never spend energy a
user lacks, on both databases (SQLite serialises its writers; PostgreSQL runs them at once)."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from typing import Any

import pytest
from django.db import OperationalError, connection
from django.db.models import Sum

from tuopin.accounts.models import User
from tuopin.core.errors import DomainError
from tuopin.forest import adoption, selectors
from tuopin.forest.models import Adoption, EnergyAccount, Shard

from .conftest import make_project

pytestmark = [
    pytest.mark.usefixtures("empty_the_log_afterwards"),
    pytest.mark.django_db(transaction=True),
]
THREADS = 12


def run_together(jobs: list[Callable[[], Any]]) -> list[str]:
    """Run the jobs in threads released at once; each answers "ok" or its error code. A
    database busy beyond its timeout (SQLite's shared in-memory test database) is retried,
    as a client would."""
    barrier = threading.Barrier(len(jobs))
    out: list[str] = []

    def one(job: Callable[[], Any]) -> None:
        try:
            barrier.wait()
            for _attempt in range(200):
                try:
                    job()
                    out.append("ok")
                    return
                except DomainError as e:
                    out.append(e.code)
                    return
                except OperationalError:
                    time.sleep(0.01)
            out.append("busy")
        finally:
            connection.close()

    threads = [threading.Thread(target=one, args=(job,)) for job in jobs]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return out


def users(n: int) -> list[User]:
    return [User.objects.create_user(username=f"u{i}") for i in range(n)]


def test_many_adopters_never_take_more_than_remains(
    operator: User, give_energy: Callable[..., int]
) -> None:
    project = make_project(operator, units_total=5, shards=3)
    people = users(THREADS)
    for u in people:
        give_energy(u, 80)
    out = run_together(
        [
            (lambda u=u: adoption.adopt(by=u, project_slug=project.slug, units=1, key="x"))
            for u in people
        ]
    )
    assert out.count("ok") == 5
    assert out.count("sold_out") == THREADS - 5
    assert Shard.objects.filter(project=project).aggregate(r=Sum("remaining"))["r"] == 0
    assert Adoption.objects.aggregate(n=Sum("units"))["n"] == 5
    for u in people:
        account = EnergyAccount.objects.get(pk=u.pk)
        assert selectors.journal_sums(u) == (account.pending_g, account.balance_g)
    assert sum(EnergyAccount.objects.values_list("balance_g", flat=True)) == 80 * (THREADS - 5)


def test_one_user_racing_never_passes_the_cap_or_the_balance(
    operator: User, green: User, give_energy: Callable[..., int]
) -> None:
    make_project(operator, units_total=100, per_person_cap=4)
    give_energy(green, 80 * 6)
    out = run_together(
        [
            (lambda i=i: adoption.adopt(by=green, project_slug="guanba", units=1, key=f"k{i}"))
            for i in range(THREADS)
        ]
    )
    assert out.count("ok") == 4
    assert set(out) == {"ok", "cap_reached"}
    assert EnergyAccount.objects.get(pk=green.pk).balance_g == 160
    assert selectors.journal_sums(green) == (0, 160)


def test_one_user_racing_never_spends_energy_they_lack(
    operator: User, green: User, give_energy: Callable[..., int]
) -> None:
    make_project(operator, units_total=100)
    give_energy(green, 80 * 3)
    out = run_together(
        [
            (lambda i=i: adoption.adopt(by=green, project_slug="guanba", units=1, key=f"k{i}"))
            for i in range(THREADS)
        ]
    )
    assert out.count("ok") == 3
    assert set(out) == {"ok", "not_enough_energy"}
    assert EnergyAccount.objects.get(pk=green.pk).balance_g == 0


def test_certifiers_running_at_once_certify_each_adoption_once(
    operator: User, give_energy: Callable[..., int]
) -> None:
    from tuopin.forest import certify
    from tuopin.ledger.models import Entry

    project = make_project(operator, units_total=100)
    people = users(10)
    for u in people:
        give_energy(u, 80)
        adoption.adopt(by=u, project_slug=project.slug, units=1, key="x")
    out = run_together([(lambda: certify.certify_pending(limit=3)) for _ in range(4)])
    assert set(out) == {"ok"}
    certify.certify_all()
    indexes = list(Adoption.objects.values_list("ledger_index", flat=True))
    assert None not in indexes and len(set(indexes)) == 10
    assert Entry.objects.filter(kind="decision").count() == 10
