"""Writes of the registry: import, status changes, export (which logs any unmasked view)."""

from __future__ import annotations

import csv
import datetime as dt
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any

from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from tuopin.accounts import permissions, scoping
from tuopin.accounts import services as account_services
from tuopin.core import idcard, masking
from tuopin.core.tabular import Limits, neutralise_row

from . import closing, selectors
from .choices import STATUS_TRANSITIONS, ClosedReason, MemberStatus, PovertyStatus
from .errors import BadStatusChange, HouseholdNotFound, PersonNotFound
from .importing import ImportReport, RegistryImport
from .models import Household, Person, StatusChange
from .upkeep.models import HistoryEvent, Source

if TYPE_CHECKING:
    from tuopin.accounts.models import User


def import_registry(
    *,
    path: str | Path,
    by: User | None = None,
    progress: Callable[[int], None] | None = None,
    parallel: bool = False,
    limits: Limits | None = None,
) -> ImportReport:
    """Import a household export file. See :mod:`tuopin.registry.importing` for the rules.

    ``by`` (an officer importing through a page) restricts the import to the officer's scope
    and holds the file to the upload limits; the command line runs with no user, may write
    anywhere and is held only to the shape limits (columns, cell length). ``parallel`` lets a
    big file be read in a forked child: for command-line processes only, never in a web
    server. Raises :class:`~tuopin.registry.errors.ImportFailed` (with what was written) if
    the run stops part-way.
    """
    if limits is None:
        limits = Limits.from_settings()
        if by is None:
            limits = limits.for_command_line()
    return RegistryImport(path, by=by, progress=progress, parallel=parallel, limits=limits).run()


FIRST_STATUS_YEAR = 1949  # a poverty status year before the People's Republic is a typo


def _lock_household_for(by: User, household: Household) -> Household:
    """The household row, locked, if it lies in ``by``'s scope; else not found."""
    locked = (
        scoping.scope(Household.objects.select_for_update(), by, "village__code")
        .filter(pk=household.pk)
        .first()
    )
    if locked is None:
        raise HouseholdNotFound(_("贫困户不存在：%(no)s") % {"no": household.household_no})
    return locked


@transaction.atomic
def change_status(
    *, household: Household, to_status: str, year: int | None, reason: str, by: User
) -> StatusChange:
    """Change a household's poverty status along an allowed transition, keeping the history.

    ``by`` needs ``registry.change_household`` and the household in scope. Locks the
    household row so two officers cannot change it at once.
    """
    permissions.require(by, "registry.change_household", _("没有变更贫困状态的权限"))
    if to_status not in PovertyStatus.values:
        raise BadStatusChange(
            _("未知的贫困状态：%(s)s") % {"s": to_status[:40]}, code="bad_to_status"
        )
    last_year = timezone.localdate().year + 1
    if year is not None and not FIRST_STATUS_YEAR <= year <= last_year:
        raise BadStatusChange(
            _("年度应在 %(a)s 至 %(b)s 之间") % {"a": FIRST_STATUS_YEAR, "b": last_year},
            code="bad_year",
        )
    locked = _lock_household_for(by, household)
    if to_status not in STATUS_TRANSITIONS.get(locked.status, set()):
        raise BadStatusChange(
            _("不能从“%(a)s”变为“%(b)s”")
            % {"a": PovertyStatus(locked.status).label, "b": PovertyStatus(to_status).label}
        )
    if not reason.strip():
        raise BadStatusChange(_("请填写变更原因"), code="reason_required")
    change = StatusChange.objects.create(
        household=locked,
        from_status=locked.status,
        to_status=to_status,
        year=year,
        reason=reason.strip()[:200],
        by=by,
    )
    locked.status = to_status
    locked.status_year = year
    locked.save(update_fields=["status", "status_year", "updated_at"])
    household.refresh_from_db()
    return change


