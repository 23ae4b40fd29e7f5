"""Claims, their documents and the outcome of each key claim factor."""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from tuopin.core.money import MAX_FEN

from .states import ClaimState


class Recommendation(models.TextChoices):
    APPROVE = "approve", _("建议赔付")
    REJECT = "reject", _("建议拒赔")
    REVIEW = "review", _("需人工审核")


class Outcome(models.TextChoices):
    PASS = "pass", _("通过")
    FAIL = "fail", _("不通过")
    UNKNOWN = "unknown", _("无法判断")


class FiledAs(models.TextChoices):
    INSURED = "insured", _("本人申请")
    CADRE = "cadre", _("村干部代办")


def _amount(name: str) -> models.CheckConstraint:
    return models.CheckConstraint(
        condition=models.Q(**{f"{name}__gte": 0, f"{name}__lte": MAX_FEN}),
        name=f"claim_{name}_bounded",
    )


class Claim(models.Model):
    """理赔申请: one benefit of one policy, with its documents. Amounts in fen."""

    policy = models.ForeignKey("insurance.Policy", on_delete=models.PROTECT, related_name="claims")
    programme = models.ForeignKey(  # = policy.programme, for the adjusters' scope
        "insurance.Programme", on_delete=models.PROTECT, related_name="claims"
    )
    person = models.ForeignKey("registry.Person", on_delete=models.PROTECT, related_name="+")
    village_code = models.CharField(max_length=12)  # the claimant's, for the area scope
    benefit = models.CharField(_("保障"), max_length=20)
    filed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    filed_as = models.CharField(_("申请方式"), max_length=8, choices=FiledAs.choices)
    state = models.CharField(
        _("状态"), max_length=12, choices=ClaimState.choices, default=ClaimState.DRAFT
    )
    service_start = models.DateField(_("就诊/入院日期"), null=True, blank=True)
    service_end = models.DateField(_("出院日期"), null=True, blank=True)
    claimed_fen = models.BigIntegerField(_("申请金额（分）"), default=0)
    recommended_fen = models.BigIntegerField(_("建议赔付（分）"), default=0)
    approved_fen = models.BigIntegerField(_("核定赔付（分）"), default=0)
    paid_fen = models.BigIntegerField(_("实际赔付（分）"), default=0)
    recommendation = models.CharField(
        _("系统建议"), max_length=8, choices=Recommendation.choices, blank=True
    )
    sampled = models.BooleanField(_("抽检"), default=False)
    reason_codes = models.JSONField(_("理由代码"), default=list, blank=True)
    decision_note = models.CharField(_("审核说明"), max_length=300, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    decision_index = models.BigIntegerField(_("决定账本序号"), null=True, blank=True)
    payout = models.OneToOneField(
        "insurance.Payout", null=True, blank=True, on_delete=models.PROTECT, related_name="claim"
    )
    status_token = models.UUIDField(default=uuid.uuid4, editable=False)
    error = models.CharField(max_length=300, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    submitted_at = models.DateTimeField(null=True, blank=True)
    checked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("理赔")
        verbose_name_plural = _("理赔")
        ordering = ["-created_at", "-id"]
        permissions = [
            ("decide_claim", _("可以审核理赔")),
            ("pay_claim", _("可以支付理赔")),
        ]
        constraints = [
            models.UniqueConstraint(fields=["status_token"], name="claim_unique_status_token"),
            _amount("claimed_fen"),
            _amount("recommended_fen"),
            _amount("approved_fen"),
            _amount("paid_fen"),
            models.CheckConstraint(
                condition=models.Q(state__in=ClaimState.values), name="claim_state_known"
            ),
        ]
        indexes = [
            models.Index(
                fields=["village_code"],
                name="claim_village_prefix",
                opclasses=["varchar_pattern_ops"],
            ),
            models.Index(fields=["programme", "state"], name="claim_programme_state"),
        ]

    def __str__(self) -> str:
        return self.number

    @property
    def number(self) -> str:
        """理赔号."""
        return f"LP{self.pk:08d}"


class Reading(models.TextChoices):
    PENDING = "pending", _("待识别")
    READ = "read", _("已识别")
    UNREADABLE = "unreadable", _("无法识别")


class ClaimDocument(models.Model):
    """One photo of a claim and what was read from it; the filer's corrections beside the
    reading (never over it), so the adjuster sees both."""

    claim = models.ForeignKey(Claim, on_delete=models.CASCADE, related_name="documents")
    photo = models.ForeignKey("documents.Photo", on_delete=models.PROTECT, related_name="+")
    reading = models.CharField(
        _("识别"), max_length=10, choices=Reading.choices, default=Reading.PENDING
    )
    doc_type = models.CharField(_("单据类型"), max_length=20, blank=True)
    fields = models.JSONField(_("识别结果"), default=dict, blank=True)
    confidences = models.JSONField(_("置信度"), default=dict, blank=True)
    boxes = models.JSONField(default=dict, blank=True)  # field -> four corners, for the overlay
    lines = models.JSONField(default=list, blank=True)  # [text, box] of every line read
    amount_in_words = models.CharField(_("大写金额"), max_length=20, blank=True)
    corrections = models.JSONField(_("更正"), default=dict, blank=True)
    invoice_number = models.CharField(_("发票号"), max_length=40, blank=True)  # as corrected
    added_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("理赔单据")
        verbose_name_plural = _("理赔单据")
        ordering = ["id"]
        constraints = [
            models.UniqueConstraint(fields=["claim", "photo"], name="claim_document_once"),
        ]
        indexes = [models.Index(fields=["invoice_number"], name="claim_document_invoice")]

    def __str__(self) -> str:
        return f"{self.claim_id} {self.doc_type}"

    def values(self) -> dict[str, str]:
        """What was read, with the filer's corrections applied."""
        return {**self.fields, **self.corrections}


class ClaimCheck(models.Model):
    """The outcome of one key claim factor for a claim, with its message for the adjuster."""

    claim = models.ForeignKey(Claim, on_delete=models.CASCADE, related_name="checks")
    name = models.CharField(max_length=30)
    outcome = models.CharField(max_length=8, choices=Outcome.choices)
    message = models.CharField(max_length=300)
    reason_code = models.CharField(max_length=40, blank=True)

    class Meta:
        ordering = ["id"]
        constraints = [
            models.UniqueConstraint(fields=["claim", "name"], name="claim_check_once"),
        ]

    def __str__(self) -> str:
        return f"{self.name}: {self.outcome}"


class ApprovedInvoice(models.Model):
    """An invoice number on an approved claim: unique, so that no invoice is paid twice even
    if two adjusters approve two claims carrying it at the same moment."""

    invoice_number = models.CharField(max_length=40)
    claim = models.ForeignKey(Claim, on_delete=models.PROTECT, related_name="+")

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["invoice_number"], name="approved_invoice_once")
        ]

    def __str__(self) -> str:
        return self.invoice_number
