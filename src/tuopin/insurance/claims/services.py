"""Writes of claims: file (a draft), add photos, correct what was read, submit, decide, pay.

Each takes its actor (``by``), checks the permission and fetches the claim through
:func:`.selectors.get_claim_for` (the scope); state changes go through
:func:`.states.require_transition`. Recognition and the checks run in the background
(:mod:`.processing`), enqueued on commit.
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Any

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from tuopin.accounts import permissions
from tuopin.core.errors import DomainError, ValidationFailed
from tuopin.core.money import MAX_FEN, format_yuan, parse_yuan
from tuopin.documents import evidence
from tuopin.documents.types import FIELDS, DocType
from tuopin.ledger import services as ledger

from .. import limits
from .. import selectors as cover
from .. import services as insurance
from ..models import Benefit, CoverageItem
from .checks import TITLES
from .models import ApprovedInvoice, Claim, ClaimDocument, FiledAs
from .selectors import ClaimNotFound, get_claim_for
from .states import ClaimState, require_transition

if TYPE_CHECKING:
    from tuopin.accounts.models import User

MAX_DOCUMENTS = 20
DATE_FIELDS = {"admission_date", "discharge_date", "visit_date", "birth_date"}
AMOUNT_FIELDS = {"total_amount", "insurance_paid", "self_paid"}
# Reasons an adjuster may give (the checks' own codes, and a few of their own).
REJECT_REASONS = {
    "name_mismatch": _("姓名不符"),
    "id_mismatch": _("身份证号不符"),
    "waiting_period": _("等待期内"),
    "outside_period": _("不在保险期间"),
    "policy_not_active": _("保单已退出"),
    "not_covered": _("不属保障范围"),
    "figures_disagree": _("金额不一致"),
    "nothing_payable": _("无可赔金额"),
    "duplicate_invoice": _("发票重复报销"),
    "reused_photo": _("照片重复使用"),
    "dates_disagree": _("出院记录与发票不符"),
    "unreadable": _("单据无法辨认"),
    "other": _("其他"),
}


class BadClaim(DomainError):
    code = "bad_claim"


def _editable(claim: Claim) -> None:
    if claim.state != ClaimState.DRAFT:
        raise BadClaim(_("理赔已提交，不能再修改"), code="claim_not_editable")


def create_claim(*, by: User, policy_no: str, benefit: str, filed_as: str = FiledAs.CADRE) -> Claim:
    """A draft claim on one benefit of a policy whose holder is in ``by``'s scope."""
    permissions.require(by, "insurance.add_claim", _("没有申请理赔的权限"))
    if benefit not in Benefit.values:
        raise BadClaim(_("未知的保障：%(b)s") % {"b": benefit}, code="bad_benefit")
    if filed_as not in FiledAs.values:
        raise BadClaim(_("未知的申请方式"), code="bad_filed_as")
    policy = cover.get_policy_for(by, policy_no)  # 404 out of scope
    return Claim.objects.create(
        policy=policy,
        programme_id=policy.programme_id,
        person_id=policy.person_id,
        village_code=policy.village_code,
        benefit=benefit,
        filed_by=by,
        filed_as=filed_as,
    )


def add_document(*, by: User, claim_id: int, data: bytes) -> ClaimDocument:
    """Add a photo to a draft claim: stored as evidence (refused with :class:`BadImage` if it
    is not a usable photo, and then nothing is saved), read in the background."""
    from ..tasks import recognise_document

    permissions.require(by, "insurance.change_claim", _("没有修改理赔的权限"))
    with transaction.atomic():
        claim = get_claim_for(by, claim_id, for_update=True)
        _editable(claim)
        if claim.documents.count() >= MAX_DOCUMENTS:
            raise BadClaim(
                _("每笔理赔最多 %(n)s 张照片") % {"n": MAX_DOCUMENTS}, code="too_many_documents"
            )
        photo = evidence.store_photo(data)
        if claim.documents.filter(photo=photo).exists():
            raise BadClaim(_("这张照片已经添加过了"), code="document_already_added")
        doc = ClaimDocument.objects.create(claim=claim, photo=photo)
        transaction.on_commit(lambda: recognise_document.enqueue(doc.pk))
    return doc


