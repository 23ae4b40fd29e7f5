"""Writes of the charity app: donations (idempotent, with their ledger entries), refunds,
reconciliation of payment-platform statements."""

from __future__ import annotations

import datetime as dt
import hashlib
from collections import Counter
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from django.db import IntegrityError, transaction
from django.db.models import Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from tuopin.accounts import permissions
from tuopin.core import moments
from tuopin.core.bulk import select_in
from tuopin.core.imports import RowError, map_header
from tuopin.core.money import MAX_FEN, is_amount, parse_yuan
from tuopin.core.tabular import UnreadableFile, open_table
from tuopin.ledger import services as ledger

from . import selectors
from .errors import (
    BadCampaign,
    BadDonation,
    BadRefund,
    CampaignClosed,
    CampaignNotFound,
    DonationNotFound,
    PaymentRefReused,
    RefundRefReused,
)
from .models import (
    Campaign,
    CampaignStatus,
    Channel,
    Donation,
    Outcome,
    Refund,
    Statement,
    StatementLine,
)

if TYPE_CHECKING:
    from collections.abc import Iterable

    from tuopin.accounts.models import User
    from tuopin.areas.models import Area

# As the model's fields hold them (PostgreSQL refuses a longer value with an error).
REF_MAX_LENGTH = 64


@dataclass(frozen=True)
class Recorded:
    donation: Donation
    created: bool  # False when the payment reference was already recorded


@dataclass(frozen=True)
class RefundRecorded:
    refund: Refund
    created: bool  # False when the refund reference was already recorded


def save_campaign(
    *, by: User, campaign: Campaign, counties: Iterable[Area] | None = None
) -> Campaign:
    """Create ``campaign`` (unsaved) or save the changes made to it, and set its counties
    when given. ``by`` needs ``charity.add_campaign`` or ``charity.change_campaign``."""
    if campaign.pk is None:
        permissions.require(by, "charity.add_campaign", _("没有创建募捐活动的权限"))
    else:
        permissions.require(by, "charity.change_campaign", _("没有修改募捐活动的权限"))
    if not is_amount(campaign.goal_fen):
        raise BadCampaign(
            _("目标金额必须是 1 到 %(max)s 之间的整数（分）") % {"max": MAX_FEN}, code="bad_goal"
        )
    if campaign.ends_on < campaign.starts_on:
        raise BadCampaign(_("结束日期早于开始日期"), code="bad_dates")
    if campaign.status not in CampaignStatus.values:
        raise BadCampaign(_("未知的活动状态：%(s)s") % {"s": campaign.status}, code="bad_status")
    with transaction.atomic():
        campaign.save()
        if counties is not None:
            campaign.counties.set(counties)
    return campaign


def _check_time(at: dt.datetime | None, error: type[BadDonation | BadRefund]) -> dt.datetime:
    if at is None:
        return timezone.now()
    if not moments.in_range(at):
        raise error(
            _("时间必须带时区，年份在 %(a)s–%(b)s 之间")
            % {"a": moments.EARLIEST_YEAR, "b": moments.LATEST_YEAR},
            code="bad_time",
        )
    return at


