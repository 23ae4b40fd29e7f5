"""Who must report (应报村) and who has (上报完整性).

A periodic report type may list the villages that must report it every period, as a DHIS2
data set is assigned to its org units. Bottom-up approval of a township or a county then waits
for every roster village below it: each must have filed a report that is not rejected, or its
cadre must have said that there is nothing to report this period (本期无上报). Without a
roster, a unit waits only for what was filed (ADR 0009).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.db import transaction
from django.db.models import Exists, OuterRef, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from tuopin.accounts import permissions, scoping
from tuopin.accounts.approvals import Status
from tuopin.areas import codes
from tuopin.areas import selectors as areas
from tuopin.areas.errors import AreaNotFound

from . import periods
from .errors import BadDecision, BelowNotApproved, InvalidReport, NotYourTurn
from .models import NilReturn, ReportingVillage, ReportType, Submission

SET_ROSTER = "casework.change_reporttype"
FILE = "casework.add_submission"
AGGREGATES = "casework.view_report_aggregates"
SHOWN = 5  # missing villages named in a refusal; the rest are counted


def set_roster(*, report_type: ReportType, village_codes: Iterable[str], by: Any) -> int:
    """Replace the type's roster with ``village_codes``; refused whole if any is not a known
    village. Returns the roster's size."""
    permissions.require(by, SET_ROSTER, _("没有设置应报村的权限"))
    if not report_type.periodic:
        raise BadDecision(_("只有定期上报才有应报村"))
    wanted = sorted({c.strip() for c in village_codes if c and c.strip()})
    known = areas.existing_village_codes(set(wanted))
    unknown = [c for c in wanted if c not in known]
    if unknown:
        raise InvalidReport(
            _("不是已知的村：%(codes)s") % {"codes": _("、").join(unknown[:SHOWN])},
            detail={"unknown": unknown},
        )
    with transaction.atomic():
        ReportingVillage.objects.filter(report_type=report_type).delete()
        ReportingVillage.objects.bulk_create(
            [ReportingVillage(report_type=report_type, area_id=c) for c in wanted]
        )
    return len(wanted)


def villages_under(area_code: str) -> list[str]:
    """Every village below an area: the usual roster ("all villages of the county")."""
    return list(areas.villages_under(area_code).values_list("code", flat=True))


def declare_nothing(
    *,
    report_type: ReportType,
    village: str,
    reason: str,
    period: dt.date | None = None,
    by: Any,
) -> NilReturn:
    """A roster village's cadre says there is nothing to report for the period holding
    ``period`` (today by default). Idempotent for the period; refused once a report is filed."""
    permissions.require(by, FILE, _("没有上报的权限"))
    if not report_type.periodic:
        raise BadDecision(_("只有定期上报才能申报本期无上报"))
    if codes.level_of(village) != codes.VILLAGE or not scoping.covers(by, village):
        raise NotYourTurn(_("只能为本村上报"))
    reason = reason.strip()
    if not reason:
        raise InvalidReport(_("请说明本期为什么没有上报"), detail={"reason": _("必填")})
    start = periods.period_start(period or timezone.localdate(), report_type.periodicity)
    if not ReportingVillage.objects.filter(report_type=report_type, area_id=village).exists():
        raise BadDecision(_("本村不在此上报的应报村名单中"))
    with transaction.atomic():
        filed = _filed(report_type, start).filter(area_id=village)
        if filed.exists():
            raise BadDecision(_("本村本期已有上报"))
        nil, _created = NilReturn.objects.get_or_create(
            report_type=report_type,
            area_id=village,
            period_start=start,
            defaults={"reason": reason[:200], "by": by, "at": timezone.now()},
        )
    return nil


def _filed(report_type: ReportType, period_start: dt.date) -> QuerySet[Submission]:
    return Submission.objects.filter(report_type=report_type, period_start=period_start).exclude(
        status=Status.REJECTED
    )


def missing(report_type: ReportType, period_start: dt.date, area_code: str) -> list[str]:
    """Roster villages below ``area_code`` with neither a live report nor a nil return for the
    period (one query)."""
    filed = _filed(report_type, period_start).filter(area_id=OuterRef("area_id"))
    nil = NilReturn.objects.filter(
        report_type=report_type, period_start=period_start, area_id=OuterRef("area_id")
    )
    return list(
        ReportingVillage.objects.filter(
            report_type=report_type, area__code__startswith=codes.prefix_of(area_code)
        )
        .exclude(Exists(filed))
        .exclude(Exists(nil))
        .order_by("area_id")
        .values_list("area_id", flat=True)
    )


@dataclass(frozen=True)
class Completeness:
    """How many roster villages of an area have reported a period, and which have not."""

    expected: int
    missing: list[tuple[str, str]]  # (code, name)

    @property
    def reported(self) -> int:
        return self.expected - len(self.missing)


def completeness(report_type: ReportType, period_start: dt.date, area_code: str) -> Completeness:
    expected = ReportingVillage.objects.filter(
        report_type=report_type, area__code__startswith=codes.prefix_of(area_code)
    ).count()
    gaps = missing(report_type, period_start, area_code)
    names = areas.areas_by_codes(gaps)
    return Completeness(expected, [(c, names[c].name if c in names else c) for c in gaps])


def completeness_for(
    user: Any, report_type: ReportType, period_start: dt.date, area_code: str
) -> Completeness:
    """:func:`completeness` for a reader of the reports, of an area in their scope (else the
    same not-found as a missing area)."""
    permissions.require(user, AGGREGATES, _("没有查看上报汇总的权限"))
    try:
        code = codes.normalise(area_code)
    except codes.AreaCodeError:
        code = ""
    if not code or not scoping.covers(user, code) or not areas.areas_by_codes([code]):
        raise AreaNotFound(_("区划不存在：%(c)s") % {"c": area_code})
    return completeness(report_type, period_start, code)


def refuse_if_missing(report_type: ReportType, period_start: dt.date, area_code: str) -> None:
    """Refuse (:class:`BelowNotApproved`) to approve ``area_code`` while roster villages below
    it have not reported the period; the message names the first few."""
    gaps = completeness(report_type, period_start, area_code).missing
    if not gaps:
        return
    names = _("、").join(name for _code, name in gaps[:SHOWN])
    if len(gaps) > SHOWN:
        names = _("%(names)s 等") % {"names": names}
    raise BelowNotApproved(
        _("还有 %(n)s 个应报村本期未上报（%(names)s），不能审批本级")
        % {"n": len(gaps), "names": names},
        detail={"missing": [code for code, _name in gaps]},
    )
