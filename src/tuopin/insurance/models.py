"""Charity insurance: programmes with their eligibility rule and cover, and policies."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from tuopin.core.jobs import TracedJob
from tuopin.core.money import MAX_FEN

# A premium per person and year: generous beside the report's (about 100 元), small enough
# that a national enrollment's total (× 90 million people) stays far from a 64-bit overflow.
MAX_PREMIUM_FEN = 10_000_000  # 10 万元


class Benefit(models.TextChoices):
    HOSPITALISATION = "hospitalisation", _("住院医疗")
    CRITICAL_ILLNESS = "critical_illness", _("重大疾病")
    ACCIDENT = "accident", _("意外伤害")
    ACCIDENTAL_DEATH = "accidental_death", _("意外身故")
    EDUCATION = "education", _("教育")
    CHILDBIRTH = "childbirth", _("生育")
    HEALTH = "health", _("健康保障")


class Programme(models.Model):
    """A free insurance programme for registered poor people (e.g. 顶梁柱, 好保险).

    The eligibility rule is data: age range on the period start, sex, household statuses,
    county flags and covered counties.
    """

    slug = models.SlugField(unique=True)
    name = models.CharField(_("名称"), max_length=100)
    sponsor = models.CharField(_("发起方"), max_length=100)
    insurer = models.CharField(_("承保公司"), max_length=100)
    premium_fen = models.BigIntegerField(
        _("每人每年保费（分）"),
        validators=[MinValueValidator(0), MaxValueValidator(MAX_PREMIUM_FEN)],
    )
    starts_on = models.DateField(_("项目开始"))
    ends_on = models.DateField(_("项目结束"))
    campaign = models.ForeignKey(
        "charity.Campaign",
        verbose_name=_("资金来源"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    min_age = models.PositiveSmallIntegerField(_("最低年龄"), default=0)
    max_age = models.PositiveSmallIntegerField(_("最高年龄"), default=100)
    sex = models.CharField(
        _("性别"), max_length=1, blank=True, choices=[("M", _("男")), ("F", _("女"))]
    )
    household_statuses = models.JSONField(_("户状态"), default=list, blank=True)
    require_national_poor = models.BooleanField(_("仅国家级贫困县"), default=True)
    require_deep_poverty = models.BooleanField(_("仅深度贫困县"), default=False)
    counties = models.ManyToManyField(
        "areas.Area", verbose_name=_("覆盖县"), blank=True, related_name="+"
    )
    adjusters = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("理赔员"),
        blank=True,
        related_name="adjusted_programmes",
        help_text=_("可以审核本项目理赔的保险理赔员"),
    )
    claim_audit_bp = models.PositiveIntegerField(
        _("抽检比例（万分之）"),
        default=1_000,
        validators=[MaxValueValidator(10_000)],
        help_text=_("系统建议赔付的理赔中，随机转人工审核的比例"),
    )

    class Meta:
        verbose_name = _("保险项目")
        verbose_name_plural = _("保险项目")
        permissions = [("view_progress", _("可以查看项目进展汇总（不含个人信息）"))]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(min_age__lte=models.F("max_age")), name="programme_age_range"
            ),
            models.CheckConstraint(
                condition=models.Q(premium_fen__gte=0), name="programme_premium_gte_0"
            ),
            models.CheckConstraint(
                condition=models.Q(premium_fen__lte=MAX_PREMIUM_FEN),
                name="programme_premium_bounded",
            ),
            models.CheckConstraint(
                condition=models.Q(ends_on__gte=models.F("starts_on")),
                name="programme_dates_ordered",
            ),
        ]

    def __str__(self) -> str:
        return self.name


AMOUNT = [MinValueValidator(0), MaxValueValidator(MAX_FEN)]


class CoverageItem(models.Model):
    programme = models.ForeignKey(Programme, on_delete=models.CASCADE, related_name="coverage")
    benefit = models.CharField(_("保障"), max_length=20, choices=Benefit.choices)
    per_claim_limit_fen = models.BigIntegerField(_("单次限额（分）"), validators=AMOUNT)
    yearly_limit_fen = models.BigIntegerField(_("年度限额（分）"), validators=AMOUNT)
    deductible_fen = models.BigIntegerField(_("免赔额（分）"), default=0, validators=AMOUNT)
    reimbursement_bp = models.PositiveIntegerField(_("赔付比例（万分之）"), default=10_000)
    waiting_days = models.PositiveSmallIntegerField(_("等待期（天）"), default=0)

    class Meta:
        verbose_name = _("保障责任")
        verbose_name_plural = _("保障责任")
        constraints = [
            models.UniqueConstraint(
                fields=["programme", "benefit"], name="coverage_unique_benefit"
            ),
            models.CheckConstraint(
                condition=models.Q(reimbursement_bp__lte=10_000), name="coverage_rate_lte_100"
            ),
            models.CheckConstraint(
                condition=models.Q(per_claim_limit_fen__lte=models.F("yearly_limit_fen")),
                name="coverage_limits_ordered",
            ),
            models.CheckConstraint(
                condition=models.Q(per_claim_limit_fen__gte=0, yearly_limit_fen__lte=MAX_FEN)
                & models.Q(deductible_fen__gte=0, deductible_fen__lte=MAX_FEN),
                name="coverage_amounts_bounded",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.programme} · {self.get_benefit_display()}"


class PolicyStatus(models.TextChoices):
    ACTIVE = "active", _("有效")
    EXITED = "exited", _("已退出")


class ExitReason(models.TextChoices):
    DIED = "died", _("死亡")
    MOVED = "moved", _("迁出")
    INELIGIBLE = "ineligible", _("不再符合条件")


class Policy(models.Model):
    """One person insured by one programme for one period (a year from ``period_start``)."""

    # No index per foreign key: the unique constraint below leads with the person and serves
    # look-ups by person; reads by programme are batch work (two fewer indexes to maintain on
    # a million-row enrollment).
    programme = models.ForeignKey(
        Programme, on_delete=models.PROTECT, related_name="policies", db_index=False
    )
    person = models.ForeignKey(
        "registry.Person", on_delete=models.PROTECT, related_name="+", db_index=False
    )
    village_code = models.CharField(max_length=12)  # denormalised for scoping, like the registry
    period_start = models.DateField(_("保险期间起"))
    status = models.CharField(
        _("状态"), max_length=8, choices=PolicyStatus.choices, default=PolicyStatus.ACTIVE
    )
    exit_reason = models.CharField(
        _("退出原因"), max_length=12, choices=ExitReason.choices, blank=True
    )
    exit_note = models.CharField(_("退出说明"), max_length=200, blank=True)
    exited_on = models.DateField(_("退出日期"), null=True, blank=True)
    enrolled_at = models.DateTimeField(_("参保时间"))

    class Meta:
        verbose_name = _("保单")
        verbose_name_plural = _("保单")
        constraints = [
            models.UniqueConstraint(
                fields=["person", "programme", "period_start"], name="policy_one_per_person_period"
            )
        ]
        indexes = [
            models.Index(
                fields=["village_code"],
                name="policy_village_prefix",
                opclasses=["varchar_pattern_ops"],
            ),
        ]

    def __str__(self) -> str:
        return self.policy_no

    @property
    def policy_no(self) -> str:
        """保单号: programme, period and person; unique by the constraint above, so not stored
        (one index fewer on a million-row enrollment)."""
        return policy_number(self.programme.slug, self.period_start, self.person_id)


def policy_number(slug: str, period_start: dt.date, person_id: int) -> str:
    return f"{slug.upper()}-{period_start:%Y%m%d}-{person_id:08d}"


def parse_policy_number(number: str) -> tuple[str, dt.date, int] | None:
    """``(slug, period_start, person_id)`` of a policy number, or None if it is not one."""
    parts = number.strip().rsplit("-", 2)
    if len(parts) != 3 or not parts[2].isdigit():
        return None
    try:
        period = dt.datetime.strptime(parts[1], "%Y%m%d").date()  # noqa: DTZ007 - a date
    except ValueError:
        return None
    return parts[0].lower(), period, int(parts[2])


class PremiumPayment(models.Model):
    """保费支付: the premiums of one enrollment batch (one county), drawn on the campaign's funds."""

    programme = models.ForeignKey(Programme, on_delete=models.PROTECT, related_name="payments")
    campaign = models.ForeignKey(
        "charity.Campaign", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    period_start = models.DateField(_("保险期间起"))
    county_code = models.CharField(_("县代码"), max_length=12)
    people = models.PositiveIntegerField(_("人数"))
    amount_fen = models.BigIntegerField(_("保费（分）"))
    override_reason = models.CharField(_("超额原因"), max_length=200, blank=True)
    paid_at = models.DateTimeField(_("支付时间"))
    ledger_index = models.BigIntegerField(_("账本序号"), unique=True)

    class Meta:
        verbose_name = _("保费支付")
        verbose_name_plural = _("保费支付")
        ordering = ["-paid_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(amount_fen__gte=0), name="premium_amount_gte_0"
            )
        ]

    def __str__(self) -> str:
        return f"{self.programme} {self.county_code} {self.people}"