def record_donation(
    *,
    by: User,
    campaign_slug: str,
    amount_fen: int,
    channel: str,
    payment_ref: str,
    donor: User | None = None,
    display_name: str = "",
    message: str = "",
    at: dt.datetime | None = None,
) -> Recorded:
    """Record a donation and its ledger entry in one transaction.

    Idempotent on ``payment_ref``: a retried payment notification returns the first donation
    unchanged, also when retries race (the unique reference decides; the loser re-reads). The
    ledger entry holds the amount, channel and campaign, and the donor only as a commitment,
    whose opening the donor's receipt carries. ``by`` needs ``charity.add_donation``.
    """
    permissions.require(by, "charity.add_donation", _("没有记录捐赠的权限"))
    payment_ref = payment_ref.strip()
    if not payment_ref:
        raise BadDonation(_("缺少支付流水号"), code="missing_payment_ref")
    if len(payment_ref) > REF_MAX_LENGTH:
        raise BadDonation(
            _("支付流水号不能超过 %(n)s 个字符") % {"n": REF_MAX_LENGTH}, code="bad_payment_ref"
        )
    existing = Donation.objects.filter(payment_ref=payment_ref).first()
    if existing is not None:
        return _retried(existing, campaign_slug=campaign_slug, amount_fen=amount_fen)
    if not is_amount(amount_fen):
        raise BadDonation(
            _("捐赠金额必须是 1 到 %(max)s 之间的整数（分）") % {"max": MAX_FEN}, code="bad_amount"
        )
    if channel not in Channel.values:
        raise BadDonation(_("未知的捐赠渠道：%(c)s") % {"c": channel}, code="bad_channel")
    at = _check_time(at, BadDonation)
    campaign = Campaign.objects.filter(slug=campaign_slug).first()
    if campaign is None:
        raise CampaignNotFound(_("募捐活动不存在：%(s)s") % {"s": campaign_slug})
    if campaign.status != CampaignStatus.OPEN or not (
        campaign.starts_on <= timezone.localtime(at).date() <= campaign.ends_on
    ):
        raise CampaignClosed(_("募捐活动未在进行中：%(t)s") % {"t": campaign.title})
    try:
        with transaction.atomic():
            donation = Donation(
                campaign=campaign,
                amount_fen=amount_fen,
                channel=channel,
                payment_ref=payment_ref,
                donor=donor,
                display_name=display_name[:50],
                message=message[:200],
                donated_at=at,
            )
            entry = ledger.append_entry(
                kind="donation",
                payload={"campaign": campaign.slug, "amount_fen": amount_fen, "channel": channel},
                commit={"donor": (f"charity.donation:{donation.receipt_token}", payment_ref)},
            )
            donation.ledger_index = entry.index
            donation.save()
    except IntegrityError:
        # A concurrent retry recorded the same payment reference first: answer with it.
        first = Donation.objects.filter(payment_ref=payment_ref).first()
        if first is None:
            raise
        return _retried(first, campaign_slug=campaign_slug, amount_fen=amount_fen)
    return Recorded(donation, created=True)


def _retried(first: Donation, *, campaign_slug: str, amount_fen: int) -> Recorded:
    """A retried notification answers with the first donation; a different amount or campaign
    under the same reference is a platform's error, said plainly rather than taken as a retry."""
    same = first.amount_fen == amount_fen and first.campaign.slug == campaign_slug
    if not same:
        raise PaymentRefReused(
            _("支付流水号 %(ref)s 已用于另一笔捐赠（金额或活动不同）") % {"ref": first.payment_ref},
            detail={"payment_ref": first.payment_ref},
        )
    return Recorded(first, created=False)


def keep_donation(*, by: User, token: str) -> Donation:
    """Keep a donation in ``by``'s 我的捐赠, found by its receipt token (or receipt link).

    Whoever holds the receipt link holds the donation (the payment platform shows it to the
    donor). The first account to keep it owns it: a conditional UPDATE, so two accounts
    racing cannot both win; one another account kept answers exactly like a missing one.
    Keeping one's own donation again changes nothing.
    """
    permissions.require(by, selectors.KEEP_DONATION, _("没有“我的捐赠”的权限"))
    donation = selectors.donation_by_token(selectors.token_from(token))
    if donation.donor_id == by.pk:
        return donation
    taken = Donation.objects.filter(pk=donation.pk, donor__isnull=True).update(donor=by)
    if not taken:
        raise DonationNotFound(_("捐赠不存在"))
    donation.donor = by
    return donation


