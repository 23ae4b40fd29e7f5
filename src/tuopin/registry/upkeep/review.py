"""The annual review (动态调整): a county opens the year, every household gets a review item
(set-based, one statement), the village's cadre records the decisive facts, posts the public
notice (公示) and records objections, then files the village up the chain (township, county;
``accounts.approvals``). The county's approval applies the outcome set-based: households'
status, their ``StatusChange`` and history rows, and one ledger decision entry per village
with each changed household as a commitment."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.files.uploadedfile import UploadedFile
from django.db import connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from tuopin.accounts import approvals, permissions, scoping
from tuopin.accounts.approvals import Action, Status
from tuopin.areas import codes

from .. import decisions
from ..errors import BadReview, Locked, NotYourTurn, ReviewNotFound
from ..models import Household
from . import evidence as evidence_files
from .models import Objection, ReviewEvidence, ReviewItem, ReviewRound, VillageReview
from .proposals import CHECKS, propose

OPEN = "registry.add_reviewround"
RECORD = "registry.change_reviewitem"
DECIDE = "registry.decide_villagereview"
CHAIN = (codes.VILLAGE, codes.TOWNSHIP, codes.COUNTY)


def _sql(sql: str, params: list[Any]) -> int:
    with connection.cursor() as cur:
        cur.execute(sql, params)
        return cur.rowcount


@transaction.atomic
def open_review(
    *, county: str, year: int, line_fen: int, notice_days: int = 7, by: Any
) -> ReviewRound:
    """Open ``year``'s review for a county: an item for every household in the register (not
    closed), a village review for every village with households. Two INSERT … SELECT
    statements, whatever the size."""
    permissions.require(by, OPEN, _("没有开启动态调整的权限"))
    if codes.level_of(county) != codes.COUNTY or not scoping.covers(by, county):
        raise NotYourTurn(_("只能为本县开启动态调整"), code="not_your_county")
    if not 0 < line_fen <= 10_000_000:
        raise BadReview(_("贫困线应大于 0"), code="bad_line")
    if not 1 <= notice_days <= 60:
        raise BadReview(_("公示天数应在 1 至 60 天之间"), code="bad_notice_days")
    if ReviewRound.objects.filter(year=year, area_code=county).exists():
        raise BadReview(_("%(y)s 年度的动态调整已开启") % {"y": year}, code="round_exists")
    rnd = ReviewRound.objects.create(
        year=year,
        area_code=county,
        line_fen=line_fen,
        notice_days=notice_days,
        opened_by=by,
        opened_at=timezone.now(),
    )
    prefix = codes.prefix_of(county) + "%"
    hh, p = Household._meta.db_table, "registry_person"
    # Present members counted in one grouped pass over the county's people (their village
    # prefix index), joined to the households: no per-household subquery.
    _sql(
        f"INSERT INTO {ReviewItem._meta.db_table} (round_id, household_id, village_code,"  # noqa: S608
        " status_before, members, proposal, status_after)"
        " SELECT %s, h.id, h.village_code, h.status, COALESCE(m.n, 0), '', ''"
        f" FROM {hh} h LEFT JOIN (SELECT household_id, COUNT(*) AS n FROM {p}"
        "  WHERE village_code LIKE %s AND status = 'present' GROUP BY household_id) m"
        " ON m.household_id = h.id WHERE h.village_code LIKE %s AND h.closed_on IS NULL",
        [rnd.pk, prefix, prefix],
    )
    _sql(
        f"INSERT INTO {VillageReview._meta.db_table} (round_id, village_code, status, steps,"  # noqa: S608
        " step_index, step_area, filed)"
        " SELECT DISTINCT %s, village_code, %s,"
        " SUBSTR(village_code, 1, 9) || '000,' || SUBSTR(village_code, 1, 6) || '000000',"
        " 0, '', %s"
        f" FROM {ReviewItem._meta.db_table} WHERE round_id = %s",
        [rnd.pk, Status.PENDING, False, rnd.pk],
    )
    return rnd


def _village_for(by: Any, rnd: ReviewRound, village: str, *, lock: bool = False) -> VillageReview:
    if not scoping.covers(by, village):
        raise ReviewNotFound(_("动态调整不存在"))
    qs = VillageReview.objects.select_for_update() if lock else VillageReview.objects
    vr = qs.filter(round=rnd, village_code=village).first()
    if vr is None:
        raise ReviewNotFound(_("动态调整不存在"))
    return vr


def _editable(vr: VillageReview) -> None:
    if vr.filed and vr.status != Status.RETURNED:
        raise Locked(_("本村已上报，不能修改"), code="review_locked")


@transaction.atomic
def record_facts(
    *,
    item: ReviewItem,
    income_fen: int,
    checks: dict[str, bool],
    by: Any,
    evidence: list[UploadedFile | bytes] | None = None,
) -> ReviewItem:
    """The cadre records a household's income and the six checks, with photos or documents
    as evidence (added to those already attached, at most nine); the proposal follows. A
    change after the notice was posted voids the notice (it must be posted again)."""
    permissions.require(by, RECORD, _("没有填写动态调整的权限"))
    vr = _village_for(by, item.round, item.village_code, lock=True)
    _editable(vr)
    if not 0 <= income_fen <= 10_000_000_000:
        raise BadReview(_("收入金额无效"), code="bad_income")
    missing = [c for c in CHECKS if c not in checks]
    if missing:
        raise BadReview(_("请填写全部“两不愁三保障”核查项"), code="missing_checks", detail=missing)
    item = ReviewItem.objects.select_for_update().get(pk=item.pk)
    item.income_fen = income_fen
    for c in CHECKS:
        setattr(item, c, bool(checks[c]))
    item.proposal = propose(
        item.status_before,
        income_fen,
        item.members,
        item.round.line_fen,
        [checks[c] for c in CHECKS],
    )
    item.checked_by, item.checked_at = by, timezone.now()
    item.save()
    if evidence:
        already = item.evidence.count()
        ReviewEvidence.objects.bulk_create(
            ReviewEvidence(
                item=item,
                sha256=f.sha256,
                path=f.path,
                name=f.name,
                position=already + i,
                by=by,
                at=item.checked_at,
            )
            for i, f in enumerate(evidence_files.store(evidence, already=already))
        )
    if vr.notice_from is not None:
        vr.notice_from = vr.notice_to = None
        vr.save(update_fields=["notice_from", "notice_to"])
    return item


@transaction.atomic
def post_notice(
    *, rnd: ReviewRound, village: str, by: Any, starts_on: dt.date | None = None
) -> VillageReview:
    """Post the village's public notice (公示) of the proposals: every household checked."""
    permissions.require(by, RECORD, _("没有填写动态调整的权限"))
    vr = _village_for(by, rnd, village, lock=True)
    _editable(vr)
    unchecked = ReviewItem.objects.filter(round=rnd, village_code=village, proposal="").count()
    if unchecked:
        raise BadReview(_("还有 %(n)s 户未核实，不能公示") % {"n": unchecked}, code="unchecked")
    start = starts_on or timezone.localdate()
    vr.notice_from, vr.notice_to = start, start + dt.timedelta(days=rnd.notice_days)
    vr.save(update_fields=["notice_from", "notice_to"])
    return vr


