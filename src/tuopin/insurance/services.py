"""Writes of the insurance app: set-based enrollment with its ledger entry."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.db import connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from tuopin.charity import selectors as charity
from tuopin.core.bulk import db_datetime
from tuopin.ledger import services as ledger

from .eligibility import birth_bounds
from .errors import BadProgramme, ProgrammeNotFound
from .models import Policy, Programme


@dataclass(frozen=True)
class Enrollment:
    programme: str
    period_start: dt.date
    eligible: int
    enrolled: int
    premium_fen: int
    ledger_index: int | None


def _eligible_sql(programme: Programme, period_start: dt.date) -> tuple[str, list[Any]]:
    """FROM/WHERE over people, households and counties for the programme's rule (no loop)."""
    born_after, born_by = birth_bounds(period_start, programme.min_age, programme.max_age)
    ops = connection.ops
    where = ["p.birth_date > %s", "p.birth_date <= %s"]
    params: list[Any] = [
        ops.adapt_datefield_value(born_after),
        ops.adapt_datefield_value(born_by),
    ]
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
    where.append(
        "NOT EXISTS (SELECT 1 FROM insurance_policy x WHERE x.programme_id = %s"
        " AND x.person_id = p.id AND x.period_start = %s)"
    )
    params += [programme.pk, ops.adapt_datefield_value(period_start)]
    sql = (
        " FROM registry_person p"
        " JOIN registry_household h ON h.id = p.household_id"
        " JOIN areas_area c ON c.code = SUBSTR(h.village_code, 1, 6) || '000000'"
        " WHERE " + " AND ".join(where)
    )
    return sql, params


def enroll(*, programme_slug: str, period_start: dt.date, override_reason: str = "") -> Enrollment:
    """Insure every eligible person not yet insured for the period: one INSERT … SELECT.

    Idempotent (a constraint allows one policy per person, programme and period). With a
    funding campaign, the premiums may not exceed what it raised less what was already spent,
    unless an operator gives a reason. The batch's totals go to the ledger in the same
    transaction; no person appears there.
    """
    programme = Programme.objects.filter(slug=programme_slug).first()
    if programme is None:
        raise ProgrammeNotFound(_("保险项目不存在：%(s)s") % {"s": programme_slug})
    if programme.min_age > programme.max_age:
        raise BadProgramme(_("年龄范围颠倒"), code="age_range_inverted")
    sql, params = _eligible_sql(programme, period_start)
    with transaction.atomic():
        with connection.cursor() as cur:
            if connection.vendor == "postgresql":
                # Fresh statistics first: right after a million-row run the planner would
                # otherwise take the policy table for empty and scan it once per person.
                cur.execute("ANALYZE insurance_policy")
            cur.execute("SELECT COUNT(*)" + sql, params)  # noqa: S608 - built from fixed parts
            eligible = int(cur.fetchone()[0])
        premium = eligible * programme.premium_fen
        if programme.campaign is not None and eligible and not override_reason.strip():
            raised = charity.campaign_totals(programme.campaign)["raised_fen"]
            spent = Policy.objects.filter(programme__campaign=programme.campaign).count()
            spent_fen = spent * programme.premium_fen
            if premium > raised - spent_fen:
                raise BadProgramme(
                    _(
                        "善款不足：需要 %(need)s 分，可用 %(have)s 分（运营人员可填写原因后强制执行）"
                    )
                    % {"need": premium, "have": raised - spent_fen},
                    code="insufficient_funds",
                )
        now: Any = db_datetime(timezone.now())
        prefix = f"{programme.slug.upper()}-{period_start:%Y%m%d}-"
        with connection.cursor() as cur:
            cur.execute(
                "INSERT INTO insurance_policy (programme_id, person_id, village_code,"  # noqa: S608
                " period_start, policy_no, status, exit_reason, enrolled_at)"
                " SELECT %s, p.id, h.village_code, %s,"
                " CAST(%s AS VARCHAR(32)) || CAST(p.id AS VARCHAR(20)), 'active', '', %s" + sql,
                [
                    programme.pk,
                    connection.ops.adapt_datefield_value(period_start),
                    prefix,
                    now,
                    *params,
                ],
            )
            enrolled = cur.rowcount
        index = None
        if enrolled:
            entry = ledger.append_entry(
                kind="enrollment",
                payload={
                    "programme": programme.slug,
                    "period_start": period_start.isoformat(),
                    "people": enrolled,
                    "premium_fen": enrolled * programme.premium_fen,
                    **({"override": override_reason.strip()} if override_reason.strip() else {}),
                },
            )
            index = entry.index
    return Enrollment(
        programme.slug, period_start, eligible, enrolled, enrolled * programme.premium_fen, index
    )