def refund_donation(
    *,
    by: User,
    donation: Donation,
    amount_fen: int,
    refund_ref: str,
    reason: str,
    at: dt.datetime | None = None,
) -> RefundRecorded:
    """Return money on a donation: its own row and ledger entry; the donation never changes.

    Idempotent on ``refund_ref``: a retry returns the first refund (``created`` False), also
    when retries race: the donation row is locked, the reference is looked up again under the
    lock, and a clash on the unique reference (a retry naming another donation) is re-read in
    a savepoint. A reference reused for another donation or amount is refused. Refunds of one
    donation never add up to more than it. ``by`` needs ``charity.add_refund``.
    """
    permissions.require(by, "charity.add_refund", _("没有登记退款的权限"))
    refund_ref = refund_ref.strip()
    if not refund_ref:
        raise BadRefund(_("缺少退款流水号"), code="missing_refund_ref")
    if len(refund_ref) > REF_MAX_LENGTH:
        raise BadRefund(
            _("退款流水号不能超过 %(n)s 个字符") % {"n": REF_MAX_LENGTH}, code="bad_refund_ref"
        )
    existing = Refund.objects.filter(refund_ref=refund_ref).first()
    if existing is not None:
        return _replayed(existing, donation, amount_fen)
    if not is_amount(amount_fen):
        raise BadRefund(
            _("退款金额必须是 1 到 %(max)s 之间的整数（分）") % {"max": MAX_FEN}, code="bad_amount"
        )
    if not reason.strip():
        raise BadRefund(_("请填写退款原因"), code="missing_reason")
    at = _check_time(at, BadRefund)
    try:
        with transaction.atomic():
            locked = (
                Donation.objects.select_for_update(of=("self",))
                .select_related("campaign")
                .get(pk=donation.pk)
            )
            # A racing retry for this donation held the lock first and has committed by now.
            existing = Refund.objects.filter(refund_ref=refund_ref).first()
            if existing is not None:
                return _replayed(existing, donation, amount_fen)
            before = locked.refunds.aggregate(s=Sum("amount_fen"))["s"] or 0
            if before + amount_fen > locked.amount_fen:
                raise BadRefund(
                    _("退款合计 %(total)s 分超过捐赠金额 %(amount)s 分")
                    % {"total": before + amount_fen, "amount": locked.amount_fen},
                    code="refund_exceeds_donation",
                )
            entry = ledger.append_entry(
                kind="refund",
                payload={
                    "campaign": locked.campaign.slug,
                    "amount_fen": amount_fen,
                    "donation": locked.ledger_index,
                },
            )
            refund = Refund.objects.create(
                donation=locked,
                amount_fen=amount_fen,
                refund_ref=refund_ref,
                reason=reason.strip()[:200],
                refunded_at=at,
                ledger_index=entry.index,
            )
    except IntegrityError:
        first = Refund.objects.filter(refund_ref=refund_ref).first()
        if first is None:
            raise
        return _replayed(first, donation, amount_fen)
    return RefundRecorded(refund, created=True)


def _replayed(existing: Refund, donation: Donation, amount_fen: int) -> RefundRecorded:
    if existing.donation_id != donation.pk or existing.amount_fen != amount_fen:
        raise RefundRefReused(
            _("退款流水号 %(r)s 已用于另一笔退款") % {"r": existing.refund_ref},
            detail={"refund_ref": existing.refund_ref},
        )
    return RefundRecorded(existing, created=False)


STATEMENT_COLUMNS: dict[str, tuple[str, ...]] = {
    "payment_ref": ("支付流水号", "交易号", "流水号", "订单号", "reference"),
    "amount": ("金额", "金额（元）", "金额(元)", "amount_yuan"),
    "paid_at": ("支付时间", "交易时间", "时间", "time"),
}


@dataclass(frozen=True)
class Reconciled:
    statement: Statement
    errors: list[RowError]


def _parse_time(text: str) -> dt.datetime:
    """A statement's time; local (Asia/Shanghai) unless it names its zone."""
    value = dt.datetime.fromisoformat(text.strip().replace("/", "-"))
    if value.tzinfo is None:
        if not moments.EARLIEST_YEAR <= value.year <= moments.LATEST_YEAR:
            raise ValueError(text)  # before make_aware: year 1 cannot move to UTC
        value = timezone.make_aware(value)
    if not moments.in_range(value):
        raise ValueError(text)
    return value


