"""The keyed hash that finds a person by ID number without a LIKE over ID numbers, and the
rotation of its key."""

from __future__ import annotations

import functools
import hashlib
import hmac
from collections.abc import Callable

from django.conf import settings
from django.db import connection, transaction

REHASH_BATCH = 5_000


@functools.lru_cache(maxsize=4)
def _keyed(secret: str) -> hmac.HMAC:
    """An HMAC with the key already absorbed: copying it costs half of starting afresh, and an
    import hashes a million ID numbers."""
    return hmac.new(secret.encode(), digestmod=hashlib.sha256)


def id_hash(id_number: str, *, key: str | None = None) -> str:
    """HMAC-SHA256 of a normalised ID number under ``key`` (default ``settings.ID_HASH_KEY``),
    as hex."""
    return hasher(key)(id_number)


def hasher(key: str | None = None) -> Callable[[str], str]:
    """:func:`id_hash` with the key looked up once, for a loop over many numbers (an import:
    reading Django's settings costs as much as the hash)."""
    keyed = _keyed(key if key is not None else settings.ID_HASH_KEY)

    def hash_one(id_number: str) -> str:
        mac = keyed.copy()
        mac.update(id_number.encode())
        return mac.hexdigest()

    return hash_one


def rehash_all(*, new_key: str, progress: Callable[[int], None] | None = None) -> int:
    """Recompute every ``Person.id_hash`` under ``new_key`` in one transaction: either every
    person is found under the new key or, on any failure, still under the old one.

    The hashes are computed here (SQLite has no HMAC) and written back a batch at a time with
    one ``executemany`` each; the person table is read by primary key ranges. Returns the
    number of people rehashed. The caller switches ``TUOPIN_ID_HASH_KEY`` afterwards.
    """
    from .models import Person

    table = connection.ops.quote_name(Person._meta.db_table)
    done = 0
    last = 0
    with transaction.atomic():
        while True:
            batch = list(
                Person.objects.filter(pk__gt=last)
                .order_by("pk")
                .values_list("pk", "id_number")[:REHASH_BATCH]
            )
            if not batch:
                break
            with connection.cursor() as cur:
                cur.executemany(
                    f"UPDATE {table} SET id_hash = %s WHERE id = %s",  # noqa: S608 - model table
                    [(id_hash(number, key=new_key), pk) for pk, number in batch],
                )
            last = batch[-1][0]
            done += len(batch)
            if progress is not None:
                progress(done)
    return done
