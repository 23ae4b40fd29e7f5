"""Adoption certificates on the public ledger, in batches (ADR 0013).

An adoption commits with its certificate pending (``Adoption.ledger_index`` empty): the row is
the outbox, durable with the adoption itself. The certifier, which ``tuopin serve`` runs
beside the signer (``tuopin forest certify --every S``), appends the entries of the pending
rows under one lock of the log head per batch and records each one's index. The log head is
then held once per batch instead of once per adoption, outside the adopters' transactions.
"""

from __future__ import annotations

from django.db import connection, transaction
from django.utils import timezone

from tuopin.core.bulk import update_column
from tuopin.ledger import services as ledger

from .models import Adoption

BATCH = 1_000


def payload(a: Adoption) -> dict[str, object]:
    """The certificate's ledger entry (no personal data: the adopter is a commitment)."""
    p = a.project
    return {
        "decision": "forest_adoption",
        "certificate": a.number,
        "project": p.slug,
        "county": p.county_id,
        "unit": p.kind,
        "species": p.species,
        "units": a.units,
        "energy_g": a.energy_g,
        "adopted_at": timezone.localtime(a.created_at).isoformat(timespec="seconds"),
    }


def certify_pending(*, limit: int = BATCH) -> int:
    """Append the ledger entries of up to ``limit`` adoptions whose certificates are pending,
    oldest first, in one transaction, and record each entry's index. Returns how many.

    The pending rows are locked with SKIP LOCKED (PostgreSQL), so two certifiers take
    disjoint batches and never certify an adoption twice; SQLite runs one writer at a time."""
    with transaction.atomic():
        rows = list(
            Adoption.objects.select_for_update(skip_locked=True, of=("self",))
            .filter(ledger_index__isnull=True)
            .select_related("project")
            .order_by("id")[:limit]
        )
        if not rows:
            return 0
        indexes = ledger.append_entries(
            kind="decision",
            payloads=[payload(a) for a in rows],
            commits=[{"adopter": (a.subject, str(a.user_id))} for a in rows],
        )
        with connection.cursor() as cur:  # one statement, not the ORM's CASE per row
            update_column(
                cur,
                Adoption,
                "id",
                "ledger_index",
                {a.pk: index for a, index in zip(rows, indexes, strict=True)},
            )
    return len(rows)


def certify_all() -> int:
    """Every pending certificate, batch after batch (the demo, tests, a catch-up by hand)."""
    total = 0
    while n := certify_pending():
        total += n
    return total