@transaction.atomic
def change_member_status(
    *, household: Household, person_id: int, status: str, on: dt.date, by: User
) -> Person:
    """Record that a member died or moved out (减员), or came back (在册). Insurance ends their
    policies on its next run (``insurance.services.sync_exits``).

    ``by`` needs ``registry.change_person`` and the household in scope.
    """
    permissions.require(by, "registry.change_person", _("没有变更成员状态的权限"))
    if status not in MemberStatus.values or status == MemberStatus.MERGED:
        # a duplicate is merged through the duplicates screen's change request, not here
        raise BadStatusChange(
            _("未知的成员状态：%(s)s") % {"s": status[:40]}, code="bad_member_status"
        )
    locked = _lock_household_for(by, household)
    person = Person.objects.select_for_update().filter(pk=person_id, household=locked).first()
    if person is None:
        raise PersonNotFound(_("此人不存在"))
    if on > timezone.localdate():
        raise BadStatusChange(_("日期不能晚于今天"), code="date_in_future")
    if person.status == MemberStatus.MERGED:
        raise BadStatusChange(_("此人已合并"), code="already_merged")
    comes_back = status == MemberStatus.PRESENT and person.status != MemberStatus.PRESENT
    if locked.is_closed and not (comes_back and locked.closed_reason == ClosedReason.NO_MEMBERS):
        raise BadStatusChange(_("此户已销户，不能再变更"), code="household_closed")
    before = person.status
    person.status = status
    person.left_on = None if status == MemberStatus.PRESENT else on
    person.save(update_fields=["status", "left_on", "updated_at"])
    at = timezone.now()
    events: list[tuple[str, dict[str, Any], Person | None]] = [
        ("remove_member", {"status": [before, status], "on": on.isoformat()}, person)
    ]
    if comes_back:
        events[0] = ("add_member", {"status": [before, status]}, person)
        if reopened := closing.reopen_if_closed(locked, at=at):
            events.append(("reopened", reopened, None))
    elif closed := closing.close_if_empty(locked, on=on, reason=ClosedReason.NO_MEMBERS, at=at):
        events.append(("closed", closed, None))
    HistoryEvent.objects.bulk_create(
        HistoryEvent.of(locked, what, changes, who, source=Source.STATUS, by=by, at=at)
        for what, changes, who in events
    )
    household.refresh_from_db()
    return person


EXPORT_HEADER = [
    "户编号",
    "村代码",
    "村",
    "贫困户属性",
    "主要致贫原因",
    "贫困状态",
    "脱贫年度",
    "姓名",
    "证件号码",
    "性别",
    "出生日期",
    "与户主关系",
    "文化程度",
    "健康状况",
    "在校生状况",
    "联系电话",
]


def export_header(*, user: User) -> list[str]:
    """The export's columns for ``user``: the birth year instead of the birth date when the
    ID numbers are masked (region, year and check character leave ~16,000 candidates)."""
    if scoping.may_unmask(user):
        return EXPORT_HEADER
    return [("出生年份" if h == "出生日期" else h) for h in EXPORT_HEADER]


def export_rows(*, user: User, area: str | None = None) -> Iterator[list[object]]:
    """The export rows of the user's scope, masked unless the user may unmask (then logged).

    Needs ``registry.export_registry``, checked at the call (not when the rows are first
    read); the rows come through the access functions.
    """
    permissions.require(user, "registry.export_registry", _("没有导出建档立卡数据的权限"))
    unmask = scoping.may_unmask(user)
    households = selectors.households_for(user, area=area).values("id")
    people = (
        selectors.people_for(user)
        .filter(household_id__in=households)
        .select_related("household__village")
        .order_by("household__household_no", "id")
    )
    if unmask:
        account_services.log_unmask(user=user, subject="export", context=f"export:{area or '*'}")
    return _export_lines(people, unmask)


def _export_lines(people: QuerySet[Person], unmask: bool) -> Iterator[list[object]]:
    for p in people.iterator(chunk_size=2000):
        h = p.household
        yield [
            h.household_no,
            h.village_id,
            h.village.name,
            h.get_household_type_display(),
            h.get_poverty_cause_display(),
            h.get_status_display(),
            h.status_year or "",
            p.name,
            p.id_number if unmask else idcard.mask(p.id_number),
            p.get_sex_display(),
            p.birth_date.isoformat() if unmask else p.birth_date.year,
            p.get_relation_display(),
            p.get_education_display(),
            p.get_health_display(),
            p.get_student_status_display(),
            p.phone if unmask else masking.mask_phone(p.phone),
        ]


def export_registry(*, user: User, path: str | Path, area: str | None = None) -> int:
    """Write the user's scope to CSV (UTF-8 with BOM) or XLSX by the file's suffix."""
    path = Path(path)
    rows = export_rows(user=user, area=area)  # refused before any file is written
    n = 0
    if path.suffix.lower() == ".xlsx":
        from openpyxl import Workbook

        wb = Workbook(write_only=True)
        ws = wb.create_sheet("建档立卡")
        ws.append(export_header(user=user))
        for row in rows:
            ws.append(neutralise_row(row))
            n += 1
        wb.save(path)
        return n
    with path.open("w", encoding="utf-8-sig", newline="") as fh:
        writer = csv.writer(fh)
        writer.writerow(export_header(user=user))
        for row in rows:
            writer.writerow(neutralise_row(row))
            n += 1
    return n
