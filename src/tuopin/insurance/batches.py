"""One county's enrollment batch: its policies, its premium payment and the two ledger entries,
in one transaction (ADR 0005), and the funds check every payment makes.

The batch's people are found by ``rules.batch_sql`` (the county's villages, the county's own
conditions judged once) and inserted by one ``INSERT … SELECT``; the members commitment needs
their ids, which are read back in the cheapest form each engine has (:func:`_insert_policies`).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import IntegrityError, connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from tuopin.charity.models import Campaign
from tuopin.core.bulk import db_datetime
from tuopin.core.money import format_yuan
from tuopin.ledger import services as ledger

from . import rules, selectors
from .errors import InsufficientFunds
from .models import PremiumPayment, Programme

_INSERT = (
    "INSERT INTO insurance_policy (programme_id, person_id, village_code, period_start, status,"
    " exit_reason, exit_note, enrolled_at) SELECT %s, p.id, p.village_code, %s, 'active', '', '',"
    " %s"
)
_ON_CONFLICT = " ON CONFLICT (person_id, programme_id, period_start) DO NOTHING"


def require_funds(campaign: Campaign | None, people: int, amount_fen: int) -> None:
    """The one funds check: premiums may not exceed what the campaign raised, less refunds and
    premiums already paid (no funding campaign: no limit)."""
    if campaign is None:
        return
    available = selectors.campaign_funds(campaign)["available_fen"]
    if amount_fen > available:
        raise InsufficientFunds(
            _(
                "善款不足：%(people)s 人需保费 %(need)s，善款可用 %(have)s，差 %(short)s"
                "（运营人员可填写原因后强制执行）"
            )
            % {
                "people": people,
                "need": format_yuan(amount_fen),
                "have": format_yuan(available),
                "short": format_yuan(amount_fen - available),
            },
            detail={"people": people, "need_fen": amount_fen, "available_fen": available},
        )


def insure_county(
    programme: Programme,
    period_start: dt.date,
    county: str,
    override_reason: str,
    *,
    fresh: bool = False,
) -> tuple[int, list[int]]:
    """Insure one county's eligible people and pay their premiums: one transaction. Returns
    how many were insured and the batch's two ledger indexes.

    ``fresh``: the period held no policy of the programme when the run began, so the plain
    insert is tried first (see :func:`_insert_policies`)."""
    where, where_params = rules.batch_sql(programme, period_start, county)
    now: Any = db_datetime(timezone.now())
    with transaction.atomic():
        campaign = None
        if programme.campaign_id is not None:
            # One payer at a time per campaign: the funds check and the payment go together.
            campaign = Campaign.objects.select_for_update().get(pk=programme.campaign_id)
        members = _insert_policies(
            _INSERT + where,
            [programme.pk, rules.sql_date(period_start), now, *where_params],
            fresh=fresh,
        )
        people = len(members)
        if not people:
            return 0, []
        amount = people * programme.premium_fen
        if not override_reason:  # again, under the lock: a concurrent run may have spent it
            require_funds(campaign, people, amount)
        base = {"programme": programme.slug, "period_start": period_start.isoformat()}
        enrolled = ledger.append_entry(
            kind="enrollment",
            payload={**base, "county": county, "people": people},
            commit={
                "members": (
                    f"insurance.batch:{programme.slug}:{period_start:%Y%m%d}:{county[:6]}",
                    rules.members_digest(programme, period_start, members),
                )
            },
        )
        paid = ledger.append_entry(
            kind="premium",
            payload={
                **base,
                "campaign": campaign.slug if campaign else None,
                "county": county,
                "people": people,
                "amount_fen": amount,
                # The reason is free text an operator typed: it stays in the payment row, and
                # the public, unerasable ledger only says that the limit was overridden.
                **({"override": True} if override_reason else {}),
            },
        )
        PremiumPayment.objects.create(
            programme=programme,
            campaign=campaign,
            period_start=period_start,
            county_code=county,
            people=people,
            amount_fen=amount,
            override_reason=override_reason,
            paid_at=timezone.now(),
            ledger_index=paid.index,
        )
    return people, [enrolled.index, paid.index]


def _insert_policies(insert: str, params: list[Any], *, fresh: bool) -> list[int]:
    """Run ``insert`` (an ``INSERT … SELECT`` of policies) and return the new policies'
    holders, for the members digest.

    Who is insured already is left to the unique constraint's index (one probe per row, which
    the insert makes anyway), not to an anti-join: planned while the table is still empty,
    that rescans the growing table once per person. ``ON CONFLICT DO NOTHING`` makes
    PostgreSQL insert speculatively (a pre-check, then a confirmation, per row: 15 % of a
    million-person run, bench/README); in a ``fresh`` period a plain insert is tried first,
    under a savepoint, and only if someone is insured after all (a concurrent run) is it
    rolled back and made again with ``ON CONFLICT``.

    The holders: PostgreSQL returns them with the insert (``RETURNING``). SQLite's
    ``RETURNING`` gathers the rows in a temporary table and hands them to Python one by one
    (0.3 s of a million-person run); there the batch's policies are the ones above the
    table's highest id before the insert (the transaction holds the write lock from its
    start, ``transaction_mode`` IMMEDIATE, so no one else's can be among them) and their
    holders are read back as one comma-separated text.
    """
    sqlite = connection.vendor == "sqlite"
    returning = "" if sqlite else " RETURNING person_id"
    above = 0
    with connection.cursor() as cur:
        if sqlite:
            cur.execute("SELECT COALESCE(MAX(id), 0) FROM insurance_policy")
            (above,) = cur.fetchone()
        if fresh:
            try:
                with transaction.atomic():
                    cur.execute(insert + returning, params)
                    return _holders_after(cur, above) if sqlite else _ids(cur)
            except IntegrityError:
                pass
        cur.execute(insert + _ON_CONFLICT + returning, params)
        return _holders_after(cur, above) if sqlite else _ids(cur)


def _ids(cur: Any) -> list[int]:
    return [person_id for (person_id,) in cur.fetchall()]


def _holders_after(cur: Any, above: int) -> list[int]:
    """SQLite: the holders of the policies whose id is above ``above``, in one text."""
    cur.execute("SELECT group_concat(person_id) FROM insurance_policy WHERE id > %s", [above])
    (text,) = cur.fetchone()
    return list(map(int, text.split(","))) if text else []