def _in_notice(vr: VillageReview, today: dt.date) -> bool:
    return (
        vr.notice_from is not None
        and vr.notice_to is not None
        and vr.notice_from <= today <= vr.notice_to
    )


@transaction.atomic
def raise_objection(*, item: ReviewItem, text: str, by: Any) -> Objection:
    """Record an objection brought during the notice period."""
    permissions.require(by, RECORD, _("没有填写动态调整的权限"))
    vr = _village_for(by, item.round, item.village_code, lock=True)
    if not _in_notice(vr, timezone.localdate()):
        raise BadReview(_("不在公示期内"), code="not_in_notice")
    if not text.strip():
        raise BadReview(_("请填写异议内容"), code="text_required")
    return Objection.objects.create(
        item=item, text=text.strip()[:500], raised_by=by, raised_at=timezone.now()
    )


@transaction.atomic
def resolve_objection(*, objection: Objection, resolution: str, by: Any) -> Objection:
    permissions.require(by, RECORD, _("没有填写动态调整的权限"))
    item = objection.item
    _village_for(by, item.round, item.village_code)
    if not resolution.strip():
        raise BadReview(_("请填写处理结果"), code="text_required")
    objection.resolution, objection.resolved_at = resolution.strip()[:500], timezone.now()
    objection.save(update_fields=["resolution", "resolved_at"])
    return objection


def _record(
    vr: VillageReview,
    action: str,
    step: int,
    area: str,
    commit: dict[str, tuple[str, str]] | None = None,
) -> Any:
    return decisions.record(
        {
            "subject": "registry.review",
            "year": vr.round.year,
            "village": vr.village_code,
            "action": action,
            "step": step,
            "area": area,
        },
        commit=commit,
    )


@transaction.atomic
def file_village(*, rnd: ReviewRound, village: str, by: Any) -> VillageReview:
    """After the notice has ended with every objection settled, the cadre files the village."""
    permissions.require(by, RECORD, _("没有填写动态调整的权限"))
    vr = _village_for(by, rnd, village, lock=True)
    _editable(vr)
    if vr.notice_to is None:
        raise BadReview(_("尚未公示"), code="no_notice")
    if timezone.localdate() <= vr.notice_to:
        raise BadReview(
            _("公示期未满（至 %(d)s）") % {"d": vr.notice_to.isoformat()}, code="notice_running"
        )
    open_objections = Objection.objects.filter(
        item__round=rnd, item__village_code=village, resolved_at__isnull=True
    ).count()
    if open_objections:
        raise BadReview(
            _("还有 %(n)s 条异议未处理") % {"n": open_objections}, code="open_objections"
        )
    vr.filed = True
    vr.move_to(Status.PENDING, 0)
    vr.save()
    _record(vr, Action.SUBMIT, -1, village)
    return vr