def remove_document(*, by: User, claim_id: int, document_id: int) -> None:
    permissions.require(by, "insurance.change_claim", _("没有修改理赔的权限"))
    with transaction.atomic():
        claim = get_claim_for(by, claim_id, for_update=True)
        _editable(claim)
        if not ClaimDocument.objects.filter(claim=claim, pk=document_id).delete()[0]:
            raise ClaimNotFound(_("单据不存在"))


def _normalise(name: str, value: str) -> str:
    value = value.strip()
    if not value:
        return ""
    if name in DATE_FIELDS:
        try:
            return dt.date.fromisoformat(value).isoformat()
        except ValueError:
            raise ValidationFailed(
                _("日期格式应为 YYYY-MM-DD：%(v)s") % {"v": value}, code="bad_date"
            ) from None
    if name in AMOUNT_FIELDS:
        try:
            fen = parse_yuan(value)
        except ValueError:
            raise ValidationFailed(
                _("金额应为元，最多两位小数：%(v)s") % {"v": value}, code="bad_amount"
            ) from None
        if not 0 <= fen <= MAX_FEN:
            raise ValidationFailed(_("金额超出范围"), code="bad_amount")
        return f"{fen // 100}.{fen % 100:02d}"
    if name == "id_number":
        return value.upper()
    return value[:100]


def correct_document(
    *,
    by: User,
    claim_id: int,
    document_id: int,
    corrections: dict[str, str],
    doc_type: str | None = None,
) -> ClaimDocument:
    """The filer's corrections of what was read (kept beside the reading); a value equal to
    the reading removes the correction. ``doc_type`` corrects the document's type."""
    permissions.require(by, "insurance.change_claim", _("没有修改理赔的权限"))
    with transaction.atomic():
        claim = get_claim_for(by, claim_id, for_update=True)
        _editable(claim)
        doc = ClaimDocument.objects.filter(claim=claim, pk=document_id).first()
        if doc is None:
            raise ClaimNotFound(_("单据不存在"))
        if doc_type:
            if doc_type not in DocType._value2member_map_:
                raise ValidationFailed(_("未知的单据类型"), code="bad_doc_type")
            doc.doc_type = doc_type
        allowed = set(FIELDS.get(DocType(doc.doc_type), ())) if doc.doc_type else set()
        unknown = set(corrections) - allowed
        if unknown:
            raise ValidationFailed(
                _("此类单据没有这些项：%(f)s") % {"f": "、".join(sorted(unknown))},
                code="bad_field",
            )
        fixed = dict(doc.corrections)
        for name, value in corrections.items():
            clean = _normalise(name, str(value))
            if clean == doc.fields.get(name, ""):
                fixed.pop(name, None)
            else:
                fixed[name] = clean
        doc.corrections = fixed
        doc.invoice_number = doc.values().get("invoice_number", "")[:40]
        doc.save(update_fields=["doc_type", "corrections", "invoice_number"])
    return doc


def submit_claim(*, by: User, claim_id: int) -> Claim:
    """Hand a draft in: the checks run in the background (:func:`.processing.check_claim`)."""
    from ..tasks import check_claim

    permissions.require(by, "insurance.change_claim", _("没有修改理赔的权限"))
    with transaction.atomic():
        claim = get_claim_for(by, claim_id, for_update=True)
        require_transition(claim.state, ClaimState.SUBMITTED)
        if not claim.documents.exists():
            raise BadClaim(_("请至少添加一张单据照片"), code="no_documents")
        claim.state = ClaimState.SUBMITTED
        claim.submitted_at = timezone.now()
        claim.save(update_fields=["state", "submitted_at"])
        transaction.on_commit(lambda: check_claim.enqueue(claim.pk))
    return claim


def _payable_cap(claim: Claim) -> int:
    item = CoverageItem.objects.filter(
        programme_id=claim.programme_id, benefit=claim.benefit
    ).first()
    if item is None:
        return 0
    used = cover.used_fen(claim.policy_id, claim.benefit)
    rules = limits.Limits.of(item)
    if claim.claimed_fen:
        return limits.payable(rules, claim.claimed_fen, used)
    return min(rules.per_claim_fen, limits.remaining(rules, used))


