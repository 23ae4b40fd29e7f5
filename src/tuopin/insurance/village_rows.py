"""The village view's people and policies as plain rows (``selectors.village_cover``): the
columns read for every villager, and the model objects made only for the rows of the page.

Dates are read as text (``CAST … AS TEXT``): Django's converters for thousands of dates were
a third of the request; only the page's are parsed (bench/README.md, issue 19).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db.models.expressions import RawSQL

from tuopin.registry.models import Household, Person

from .models import Policy

RAW_BIRTH_DATE = RawSQL('CAST("registry_person"."birth_date" AS TEXT)', [])  # noqa: S611 - no input
RAW_PERIOD_START = RawSQL('CAST("insurance_policy"."period_start" AS TEXT)', [])  # noqa: S611 - no input
PERSON_FIELDS = (
    "id",
    "name",
    "sex",
    "birth",
    "relation",
    "status",
    "id_number",
    "village_code",
    "household_id",
    "household__household_no",
    "household__head_name",
)


def as_date(value: Any) -> dt.date:
    return dt.date.fromisoformat(value[:10]) if isinstance(value, str) else value  # type: ignore[no-any-return]


def person_of(row: tuple[Any, ...]) -> Person:
    """A person of the page from its plain row, with its household's number and head."""
    fields = dict(zip(PERSON_FIELDS[:9], row[:9], strict=True))
    fields["birth_date"] = as_date(fields.pop("birth"))
    person = Person(**fields)
    person.household = Household(id=row[8], household_no=row[9], head_name=row[10])
    return person


def policy_of(row: tuple[Any, ...]) -> Policy:
    policy_id, person_id, programme_id, period_start, status, exit_reason = row
    return Policy(
        id=policy_id,
        person_id=person_id,
        programme_id=programme_id,
        period_start=as_date(period_start),
        status=status,
        exit_reason=exit_reason,
    )
