"""Donation campaigns and donations (the report's "1+1" model: online platforms, enterprises,
governments, social organisations). Donations are never edited; a refund is its own row."""

from __future__ import annotations

import uuid

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from tuopin.core.money import MAX_FEN


class CampaignStatus(models.TextChoices):
    DRAFT = "draft", _("草稿")
    OPEN = "open", _("募捐中")
    CLOSED = "closed", _("已结束")


class Channel(models.TextChoices):
    ONLINE = "online", _("互联网公益平台")
    ENTERPRISE = "enterprise", _("企业")
    GOVERNMENT = "government", _("政府")
    SOCIAL_ORG = "social_org", _("社会组织")


class Campaign(models.Model):
    """A fundraising campaign for one programme (e.g. 顶梁柱健康扶贫公益保险)."""

    slug = models.SlugField(unique=True)
    title = models.CharField(_("名称"), max_length=100)
    programme_name = models.CharField(_("资助项目"), max_length=100)
    story = models.TextField(_("介绍"), blank=True)
    goal_fen = models.BigIntegerField(
        _("目标金额（分）"), validators=[MinValueValidator(1), MaxValueValidator(MAX_FEN)]
    )
    starts_on = models.DateField(_("开始日期"))
    ends_on = models.DateField(_("结束日期"))
    status = models.CharField(
        _("状态"), max_length=8, choices=CampaignStatus.choices, default=CampaignStatus.DRAFT
    )
    counties = models.ManyToManyField(
        "areas.Area", verbose_name=_("受益县"), blank=True, related_name="+"
    )

    class Meta:
        verbose_name = _("募捐活动")
        verbose_name_plural = _("募捐活动")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(goal_fen__gt=0, goal_fen__lte=MAX_FEN),
                name="campaign_goal_in_range",
            ),
            models.CheckConstraint(
                condition=models.Q(ends_on__gte=models.F("starts_on")),
                name="campaign_dates_ordered",
            ),
        ]

    def __str__(self) -> str:
        return self.title


class Donation(models.Model):
    """One donation. The payment reference is unique: a retried notification records nothing new."""

    campaign = models.ForeignKey(Campaign, on_delete=models.PROTECT, related_name="donations")
    amount_fen = models.BigIntegerField(_("金额（分）"))
    channel = models.CharField(_("渠道"), max_length=16, choices=Channel.choices)
    payment_ref = models.CharField(_("支付流水号"), max_length=64, unique=True)
    donor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    display_name = models.CharField(_("署名"), max_length=50, blank=True)
    message = models.CharField(_("留言"), max_length=200, blank=True)
    donated_at = models.DateTimeField(_("捐赠时间"))
    ledger_index = models.BigIntegerField(_("账本序号"), unique=True)
    receipt_token = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)

    class Meta:
        verbose_name = _("捐赠")
        verbose_name_plural = _("捐赠")
        ordering = ["-donated_at", "-id"]
        permissions = [("keep_donation", _("可以在“我的捐赠”里保存和查看自己的捐赠"))]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(amount_fen__gt=0, amount_fen__lte=MAX_FEN),
                name="donation_amount_in_range",
            )
        ]

    def __str__(self) -> str:
        return f"{self.payment_ref} {self.amount_fen / 100:.2f}"


class Refund(models.Model):
    """退款: money returned on a donation. Its own row and ledger entry; the donation stays."""

    donation = models.ForeignKey(Donation, on_delete=models.PROTECT, related_name="refunds")
    amount_fen = models.BigIntegerField(_("金额（分）"))
    refund_ref = models.CharField(_("退款流水号"), max_length=64, unique=True)
    reason = models.CharField(_("原因"), max_length=200)
    refunded_at = models.DateTimeField(_("退款时间"))
    ledger_index = models.BigIntegerField(_("账本序号"), unique=True)

    class Meta:
        verbose_name = _("退款")
        verbose_name_plural = _("退款")
        ordering = ["-refunded_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(amount_fen__gt=0, amount_fen__lte=MAX_FEN),
                name="refund_amount_in_range",
            )
        ]

    def __str__(self) -> str:
        return f"{self.refund_ref} {self.amount_fen / 100:.2f}"


class Statement(models.Model):
    """对账单: a payment platform's statement for a campaign, reconciled line by line."""

    campaign = models.ForeignKey(Campaign, on_delete=models.PROTECT, related_name="statements")
    channel = models.CharField(_("渠道"), max_length=16, choices=Channel.choices)
    filename = models.CharField(_("文件名"), max_length=200)
    sha256 = models.CharField(max_length=64)
    period_from = models.DateTimeField(_("账单起"), null=True)
    period_to = models.DateTimeField(_("账单止"), null=True)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    uploaded_at = models.DateTimeField(_("上传时间"), auto_now_add=True)
    matched = models.PositiveIntegerField(_("一致"), default=0)
    mismatched = models.PositiveIntegerField(_("金额不符"), default=0)
    missing = models.PositiveIntegerField(_("账单缺少"), default=0)
    extra = models.PositiveIntegerField(_("平台多出"), default=0)
    rejected = models.PositiveIntegerField(_("无法读取"), default=0)

    class Meta:
        verbose_name = _("对账单")
        verbose_name_plural = _("对账单")
        ordering = ["-uploaded_at", "-id"]

    def __str__(self) -> str:
        return self.filename


class Outcome(models.TextChoices):
    MATCHED = "matched", _("一致")
    MISMATCHED = "mismatched", _("金额不符")
    MISSING = "missing", _("账单缺少")  # recorded here, absent from the statement
    EXTRA = "extra", _("平台多出")  # on the statement, not recorded here


class StatementLine(models.Model):
    statement = models.ForeignKey(Statement, on_delete=models.CASCADE, related_name="lines")
    line_no = models.PositiveIntegerField(_("行号"), null=True)
    payment_ref = models.CharField(_("支付流水号"), max_length=64)
    amount_fen = models.BigIntegerField(_("账单金额（分）"), null=True)
    paid_at = models.DateTimeField(_("支付时间"), null=True)
    donation = models.ForeignKey(Donation, null=True, on_delete=models.PROTECT, related_name="+")
    outcome = models.CharField(_("结果"), max_length=12, choices=Outcome.choices)

    class Meta:
        verbose_name = _("对账明细")
        verbose_name_plural = _("对账明细")
        ordering = ["statement", "outcome", "line_no", "id"]

    def __str__(self) -> str:
        return f"{self.payment_ref} {self.outcome}"
