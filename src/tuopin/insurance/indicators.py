"""Insurance figures for the dashboards and the work report (``core.indicators``)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db.models import Q, Sum
from django.utils.translation import gettext_lazy as _

from tuopin.core.attention import Waiting
from tuopin.core.chronicle import Happening
from tuopin.core.indicators import FEN, ITEMS, PEOPLE, Indicator, grouped, within

from .models import Payout, Policy, PremiumPayment


def _insured(prefix: str, width: int, start: dt.date, end: dt.date) -> dict[str, int]:
    """Policies in force at some time in the period (one-year insurance periods)."""
    year_before = (
        start.replace(year=start.year - 1) if start.month != 2 else start - dt.timedelta(days=365)
    )
    return grouped(
        Policy.objects.filter(period_start__lt=end, period_start__gt=year_before).exclude(
            Q(exited_on__lt=start)
        ),
        code_field="village_code",
        prefix=prefix,
        width=width,
    )


def _premiums(prefix: str, width: int, start: dt.date, end: dt.date) -> dict[str, int]:
    """Premiums are paid per county: below a county they stay on the county."""
    return grouped(
        PremiumPayment.objects.filter(within("paid_at", start, end)),
        code_field="county_code",
        prefix=prefix,
        width=width,
        value=Sum("amount_fen"),
    )


def _payouts(prefix: str, width: int, start: dt.date, end: dt.date) -> dict[str, int]:
    return grouped(
        Payout.objects.filter(within("paid_at", start, end)),
        code_field="village_code",
        prefix=prefix,
        width=width,
        value=Sum("amount_fen"),
    )


def _claims_paid(prefix: str, width: int, start: dt.date, end: dt.date) -> dict[str, int]:
    return grouped(
        Payout.objects.filter(within("paid_at", start, end)),
        code_field="village_code",
        prefix=prefix,
        width=width,
    )


INDICATORS = [
    Indicator(
        "insurance.insured",
        _("参保人数"),
        PEOPLE,
        flow=False,
        public=True,
        group=_insured,
        direction="insurance",
        order=20,
        source=_("保单（保险期间与报告期重叠）"),
    ),
    Indicator(
        "insurance.premiums_fen",
        _("保费"),
        FEN,
        flow=True,
        public=True,
        group=_premiums,
        direction="insurance",
        order=21,
        source=_("保费支付（账本）"),
    ),
    Indicator(
        "insurance.payouts_fen",
        _("理赔金额"),
        FEN,
        flow=True,
        public=True,
        group=_payouts,
        direction="insurance",
        order=22,
        source=_("赔付（账本）"),
    ),
    Indicator(
        "insurance.payouts",
        _("理赔笔数"),
        ITEMS,
        flow=True,
        public=True,
        group=_claims_paid,
        direction="insurance",
        order=23,
        source=_("赔付（账本）"),
    ),
]


def happenings(prefix: str, start: dt.date, end: dt.date) -> list[Happening]:
    """大事记: insurance programmes that started in the period (national)."""
    from .models import Programme

    return [
        Happening(
            p.starts_on,
            _("%(name)s启动（%(insurer)s承保）") % {"name": p.name, "insurer": p.insurer},
        )
        for p in Programme.objects.filter(starts_on__gte=start, starts_on__lt=end)
    ]


def waiting(user: Any) -> list[Waiting]:
    """待办: claims waiting for a decision (the adjuster's queue), enrollment runs that failed."""
    from django.urls import reverse

    from tuopin.accounts import permissions

    from .claims.selectors import claims_for
    from .claims.states import ClaimState
    from .models import EnrollmentRun, RunStatus

    out = []
    if permissions.has(user, "insurance.decide_claim"):
        n = claims_for(user).filter(state=ClaimState.CHECKED).count()
        out.append(Waiting(str(_("待审核的理赔")), n, reverse("insurance:claims")))
    if permissions.has(user, "insurance.add_enrollmentrun"):
        failed = EnrollmentRun.objects.filter(
            status__in=[RunStatus.FAILED, RunStatus.INTERRUPTED]
        ).count()
        out.append(
            Waiting(str(_("失败或中断的参保批次")), failed, reverse("insurance:programmes"), True)
        )
    return out
