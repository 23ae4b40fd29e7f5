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


# Why someone fails a rule, in the order the village view names it: the first that applies.
REASONS = ("left", "age", "sex", "household_status", "county")
ELIGIBLE = "eligible"


def rule_conditions(
    programme: Programme, period_start: dt.date
) -> list[tuple[str, str, list[Any]]]:
    """The rule's conditions as (reason, SQL, params): the one definition that enrollment and
    exits (all must hold) and the village view's reason (the first that fails) are built from."""
    born_after, born_by = birth_bounds(period_start, programme.min_age, programme.max_age)
    out: list[tuple[str, str, list[Any]]] = [
        ("left", "p.status = 'present'", []),
        (
            "age",
            "p.birth_date > %s AND p.birth_date <= %s",
            [sql_date(born_after), sql_date(born_by)],
        ),
    ]
    if programme.sex:
        out.append(("sex", "p.sex = %s", [programme.sex]))
    if programme.household_statuses:
        statuses = list(programme.household_statuses)
        out.append(
            ("household_status", f"h.status IN ({', '.join(['%s'] * len(statuses))})", statuses)
        )
    if programme.require_national_poor:
        out.append(("county", "c.national_poor", []))
    if programme.require_deep_poverty:
        out.append(("county", "c.deep_poverty", []))
    # The covered counties are read in the SQL (none listed: every county), not fetched
    # first: the village view then needs no query per programme, nor a prefetch, for them.
    out.append(
        (
            "county",
            "NOT EXISTS (SELECT 1 FROM insurance_programme_counties pc WHERE pc.programme_id = %s)"
            " OR c.code IN (SELECT pc.area_id FROM insurance_programme_counties pc"
            " WHERE pc.programme_id = %s)",
            [programme.pk, programme.pk],
        )
    )
    return out


# The county comes from the person's village (the household's, copied by the import; the
# policy's village and the batches follow it too). A batch's people are then found from
# the person's village index: taken from the household, the planner misjudged the join to
# the county and probed every household in the tree for each county.
_HOUSEHOLD = " JOIN registry_household h ON h.id = p.household_id"
_COUNTY = " JOIN areas_area c ON c.code = SUBSTR(p.village_code, 1, 6) || '000000'"


def rule_sql(programme: Programme, period_start: dt.date) -> tuple[str, list[Any]]:
    """FROM/WHERE over people, households and counties for the programme's rule (no loop).

    ``p`` is the person, ``c`` the county row and ``h`` the household, joined only when the
    rule looks at it (the join costs a probe per person: 0.3 s of a million-person run).
    """
    conditions = rule_conditions(programme, period_start)
    params = [x for _, _, ps in conditions for x in ps]
    sql = (
        " FROM registry_person p"
        + (_HOUSEHOLD if programme.household_statuses else "")
        + _COUNTY
        + " WHERE "
        + " AND ".join(f"({cond})" for _, cond, _ in conditions)
    )
    return sql, params


def batch_sql(programme: Programme, period_start: dt.date, county: str) -> tuple[str, list[Any]]:
    """FROM/WHERE for one county's batch: the rule's conditions on the person (and household)
    over the county's villages, and its conditions on the county judged on that county's row
    alone, once per statement (an uncorrelated ``EXISTS``), where ``rule_sql`` joins the
    county to each person (on SQLite a probe per person: 0.3–0.5 s of a million-person run,
    bench/README). The same people as ``rule_sql`` restricted to the county: a county
    missing from the areas table, or one the rule does not cover, gives none."""
    person: list[tuple[str, list[Any]]] = []
    of_county: list[tuple[str, list[Any]]] = []
    for reason, cond, ps in rule_conditions(programme, period_start):
        (of_county if reason == "county" else person).append((cond, ps))
    in_county, prefix = prefix_sql("p.village_code", county[:6])
    sql = (
        " FROM registry_person p"  # noqa: S608 - fixed parts; the values are params
        + (_HOUSEHOLD if programme.household_statuses else "")
        + " WHERE "
        + " AND ".join(f"({cond})" for cond, _ in person)
        + in_county
        + " AND EXISTS (SELECT 1 FROM areas_area c WHERE c.code = %s"
        + "".join(f" AND ({cond})" for cond, _ in of_county)
        + ")"
    )
    params = [
        *(x for _, ps in person for x in ps),
        prefix,
        county[:6] + "000000",
        *(x for _, ps in of_county for x in ps),
    ]
    return sql, params


def counties(programme: Programme, period_start: dt.date) -> list[str]:
    """The codes of the counties the rule admits (its ``county`` conditions alone), in order:
    the enrollment's batches when nothing needs counting first."""
    from tuopin.areas.models import Level

    county = [
        (cond, ps)
        for reason, cond, ps in rule_conditions(programme, period_start)
        if reason == "county"
    ]
    where = "".join(f" AND ({cond})" for cond, _ in county)
    with connection.cursor() as cur:
        cur.execute(
            "SELECT c.code FROM areas_area c WHERE c.level = %s"  # noqa: S608 - fixed parts
            + where
            + " ORDER BY c.code",
            [int(Level.COUNTY), *(x for _, ps in county for x in ps)],
        )
        return [code for (code,) in cur.fetchall()]


def reason_sql(programme: Programme, period_start: dt.date) -> tuple[str, list[Any]]:
    """A CASE naming the first condition of the rule that ``p`` fails (``eligible`` when none
    does), over ``p``, ``h`` and ``c`` as in ``rule_sql``. ``IS NOT TRUE`` so that a county missing from the
    areas table (NULL) reads as not covered, as the rule's inner join treats it."""
    conditions = rule_conditions(programme, period_start)
    whens = [f"WHEN ({cond}) IS NOT TRUE THEN '{reason}'" for reason, cond, _ in conditions]
    params = [x for _, _, ps in conditions for x in ps]
    return "CASE " + " ".join(whens) + f" ELSE '{ELIGIBLE}' END", params


def person_reason_sql(
    programme: Programme, period_start: dt.date, person: str
) -> tuple[str, list[Any]]:
    """``reason_sql`` as a scalar subquery for the person whose id is the column ``person``
    (an annotation on a query of people: the reasons cost no query of their own). The
    household and county are LEFT JOINed so that a missing one still gives a reason."""
    case, params = reason_sql(programme, period_start)
    return (
        f"(SELECT {case} FROM registry_person p"  # noqa: S608 - values are params
        + _HOUSEHOLD.replace(" JOIN", " LEFT JOIN")
        + _COUNTY.replace(" JOIN", " LEFT JOIN")
        + f" WHERE p.id = {person})",
        params,
    )


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


def members_digest(programme: Programme, period_start: dt.date, person_ids: list[int]) -> str:
    """SHA-256 over the batch's policy numbers in order (of the holders' ids): the batch's
    commitment value."""
    digest = hashlib.sha256()
    # The numbers differ only in the person: format that part alone, a chunk at a time
    # (policy_number per row took 1.4 s of a million-person run), with one %-format of the
    # whole chunk (an f-string per person was half of this function's time: issue 19).
    head = policy_number(programme.slug, period_start, 0).removesuffix(f"{0:08d}")
    line = head.replace("%", "%%") + "%08d\n"
    ordered = sorted(person_ids)
    for start in range(0, len(ordered), 10_000):
        chunk = tuple(ordered[start : start + 10_000])
        digest.update((line * len(chunk) % chunk).encode())
    return digest.hexdigest()