class Payout(models.Model):
    """赔付: money paid on a policy for one benefit. Draws on the benefit's limits.

    Claims (a later part of the app) create payouts; the remaining-limit arithmetic reads them.
    """

    policy = models.ForeignKey(Policy, on_delete=models.PROTECT, related_name="payouts")
    benefit = models.CharField(_("保障"), max_length=20, choices=Benefit.choices)
    loss_fen = models.BigIntegerField(_("损失金额（分）"))
    amount_fen = models.BigIntegerField(_("赔付金额（分）"))
    village_code = models.CharField(max_length=12)
    paid_at = models.DateTimeField(_("赔付时间"))
    ledger_index = models.BigIntegerField(_("账本序号"), unique=True)

    class Meta:
        verbose_name = _("赔付")
        verbose_name_plural = _("赔付")
        ordering = ["-paid_at", "-id"]
        indexes = [models.Index(fields=["policy", "benefit"], name="payout_policy_benefit")]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(amount_fen__gt=0), name="payout_amount_positive"
            )
        ]

    def __str__(self) -> str:
        return f"{self.policy_id} {self.benefit} {self.amount_fen}"


class RunStatus(models.TextChoices):
    QUEUED = "queued", _("排队中")
    RUNNING = "running", _("进行中")
    DONE = "done", _("已完成")
    FAILED = "failed", _("失败")
    INTERRUPTED = "interrupted", _("已中断")