def reconcile_statement(
    *,
    by: User,
    campaign_slug: str,
    channel: str,
    path: str | Path,
    filename: str = "",
) -> Reconciled:
    """Compare a payment platform's statement (CSV/XLSX) with the donations recorded here.

    Each statement line is matched, mismatched (amount differs) or extra (not recorded here);
    each donation of the campaign and channel within the statement's time span that the
    statement lacks is missing. Unreadable lines are reported with their reason and the rest
    is reconciled (an amount beyond ``MAX_FEN`` or a time outside the sane years is such a
    line). Nothing changes any donation; the outcome is kept as a Statement. ``by`` needs
    ``charity.add_statement``.
    """
    permissions.require(by, "charity.add_statement", _("没有导入对账单的权限"))
    campaign = Campaign.objects.filter(slug=campaign_slug).first()
    if campaign is None:
        raise CampaignNotFound(_("募捐活动不存在：%(s)s") % {"s": campaign_slug})
    if channel not in Channel.values:
        raise BadDonation(_("未知的捐赠渠道：%(c)s") % {"c": channel}, code="bad_channel")
    path = Path(path)
    table = open_table(path)
    cols = map_header(table.header, STATEMENT_COLUMNS)
    lacking = [f for f in ("payment_ref", "amount") if f not in cols]
    if lacking:
        raise UnreadableFile(
            _("对账单缺少列：%(c)s") % {"c": "、".join(STATEMENT_COLUMNS[f][0] for f in lacking)}
        )
    errors: list[RowError] = []
    lines: dict[str, tuple[int, int, dt.datetime | None]] = {}
    for line_no, values in table.rows:

        def cell(name: str, values: list[str] = values) -> str:
            i = cols.get(name)
            return values[i].strip() if i is not None and i < len(values) else ""

        ref = cell("payment_ref")
        if not ref:
            errors.append(RowError(line_no, "payment_ref", "missing_field", _("缺少支付流水号")))
            continue
        if len(ref) > REF_MAX_LENGTH:
            errors.append(
                RowError(
                    line_no,
                    "payment_ref",
                    "bad_payment_ref",
                    _("支付流水号不能超过 %(n)s 个字符") % {"n": REF_MAX_LENGTH},
                )
            )
            continue
        try:
            amount = parse_yuan(cell("amount"))
        except ValueError:
            errors.append(
                RowError(
                    line_no, "amount", "bad_amount", _("金额无效：%(v)s") % {"v": cell("amount")}
                )
            )
            continue
        paid_at = None
        if cell("paid_at"):
            try:
                paid_at = _parse_time(cell("paid_at"))
            except ValueError:
                errors.append(
                    RowError(
                        line_no,
                        "paid_at",
                        "bad_date",
                        _("时间无效：%(v)s") % {"v": cell("paid_at")},
                    )
                )
                continue
        if ref in lines:
            errors.append(
                RowError(
                    line_no,
                    "payment_ref",
                    "duplicate_ref",
                    _("流水号重复（见第 %(n)s 行）") % {"n": lines[ref][0]},
                )
            )
            continue
        lines[ref] = (line_no, amount, paid_at)
    recorded = {
        ref: (pk, amount)
        for pk, ref, amount in select_in(
            "charity_donation",
            ["id", "payment_ref", "amount_fen"],
            "payment_ref",
            list(lines),
        )
    }
    # Donations of another campaign are not this campaign's: they count as extra here.
    mine = set(
        Donation.objects.filter(
            campaign=campaign, pk__in=[pk for pk, _a in recorded.values()]
        ).values_list("pk", flat=True)
    )
    times = [t for _n, _a, t in lines.values() if t is not None]
    period_from, period_to = (min(times), max(times)) if times else (None, None)
    digest = hashlib.sha256(path.read_bytes()).hexdigest()
    with transaction.atomic():
        statement = Statement.objects.create(
            campaign=campaign,
            channel=channel,
            filename=(filename or path.name)[:200],
            sha256=digest,
            period_from=period_from,
            period_to=period_to,
            uploaded_by=by,
            rejected=len(errors),
        )
        rows = []
        for ref, (line_no, amount, paid_at) in lines.items():
            found = recorded.get(ref)
            if found is None or found[0] not in mine:
                outcome, donation_id = Outcome.EXTRA, None
            elif found[1] == amount:
                outcome, donation_id = Outcome.MATCHED, found[0]
            else:
                outcome, donation_id = Outcome.MISMATCHED, found[0]
            rows.append(
                StatementLine(
                    statement=statement,
                    line_no=line_no,
                    payment_ref=ref,
                    amount_fen=amount,
                    paid_at=paid_at,
                    donation_id=donation_id,
                    outcome=outcome,
                )
            )
        if period_from is not None and period_to is not None:
            for pk, ref in Donation.objects.filter(
                campaign=campaign, channel=channel, donated_at__range=(period_from, period_to)
            ).values_list("pk", "payment_ref"):
                if ref not in lines:
                    rows.append(
                        StatementLine(
                            statement=statement,
                            payment_ref=ref,
                            donation_id=pk,
                            outcome=Outcome.MISSING,
                        )
                    )
        StatementLine.objects.bulk_create(rows, batch_size=1000)
        counts = Counter(r.outcome for r in rows)
        statement.matched = counts[Outcome.MATCHED]
        statement.mismatched = counts[Outcome.MISMATCHED]
        statement.missing = counts[Outcome.MISSING]
        statement.extra = counts[Outcome.EXTRA]
        statement.save(update_fields=["matched", "mismatched", "missing", "extra"])
    return Reconciled(statement, errors)
