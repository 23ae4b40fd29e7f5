"""Planting, tending and patrol work for registered poor people (生态扶贫岗位): work orders
for people of the project's county, days or pieces approved by the project's partner with
the wage paid as a ledger entry in the same transaction, survival checks with a photo, and the
household page's panel of wages earned."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Any

from django.db import IntegrityError, transaction
from django.db.models import Count, Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from tuopin.accounts import permissions
from tuopin.core import moments
from tuopin.core.money import MAX_FEN
from tuopin.documents import evidence
from tuopin.ledger import services as ledger
from tuopin.registry import selectors as registry
from tuopin.registry.panels import Panel

from . import selectors
from .errors import BadWork, WorkNotFound
from .models import PayBasis, SurvivalCheck, WorkKind, WorkLog, WorkOrder

if TYPE_CHECKING:
    from tuopin.accounts.models import User

ADD_ORDER = "forest.add_workorder"
ADD_LOG = "forest.add_worklog"
APPROVE = "forest.change_worklog"
CHECK = "forest.add_survivalcheck"


def hire(
    *, by: User, project_slug: str, person_id: int, kind: str, basis: str, rate_fen: int
) -> WorkOrder:
    """Hire a registered poor person of the project's county. ``by`` needs
    ``forest.add_workorder`` and must see both the project and the person (their scope)."""
    permissions.require(by, ADD_ORDER, _("没有安排用工的权限"))
    project = selectors.get_project_for(by, project_slug)
    person = registry.get_person_for(by, person_id)
    if not person.village_code.startswith(project.county_id[:6]):
        raise BadWork(_("只能雇用项目所在县的建档立卡人员"), code="person_not_in_county")
    if person.status != "present":
        raise BadWork(_("此人已减员，不能安排用工"), code="person_left")
    if kind not in WorkKind.values or basis not in PayBasis.values:
        raise BadWork(_("未知的工种或计酬方式"), code="bad_kind")
    if not isinstance(rate_fen, int) or not 0 < rate_fen <= MAX_FEN:
        raise BadWork(_("单价须为正数（分）"), code="bad_rate")
    return WorkOrder.objects.create(
        project=project,
        person=person,
        village_code=person.village_code,
        kind=kind,
        basis=basis,
        rate_fen=rate_fen,
        created_by=by,
    )


def record_work(*, by: User, order_id: int, on: dt.date, quantity: int) -> WorkLog:
    """Record days (按天) or pieces (按件: trees planted) worked on a day, waiting for the
    partner's approval. The wage is computed now: quantity × rate."""
    permissions.require(by, ADD_LOG, _("没有登记出工的权限"))
    order = selectors.get_work_order_for(by, order_id)
    if not isinstance(quantity, int) or not 0 < quantity <= 100_000:
        raise BadWork(_("天数或件数须为正整数"), code="bad_quantity")
    if order.basis == PayBasis.DAY and quantity > 1:
        raise BadWork(_("按天计酬的一天只能记 1 天"), code="bad_quantity")
    if on > timezone.localdate():
        raise BadWork(_("不能登记未来的出工"), code="bad_date")
    wage = quantity * order.rate_fen
    if wage > MAX_FEN:
        raise BadWork(_("工资超出上限"), code="bad_quantity")
    try:
        with transaction.atomic():
            return WorkLog.objects.create(order=order, on=on, quantity=quantity, wage_fen=wage)
    except IntegrityError:
        raise BadWork(_("这一天已经登记过"), code="duplicate_day") from None


def approve_work(*, by: User, log_id: int) -> WorkLog:
    """The project's partner approves a day's work; the wage is paid with a ledger entry
    (kind ``disbursement``, the worker as a commitment) in the same transaction. The log's
    row is locked: approving twice pays once."""
    permissions.require(by, APPROVE, _("没有审核出工的权限"))
    with transaction.atomic():
        log = (
            WorkLog.objects.select_for_update(of=("self",))
            .select_related("order__project")
            .filter(pk=log_id)
            .first()
        )
        if log is None:
            raise WorkNotFound(_("出工记录不存在"))
        project = log.order.project
        if project.partner_id != by.pk:
            # Only the project's own partner approves; to anyone else it does not exist.
            raise WorkNotFound(_("出工记录不存在"))
        if log.approved_at is not None:
            return log
        order = log.order
        entry = ledger.append_entry(
            kind="disbursement",
            payload={
                "subject": "forest.wage",
                "project": project.slug,
                "county": project.county_id,
                "work": order.kind,
                "basis": order.basis,
                "quantity": log.quantity,
                "amount_fen": log.wage_fen,
                "on": log.on.isoformat(),
            },
            commit={"worker": (f"registry.person:{order.person_id}", str(order.person_id))},
        )
        log.approved_by = by
        log.approved_at = timezone.now()
        log.ledger_index = entry.index
        log.save(update_fields=["approved_by", "approved_at", "ledger_index"])
    return log


def record_survival(
    *, by: User, project_slug: str, checked_on: dt.date, planted: int, alive: int, photo: bytes
) -> SurvivalCheck:
    """A survival check a year after planting: planted vs alive, with a field photo (stored
    once per content by ``documents.evidence``; a file that is no photo is refused first)."""
    permissions.require(by, CHECK, _("没有登记成活率核查的权限"))
    project = selectors.get_project_for(by, project_slug)
    if not 0 <= alive <= planted or planted <= 0:
        raise BadWork(_("成活数须在 0 到种植数之间"), code="bad_survival")
    if not moments.in_range(timezone.make_aware(dt.datetime.combine(checked_on, dt.time()))):
        raise BadWork(_("核查日期无效"), code="bad_date")
    stored = evidence.store_photo(photo)
    return SurvivalCheck.objects.create(
        project=project, checked_on=checked_on, planted=planted, alive=alive, photo=stored, by=by
    )


def household_panel(user: Any, household: Any) -> Panel | None:
    """户页: the wages household members earned on forest projects (approved, paid). The
    household was fetched through ``get_household_for``: whoever sees the page sees this."""
    members = registry.members_of(user, household)
    rows: list[dict[str, Any]] = [
        dict(r)
        for r in WorkLog.objects.filter(
            order__person__in=members.values("pk"), approved_at__isnull=False
        )
        .values("order__person__name", "order__project__name", "order__kind")
        .annotate(days=Count("id"), quantity=Sum("quantity"), wage_fen=Sum("wage_fen"))
        .order_by("order__person__name", "order__project__name")
    ]
    if not rows:
        return None
    total = sum(r["wage_fen"] for r in rows)
    kinds = dict(WorkKind.choices)
    for r in rows:
        r["kind_label"] = kinds.get(r["order__kind"], r["order__kind"])
    return Panel(
        title=_("生态岗位工资"),
        template="forest/household_panel.html",
        context={"rows": rows, "total_fen": total},
        order=60,
    )
