"""Keeping :class:`Tally` rows in step with submissions, inside the caller's transaction.

``add(submission, sign)`` adds (+1) or removes (-1) a submission's counted values: filing adds,
a rejection removes, a correction removes the old values and adds the new. ``rebuild`` computes
every tally again from the values, set-based (after a bulk load, or to check the running ones).
"""

from __future__ import annotations

from decimal import Decimal

from django.db import IntegrityError, transaction
from django.db.models import Count, F, Sum

from .models import NUMERIC_KINDS, FieldKind, Submission, Tally, Value


def _bump(submission: Submission, key: str, choice: str, n: int, total: Decimal) -> None:
    cell = {
        "report_type_id": submission.report_type_id,
        "period_start": submission.period_start,
        "area_code": submission.area_id,
        "key": key,
        "choice": choice,
    }
    updated = Tally.objects.filter(**cell).update(n=F("n") + n, total=F("total") + total)
    if updated:
        return
    try:
        with transaction.atomic():
            Tally.objects.create(**cell, n=n, total=total)
    except IntegrityError:  # created by a concurrent filing in between: add to it
        Tally.objects.filter(**cell).update(n=F("n") + n, total=F("total") + total)


def add(submission: Submission, sign: int) -> None:
    """Add (``sign`` = 1) or take away (-1) the submission's counted values."""
    _bump(submission, "", "", sign, Decimal(0))
    values = Value.objects.filter(submission=submission, counted=True).select_related("field")
    for v in values:
        f = v.field
        if f.kind in NUMERIC_KINDS and f.aggregate and v.number is not None:
            _bump(submission, f.key, "", sign, sign * v.number)
        elif f.kind == FieldKind.CHOICE and v.text:
            _bump(submission, f.key, v.text, sign, Decimal(0))


def rebuild() -> int:
    """Every tally again from the submissions and values (set-based); returns the rows."""
    rows: list[Tally] = []
    with transaction.atomic():
        Tally.objects.all().delete()
        for r in (
            Submission.objects.exclude(status="rejected")
            .values("report_type_id", "period_start", "area_id")
            .annotate(n=Count("id"))
        ):
            rows.append(
                Tally(
                    report_type_id=r["report_type_id"],
                    period_start=r["period_start"],
                    area_code=r["area_id"],
                    n=r["n"],
                )
            )
        counted = Value.objects.filter(counted=True)
        for nr in (
            counted.filter(field__kind__in=list(NUMERIC_KINDS), field__aggregate=True)
            .values("field__report_type_id", "field__key", "period_start", "area_code")
            .annotate(n=Count("id"), t=Sum("number"))
        ):
            rows.append(
                Tally(
                    report_type_id=nr["field__report_type_id"],
                    period_start=nr["period_start"],
                    area_code=nr["area_code"],
                    key=nr["field__key"],
                    n=nr["n"],
                    total=nr["t"] or 0,
                )
            )
        for cr in (
            counted.filter(field__kind=FieldKind.CHOICE)
            .values("field__report_type_id", "field__key", "period_start", "area_code", "text")
            .annotate(n=Count("id"))
        ):
            rows.append(
                Tally(
                    report_type_id=cr["field__report_type_id"],
                    period_start=cr["period_start"],
                    area_code=cr["area_code"],
                    key=cr["field__key"],
                    choice=cr["text"],
                    n=cr["n"],
                )
            )
        Tally.objects.bulk_create(rows, batch_size=5000)
    return len(rows)
