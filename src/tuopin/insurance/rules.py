"""A programme's eligibility rule and the enrollment's batches as SQL: the FROM/WHERE over
people, counties and households that enrollment, exits and previews share, in a form both
SQLite and PostgreSQL serve from their indexes, and the digest a batch commits to."""

from __future__ import annotations

import datetime as dt
import hashlib
from typing import Any

from django.db import connection

from .eligibility import birth_bounds
from .models import Programme, policy_number


def sql_date(value: dt.date) -> Any:
    return connection.ops.adapt_datefield_value(value)


def rule_sql(programme: Programme, period_start: dt.date) -> tuple[str, list[Any]]:
    """FROM/WHERE over people, households and counties for the programme's rule (no loop).

    ``p`` is the person, ``c`` the county row and ``h`` the household, joined only when the
    rule looks at it (the join costs a probe per person: 0.3 s of a million-person run).
    """
    born_after, born_by = birth_bounds(period_start, programme.min_age, programme.max_age)
    where = ["p.status = 'present'", "p.birth_date > %s", "p.birth_date <= %s"]
    params: list[Any] = [sql_date(born_after), sql_date(born_by)]
    if programme.sex:
        where.append("p.sex = %s")
        params.append(programme.sex)
    if programme.household_statuses:
        where.append(f"h.status IN ({', '.join(['%s'] * len(programme.household_statuses))})")
        params.extend(programme.household_statuses)
    if programme.require_national_poor:
        where.append("c.national_poor")
    if programme.require_deep_poverty:
        where.append("c.deep_poverty")
    counties = list(programme.counties.values_list("code", flat=True))
    if counties:
        where.append(f"c.code IN ({', '.join(['%s'] * len(counties))})")
        params.extend(counties)
    # The county comes from the person's village (the household's, copied by the import; the
    # policy's village and the batches follow it too). A batch's people are then found from
    # the person's village index: taken from the household, the planner misjudged the join to
    # the county and probed every household in the tree for each county.
    household = " JOIN registry_household h ON h.id = p.household_id"
    sql = (
        " FROM registry_person p"
        + (household if programme.household_statuses else "")
        + " JOIN areas_area c ON c.code = SUBSTR(p.village_code, 1, 6) || '000000'"
        " WHERE " + " AND ".join(where)
    )
    return sql, params


def prefix_sql(column: str, prefix: str) -> tuple[str, str]:
    """``column`` starts with the digits ``prefix``, in a form each engine serves from its
    index (PostgreSQL: LIKE on a pattern-ops index; SQLite: GLOB, which is case-sensitive)."""
    if connection.vendor == "sqlite":
        return f" AND {column} GLOB %s", prefix + "*"
    return f" AND {column} LIKE %s", prefix + "%"


def not_insured_sql(programme: Programme, period_start: dt.date) -> tuple[str, list[Any]]:
    return (
        " AND NOT EXISTS (SELECT 1 FROM insurance_policy x WHERE x.person_id = p.id"
        " AND x.programme_id = %s AND x.period_start = %s)",
        [programme.pk, sql_date(period_start)],
    )


def members_digest(programme: Programme, period_start: dt.date, county: str, at: Any) -> str:
    """SHA-256 over the batch's policy numbers in order: the batch's commitment value."""
    digest = hashlib.sha256()
    # The numbers differ only in the person: format that part alone, a chunk at a time
    # (policy_number per row took 1.4 s of a million-person run; this, 0.1 s).
    head = policy_number(programme.slug, period_start, 0).removesuffix(f"{0:08d}")
    in_county, prefix = prefix_sql("village_code", county[:6])
    with connection.cursor() as cur:
        cur.execute(
            "SELECT person_id FROM insurance_policy WHERE programme_id = %s"  # noqa: S608
            " AND period_start = %s AND enrolled_at = %s" + in_county + " ORDER BY person_id",
            [programme.pk, sql_date(period_start), at, prefix],
        )
        while rows := cur.fetchmany(10_000):
            digest.update("".join([f"{head}{person_id:08d}\n" for (person_id,) in rows]).encode())
    return digest.hexdigest()
