"""Programme progress for operators and observers: aggregates of one programme or of all,
and enrollment runs. No personal data; every read needs ``insurance.view_progress``."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from functools import reduce
from operator import or_
from typing import TYPE_CHECKING

from django.db.models import Count, Max, Q, Sum
from django.utils.translation import gettext as _

from tuopin.accounts import permissions

from .eligibility import years_before
from .errors import RunNotFound
from .limits import period_end
from .models import (
    Benefit,
    EnrollmentRun,
    Payout,
    Policy,
    PolicyStatus,
    PremiumPayment,
    Programme,
)
from .selectors import CountyCover, choice_labels, insured_by_county

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

    from tuopin.accounts.models import User

    AnyUser = User | AnonymousUser

AGE_BANDS = [(0, 17), (18, 30), (31, 45), (46, 60), (61, 100)]
VIEW_PROGRESS = "insurance.view_progress"


def require_progress(user: AnyUser) -> None:
    """Programme progress (aggregates) is for operators and observers."""
    permissions.require(user, VIEW_PROGRESS, _("没有查看项目进展的权限"))


def insured_by_age_band(programme: Programme, period_start: dt.date) -> list[tuple[str, int]]:
    """Active policies per age band on the period start: one query."""
    filters = {}
    for lo, hi in AGE_BANDS:
        born_after = years_before(period_start, hi + 1)
        born_by = years_before(period_start, lo)
        filters[f"b{lo}"] = Count(
            "id", filter=Q(person__birth_date__gt=born_after, person__birth_date__lte=born_by)
        )
    counts = Policy.objects.filter(
        programme=programme, period_start=period_start, status=PolicyStatus.ACTIVE
    ).aggregate(**filters)
    return [(f"{lo}–{hi}" if hi < 100 else f"{lo}+", counts[f"b{lo}"] or 0) for lo, hi in AGE_BANDS]


@dataclass
class ProgrammeSummary:
    programme: Programme
    period_start: dt.date | None  # the latest period with policies
    insured: int
    premiums_fen: int
    payouts_fen: int

    @property
    def period_last_day(self) -> dt.date | None:
        """The last day of the period (a period is one year from its start)."""
        if self.period_start is None:
            return None
        return period_end(self.period_start) - dt.timedelta(days=1)


def programme_summaries(user: AnyUser) -> list[ProgrammeSummary]:
    """Every programme's latest period in figures, for the list page: four grouped queries
    whatever the number of programmes."""
    require_progress(user)
    programmes = list(
        Programme.objects.select_related("campaign")
        .annotate(latest=Max("policies__period_start"))
        .order_by("name")
    )
    latest = [Q(programme_id=p.pk, period_start=p.latest) for p in programmes if p.latest]
    if not latest:
        return [ProgrammeSummary(p, None, 0, 0, 0) for p in programmes]
    current = reduce(or_, latest)
    insured = dict(
        Policy.objects.filter(current, status=PolicyStatus.ACTIVE)
        .values("programme_id")
        .annotate(n=Count("id"))
        .values_list("programme_id", "n")
    )
    premiums = dict(
        PremiumPayment.objects.filter(current)
        .values("programme_id")
        .annotate(s=Sum("amount_fen"))
        .values_list("programme_id", "s")
    )
    paid = dict(
        Payout.objects.filter(
            reduce(
                or_,
                (
                    Q(policy__programme_id=p.pk, policy__period_start=p.latest)
                    for p in programmes
                    if p.latest
                ),
            )
        )
        .values("policy__programme_id")
        .annotate(s=Sum("amount_fen"))
        .values_list("policy__programme_id", "s")
    )
    return [
        ProgrammeSummary(
            p, p.latest, insured.get(p.pk, 0), premiums.get(p.pk) or 0, paid.get(p.pk) or 0
        )
        for p in programmes
    ]


@dataclass
class ProgrammeProgress:
    programme: Programme
    period_start: dt.date | None
    periods: list[dt.date]
    insured: int
    exited: int
    premiums_fen: int
    payouts_fen: int
    payouts: int
    by_county: list[CountyCover]
    by_age: list[tuple[str, int]]
    by_benefit: list[tuple[str, int]]
    runs: list[EnrollmentRun]


def programme_progress(
    user: AnyUser, programme: Programme, period_start: dt.date | None
) -> ProgrammeProgress:
    """Aggregates of one programme for one period (default: the latest): no personal data."""
    require_progress(user)
    periods = list(
        Policy.objects.filter(programme=programme)
        .values_list("period_start", flat=True)
        .distinct()
        .order_by("-period_start")
    )
    if period_start is None and periods:
        period_start = periods[0]
    by_county = (
        insured_by_county(programmes=[programme], period_start=period_start) if period_start else []
    )
    payouts = Payout.objects.filter(policy__programme=programme)
    premiums = PremiumPayment.objects.filter(programme=programme)
    if period_start:
        payouts = payouts.filter(policy__period_start=period_start)
        premiums = premiums.filter(period_start=period_start)
    paid = payouts.aggregate(s=Sum("amount_fen"), n=Count("id"))
    labels = choice_labels(Benefit.choices)
    by_benefit = [
        (labels.get(r["benefit"], r["benefit"]), int(r["s"]))
        for r in payouts.values("benefit").annotate(s=Sum("amount_fen")).order_by("-s")
    ]
    return ProgrammeProgress(
        programme=programme,
        period_start=period_start,
        periods=periods,
        insured=sum(c.insured for c in by_county),
        exited=sum(c.exited for c in by_county),
        premiums_fen=premiums.aggregate(s=Sum("amount_fen"))["s"] or 0,
        payouts_fen=paid["s"] or 0,
        payouts=paid["n"] or 0,
        by_county=by_county,
        by_age=insured_by_age_band(programme, period_start) if period_start else [],
        by_benefit=by_benefit,
        runs=list(EnrollmentRun.objects.filter(programme=programme)[:10]),
    )


def get_run_for(user: AnyUser, run_id: int) -> EnrollmentRun:
    """An enrollment run (aggregates and its outcome), for who may see progress."""
    require_progress(user)
    run = EnrollmentRun.objects.select_related("programme").filter(pk=run_id).first()
    if run is None:
        raise RunNotFound(_("参保批次不存在"))
    return run