@transaction.atomic
def decide_village(*, vr: VillageReview, action: str, by: Any, comment: str = "") -> VillageReview:
    """The township, then the county, approves a village's review (or returns it to the
    cadre with a comment). The county's approval applies the outcome."""
    vr = VillageReview.objects.select_for_update().select_related("round").get(pk=vr.pk)
    if not vr.filed and vr.status == Status.PENDING:
        raise NotYourTurn(_("本村尚未上报"), code="not_filed")
    steps = vr.step_list
    allowed = approvals.allowed_actions(by, vr.status, vr.step_index, steps, DECIDE)
    if action not in (Action.APPROVE, Action.RETURN, Action.REJECT):
        raise BadReview(_("未知的审批操作：%(a)s") % {"a": str(action)[:20]}, code="bad_action")
    if action not in allowed:
        if vr.status == Status.APPROVED:
            raise Locked(_("已审批通过，不能再审批"), code="review_locked")
        raise NotYourTurn(_("现在不是您审批：须由当前审批层级所在区划的干部审批"))
    mine = approvals.decider_index(by, steps, DECIDE)
    assert mine is not None
    if action != Action.APPROVE and not comment.strip():
        raise BadReview(_("不通过、退回时请写明意见"), code="comment_required")
    if action == Action.APPROVE:
        vr.move_to(*approvals.after_approval(steps, vr.step_index))
    else:  # a review is never rejected outright: it goes back to the village
        vr.move_to(Status.RETURNED, vr.step_index)
    commit = None
    if vr.status == Status.APPROVED:
        commit = _apply(vr, by)
    entry = _record(vr, action, mine, steps[mine], commit)
    vr.ledger_index = entry.index
    vr.save()
    return vr


OUTCOMES = (("lift", "lifted"), ("return", "returned"))


def _json_param() -> str:
    return "CAST(%s AS jsonb)" if connection.vendor == "postgresql" else "%s"


def _apply(vr: VillageReview, by: Any) -> dict[str, tuple[str, str]]:
    """The outcome of an approved village, set-based: for each proposal (and the status it
    started from) one INSERT … SELECT of status changes, one of history rows, one UPDATE of
    the items and one of the households. A household whose status changed meanwhile (by
    another path) is left alone. Returns the ledger commitments of the changed households."""
    import json

    rnd, now = vr.round, timezone.now()
    db_now = connection.ops.adapt_datetimefield_value(now)
    items, hh = ReviewItem._meta.db_table, Household._meta.db_table
    where = f" FROM {hh} h JOIN {items} i ON i.household_id = h.id WHERE i.round_id = %s AND i.village_code = %s AND i.proposal = %s AND h.status = i.status_before AND h.status = %s"  # noqa: S608
    reason = f"动态调整 {rnd.year}"
    changed: list[tuple[int, str, str]] = []
    for proposal, to in OUTCOMES:
        for before in ("poor", "returned", "lifted"):
            args = [rnd.pk, vr.village_code, proposal, before]
            found = _rows(f"SELECT h.id, h.household_no{where}", args)
            if not found:
                continue
            changed += [(pk, no, to) for pk, no in found]
            _sql(
                "INSERT INTO registry_statuschange (household_id, from_status, to_status, year,"
                f" reason, by_id, at) SELECT h.id, h.status, %s, %s, %s, %s, %s{where}",
                [to, rnd.year, reason, by.pk, db_now, *args],
            )
            changes = json.dumps({"status": [before, to], "year": rnd.year}, ensure_ascii=False)
            _sql(
                "INSERT INTO registry_historyevent (household_no, village_code, person_name, what,"
                " changes, reason, source, by_id, at)"
                f" SELECT h.household_no, h.village_code, '', 'status', {_json_param()}, %s,"
                f" 'review', %s, %s{where}",
                [changes, reason, by.pk, db_now, *args],
            )
            ids = [pk for pk, _no in found]
            ReviewItem.objects.filter(round=rnd, household_id__in=ids).update(status_after=to)
            Household.objects.filter(pk__in=ids, status=before).update(
                status=to, status_year=rnd.year, updated_at=now
            )
    vr.applied_at = now
    return {f"{to}:{n}": (f"registry.household:{pk}", no) for n, (pk, no, to) in enumerate(changed)}


def _rows(sql: str, params: list[Any]) -> list[tuple[Any, ...]]:
    with connection.cursor() as cur:
        cur.execute(sql, params)
        return list(cur.fetchall())
