"""Adoption: energy and units in one transaction, within the cap, what remains and the
balance; a certificate that the ledger confirms."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

import pytest
from django.conf import settings
from django.db.models import Sum
from django.utils import timezone

from tuopin.accounts.models import User
from tuopin.forest import adoption, certify, selectors
from tuopin.forest.errors import CapReached, KeyReused, NotEnoughEnergy, NotOpen, SoldOut
from tuopin.forest.models import Adoption, EnergyAccount, Project, Shard
from tuopin.ledger import receipt
from tuopin.ledger import services as ledger
from tuopin.ledger.models import Entry, LogHead

from .conftest import make_project

pytestmark = pytest.mark.django_db


def remaining(project: Project) -> int:
    return Shard.objects.filter(project=project).aggregate(r=Sum("remaining"))["r"]


def test_it_splits_the_units_over_the_shards(area: Project) -> None:
    assert (
        sorted(Shard.objects.filter(project=area).values_list("remaining", flat=True)) == [25] * 4
    )


def test_adopting_spends_energy_and_takes_units(
    area: Project, green: User, give_energy: Callable[..., int]
) -> None:
    give_energy(green, 400)
    done = adoption.adopt(by=green, project_slug="guanba", units=3, key="a1")
    assert done.created and done.adoption.energy_g == 240
    assert remaining(area) == 97
    assert EnergyAccount.objects.get(pk=green.pk).balance_g == 160
    assert selectors.journal_sums(green) == (0, 160)


def test_a_replayed_adoption_key_takes_nothing_twice(
    area: Project, green: User, give_energy: Callable[..., int]
) -> None:
    give_energy(green, 400)
    first = adoption.adopt(by=green, project_slug="guanba", units=1, key="a1")
    again = adoption.adopt(by=green, project_slug="guanba", units=1, key="a1")
    assert not again.created and again.adoption.pk == first.adoption.pk
    with pytest.raises(KeyReused):
        adoption.adopt(by=green, project_slug="guanba", units=2, key="a1")
    assert remaining(area) == 99


def test_adopting_without_enough_energy_changes_nothing(
    area: Project, green: User, give_energy: Callable[..., int]
) -> None:
    give_energy(green, 160)
    with pytest.raises(NotEnoughEnergy):
        adoption.adopt(by=green, project_slug="guanba", units=3, key="a1")
    assert remaining(area) == 100
    assert EnergyAccount.objects.get(pk=green.pk).balance_g == 160
    assert not Adoption.objects.exists()


def test_the_per_person_cap_holds_over_several_adoptions(
    operator: User, green: User, give_energy: Callable[..., int]
) -> None:
    make_project(operator, per_person_cap=5)
    give_energy(green, 800)
    adoption.adopt(by=green, project_slug="guanba", units=3, key="a1")
    with pytest.raises(CapReached):
        adoption.adopt(by=green, project_slug="guanba", units=3, key="a2")
    adoption.adopt(by=green, project_slug="guanba", units=2, key="a3")
    assert EnergyAccount.objects.get(pk=green.pk).balance_g == 400


def test_beyond_what_remains_is_sold_out(
    operator: User, green: User, give_energy: Callable[..., int]
) -> None:
    project = make_project(operator, units_total=5, shards=4)
    give_energy(green, 800)
    with pytest.raises(SoldOut):
        adoption.adopt(by=green, project_slug="guanba", units=6, key="a1")
    # No shard holds 3, but 5 remain across them: taken across the shards.
    adoption.adopt(by=green, project_slug="guanba", units=3, key="a2")
    assert remaining(project) == 2
    assert EnergyAccount.objects.get(pk=green.pk).balance_g == 800 - 240


def test_before_the_opening_time_it_is_refused(
    operator: User, green: User, give_energy: Callable[..., int]
) -> None:
    opens = timezone.now() + dt.timedelta(hours=1)
    make_project(operator, opens_at=opens)
    give_energy(green, 80)
    with pytest.raises(NotOpen):
        adoption.adopt(by=green, project_slug="guanba", units=1, key="a1")
    assert adoption.adopt(by=green, project_slug="guanba", units=1, key="a1", now=opens).created


def test_an_adoption_commits_with_its_certificate_pending(
    area: Project, green: User, give_energy: Callable[..., int]
) -> None:
    give_energy(green, 80)
    head = LogHead.objects.get(pk=1).next_index
    made = adoption.adopt(by=green, project_slug="guanba", units=1, key="a1").adoption
    assert made.pending and made.number == f"LS{made.pk:010d}"
    assert LogHead.objects.get(pk=1).next_index == head  # the log head was not touched
    assert not selectors.certificate_matches_ledger(made, origin=settings.LEDGER_ORIGIN)


def test_the_certifier_appends_pending_certificates_in_one_batch(
    area: Project, green: User, give_energy: Callable[..., int]
) -> None:
    give_energy(green, 240)
    for key in ("a1", "a2", "a3"):
        adoption.adopt(by=green, project_slug="guanba", units=1, key=key)
    assert certify.certify_pending() == 3
    made = list(Adoption.objects.order_by("id"))
    first = made[0].ledger_index
    assert [a.ledger_index for a in made] == [first, first + 1, first + 2]
    for a in made:
        assert selectors.certificate_matches_ledger(a, origin=settings.LEDGER_ORIGIN)
    assert certify.certify_pending() == 0  # nothing is certified twice
    assert Entry.objects.filter(kind="decision").count() == 3


def test_the_certifier_takes_batches_oldest_first(
    area: Project, green: User, give_energy: Callable[..., int]
) -> None:
    give_energy(green, 240)
    for key in ("a1", "a2", "a3"):
        adoption.adopt(by=green, project_slug="guanba", units=1, key=key)
    assert certify.certify_pending(limit=2) == 2
    assert list(Adoption.objects.order_by("id").values_list("ledger_index", flat=True))[2] is None
    assert certify.certify_all() == 1


def test_the_certificate_is_confirmed_by_the_ledger(
    area: Project, green: User, give_energy: Callable[..., int]
) -> None:
    give_energy(green, 80)
    made = adoption.adopt(by=green, project_slug="guanba", units=1, key="a1").adoption
    certify.certify_all()
    found = selectors.certificate(str(made.token))
    assert found.number == made.number and found.ledger_index is not None
    assert selectors.certificate_matches_ledger(found, origin=settings.LEDGER_ORIGIN)


def test_a_certificate_of_another_adopter_does_not_match(
    area: Project, green: User, donor: User, give_energy: Callable[..., int]
) -> None:
    give_energy(green, 80)
    made = adoption.adopt(by=green, project_slug="guanba", units=1, key="a1").adoption
    certify.certify_all()
    made.refresh_from_db()
    made.user_id = donor.pk  # as a forged certificate would claim
    assert not selectors.certificate_matches_ledger(made, origin=settings.LEDGER_ORIGIN)


def test_the_certificate_receipt_verifies_offline(
    area: Project, green: User, give_energy: Callable[..., int], settings: Any, tmp_path: Any
) -> None:
    settings.LEDGER_KEY_FILE = tmp_path / "ledger.key"
    signer = ledger.generate_key(path=settings.LEDGER_KEY_FILE, name=settings.LEDGER_ORIGIN)
    give_energy(green, 80)
    made = adoption.adopt(by=green, project_slug="guanba", units=1, key="a1").adoption
    certify.certify_all()
    made.refresh_from_db()
    ledger.integrate(signer=signer)
    text = ledger.receipt_for(made.ledger_index, subject=made.subject)
    _checkpoint, data = receipt.verify(text, signer.verifier)
    assert b'"forest_adoption"' in data