def decide_claim(
    *,
    by: User,
    claim_id: int,
    approve: bool,
    amount_fen: int | None = None,
    reasons: list[str] | tuple[str, ...] = (),
    note: str = "",
) -> Claim:
    """The adjuster's decision on a checked claim, with a ledger ``decision`` entry (the
    insured only as a commitment). Approving takes the recommended amount unless
    ``amount_fen`` adjusts it (at most what the cover pays); rejecting needs a reason code.
    An approved claim's invoice numbers are recorded once (a unique constraint): an invoice
    cannot be approved twice."""
    permissions.require(by, "insurance.decide_claim", _("没有审核理赔的权限"))
    reasons = list(dict.fromkeys(reasons))
    bad = [r for r in reasons if r not in REJECT_REASONS]
    if bad:
        raise ValidationFailed(
            _("未知的理由代码：%(r)s") % {"r": ", ".join(bad)}, code="bad_reason"
        )
    with transaction.atomic():
        claim = get_claim_for(by, claim_id, for_update=True)
        to = ClaimState.APPROVED if approve else ClaimState.REJECTED
        require_transition(claim.state, to)
        # Programme, benefit, amount or reason codes; the insured only as a commitment.
        payload: dict[str, Any] = {"programme": claim.programme.slug, "benefit": claim.benefit}
        if approve:
            amount = claim.recommended_fen if amount_fen is None else amount_fen
            cap = _payable_cap(claim)
            if not isinstance(amount, int) or isinstance(amount, bool) or not 0 < amount <= cap:
                raise ValidationFailed(
                    _("赔付金额应大于 0 且不超过保障可赔的 %(c)s") % {"c": format_yuan(cap)},
                    code="bad_amount",
                    detail={"max_fen": cap},
                )
            claim.approved_fen = amount
            payload |= {"decision": "claim_approved", "amount_fen": amount}
            try:
                with transaction.atomic():
                    ApprovedInvoice.objects.bulk_create(
                        [
                            ApprovedInvoice(invoice_number=n, claim=claim)
                            for n in sorted(
                                set(
                                    claim.documents.exclude(invoice_number="").values_list(
                                        "invoice_number", flat=True
                                    )
                                )
                            )
                        ]
                    )
            except IntegrityError:
                raise BadClaim(
                    _("发票已在另一笔已同意的理赔中报销"), code="duplicate_invoice"
                ) from None
        else:
            if not reasons:
                raise ValidationFailed(_("拒赔请选择理由"), code="reason_required")
            payload |= {"decision": "claim_rejected", "reasons": reasons}
        entry = ledger.append_entry(
            kind="decision",
            payload=payload,
            commit={"insured": (f"insurance.policy:{claim.policy_id}", claim.policy.policy_no)},
        )
        claim.state = to
        claim.reason_codes = reasons
        claim.decision_note = note.strip()[:300]
        claim.decided_by = by
        claim.decided_at = timezone.now()
        claim.decision_index = entry.index
        claim.save()
    return claim


def pay_claim(*, by: User, claim_id: int) -> Claim:
    """Pay an approved claim through :func:`insurance.services.record_payout` (its ledger
    entry; limits checked again under the policy's lock), at most the approved amount."""
    permissions.require(by, "insurance.pay_claim", _("没有支付理赔的权限"))
    with transaction.atomic():
        claim = get_claim_for(by, claim_id, for_update=True)
        require_transition(claim.state, ClaimState.PAID)
        payout = insurance.record_payout(
            policy=claim.policy,
            benefit=claim.benefit,
            loss_fen=max(claim.claimed_fen, claim.approved_fen),
            cap_fen=claim.approved_fen,
            service_day=claim.service_start,
        )
        claim.payout = payout
        claim.paid_fen = payout.amount_fen
        claim.state = ClaimState.PAID
        claim.save(update_fields=["payout", "paid_fen", "state"])
    return claim


def check_titles() -> dict[str, str]:
    return {k: str(v) for k, v in TITLES.items()}
