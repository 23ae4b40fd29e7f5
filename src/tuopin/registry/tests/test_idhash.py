"""Rotating the ID-hash key: every person is found under the new key, none under the old."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from tuopin.conftest import VILLAGE_A, make_id
from tuopin.registry.idhash import id_hash
from tuopin.registry.models import Person

NEW_KEY = "n" * 48
TANG_JUN = make_id(VILLAGE_A[:6], dt.date(1970, 5, 1), 12)


def _key_file(tmp_path: Path, key: str = NEW_KEY) -> str:
    path = tmp_path / "new.key"
    path.write_text(key + "\n")
    return str(path)


def test_every_person_is_found_under_the_new_key(
    households: None, tmp_path: Path, settings
) -> None:  # type: ignore[no-untyped-def]
    call_command("rotate_id_hash_key", new_key_file=_key_file(tmp_path), no_progress=True)
    settings.ID_HASH_KEY = NEW_KEY
    assert Person.objects.get(id_hash=id_hash(TANG_JUN)).name == "唐俊"
    assert all(p.id_hash == id_hash(p.id_number) for p in Person.objects.all())


def test_nobody_is_found_under_the_old_key_any_more(households: None, tmp_path: Path) -> None:
    old = id_hash(TANG_JUN)
    call_command("rotate_id_hash_key", new_key_file=_key_file(tmp_path), no_progress=True)
    assert not Person.objects.filter(id_hash=old).exists()


def test_a_short_new_key_is_refused_and_nothing_changes(households: None, tmp_path: Path) -> None:
    before = set(Person.objects.values_list("id_hash", flat=True))
    with pytest.raises(CommandError):
        call_command("rotate_id_hash_key", new_key_file=_key_file(tmp_path, "short"))
    assert set(Person.objects.values_list("id_hash", flat=True)) == before


def test_it_is_the_rfc_2104_hmac_sha256_of_the_number() -> None:
    # RFC 4231 test case 2: key "Jefe", data "what do ya want for nothing?".
    assert id_hash("what do ya want for nothing?", key="Jefe") == (
        "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843"
    )


def test_it_follows_the_key_it_is_given(settings) -> None:  # type: ignore[no-untyped-def]
    settings.ID_HASH_KEY = "a" * 48
    first = id_hash(TANG_JUN)
    settings.ID_HASH_KEY = "b" * 48
    assert id_hash(TANG_JUN) != first
    assert id_hash(TANG_JUN, key="a" * 48) == first
