"""教育与女性脱贫 figures for the dashboards and the work report (``core.indicators``):
awards paid (teachers and principals; the 魔豆妈妈 contest), trainees certified."""

from __future__ import annotations

import datetime as dt

from django.db.models import Sum
from django.utils.translation import gettext_lazy as _

from tuopin.core.indicators import FEN, PEOPLE, Indicator, grouped, within

from .models import Certificate, Instalment, ProgrammeKind


def _awarded(kind: str, money: bool):  # type: ignore[no-untyped-def]
    def group(prefix: str, width: int, start: dt.date, end: dt.date) -> dict[str, int]:
        qs = Instalment.objects.filter(
            within("paid_at", start, end), application__programme__kind=kind
        )
        if not money:
            qs = qs.filter(number=1)  # a winner counts once, at the first instalment
        return grouped(
            qs,
            code_field="application__area_code",
            prefix=prefix,
            width=width,
            value=Sum("amount_fen") if money else None,
        )

    return group


def _certified(prefix: str, width: int, start: dt.date, end: dt.date) -> dict[str, int]:
    return grouped(
        Certificate.objects.filter(issued_on__gte=start, issued_on__lt=end),
        code_field="trainee__area_code",
        prefix=prefix,
        width=width,
    )


INDICATORS = [
    Indicator(
        "selection.awardees",
        _("获奖乡村教师与校长"),
        PEOPLE,
        flow=True,
        public=True,
        group=_awarded(ProgrammeKind.AWARD, False),
        direction="selection",
        order=80,
        source=_("奖金首期发放（账本）"),
    ),
    Indicator(
        "selection.award_paid_fen",
        _("奖金发放"),
        FEN,
        flow=True,
        public=True,
        group=_awarded(ProgrammeKind.AWARD, True),
        direction="selection",
        order=81,
        source=_("奖金分期发放（账本）"),
    ),
    Indicator(
        "selection.contest_winners",
        _("魔豆妈妈大赛获奖者"),
        PEOPLE,
        flow=True,
        public=True,
        group=_awarded(ProgrammeKind.CONTEST, False),
        direction="women",
        order=82,
        source=_("大赛奖金首期发放（账本）"),
    ),
    Indicator(
        "selection.certified",
        _("培训结业获证"),
        PEOPLE,
        flow=True,
        public=True,
        group=_certified,
        direction="selection",
        order=83,
        source=_("结业证书（可公开核验）"),
    ),
]