class EnrollmentRun(TracedJob):
    """One enrollment run, county by county, with its progress (for the operator's page)."""

    programme = models.ForeignKey(Programme, on_delete=models.CASCADE, related_name="runs")
    period_start = models.DateField(_("保险期间起"))
    override_reason = models.CharField(_("超额原因"), max_length=200, blank=True)
    status = models.CharField(
        _("状态"), max_length=12, choices=RunStatus.choices, default=RunStatus.QUEUED
    )
    counties_total = models.PositiveIntegerField(default=0)
    counties_done = models.PositiveIntegerField(default=0)
    eligible = models.PositiveIntegerField(default=0)
    enrolled = models.PositiveIntegerField(default=0)
    exited = models.PositiveIntegerField(default=0)
    premium_fen = models.BigIntegerField(default=0)
    error = models.CharField(max_length=300, blank=True)
    started_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("参保批次")
        verbose_name_plural = _("参保批次")
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"{self.programme} {self.period_start} {self.status}"

    @property
    def percent(self) -> int:
        if self.status == RunStatus.DONE:
            return 100
        return (100 * self.counties_done // self.counties_total) if self.counties_total else 0


from .claims.models import (  # noqa: E402 - registered with the app's models
    ApprovedInvoice,
    Claim,
    ClaimCheck,
    ClaimDocument,
)

__all__ = ["ApprovedInvoice", "Claim", "ClaimCheck", "ClaimDocument"]
