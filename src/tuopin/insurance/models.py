"""Charity insurance: programmes with their eligibility rule and cover, and policies."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class Benefit(models.TextChoices):
    HOSPITALISATION = "hospitalisation", _("住院医疗")
    CRITICAL_ILLNESS = "critical_illness", _("重大疾病")
    ACCIDENT = "accident", _("意外伤害")
    ACCIDENTAL_DEATH = "accidental_death", _("意外身故")
    EDUCATION = "education", _("教育")
    CHILDBIRTH = "childbirth", _("生育")
    HEALTH = "health", _("健康")


class Programme(models.Model):
    """A free insurance programme for registered poor people (e.g. 顶梁柱, 好保险).

    The eligibility rule is data: age range on the period start, sex, household statuses,
    county flags and covered counties.
    """

    slug = models.SlugField(unique=True)
    name = models.CharField(_("名称"), max_length=100)
    sponsor = models.CharField(_("发起方"), max_length=100)
    insurer = models.CharField(_("承保公司"), max_length=100)
    premium_fen = models.BigIntegerField(_("每人每年保费（分）"))
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

    class Meta:
        verbose_name = _("保险项目")
        verbose_name_plural = _("保险项目")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(min_age__lte=models.F("max_age")), name="programme_age_range"
            ),
            models.CheckConstraint(
                condition=models.Q(premium_fen__gte=0), name="programme_premium_gte_0"
            ),
        ]

    def __str__(self) -> str:
        return self.name


class CoverageItem(models.Model):
    programme = models.ForeignKey(Programme, on_delete=models.CASCADE, related_name="coverage")
    benefit = models.CharField(_("保障"), max_length=20, choices=Benefit.choices)
    per_claim_limit_fen = models.BigIntegerField(_("单次限额（分）"))
    yearly_limit_fen = models.BigIntegerField(_("年度限额（分）"))
    deductible_fen = models.BigIntegerField(_("免赔额（分）"), default=0)
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
        ]

    def __str__(self) -> str:
        return f"{self.programme} · {self.get_benefit_display()}"


class PolicyStatus(models.TextChoices):
    ACTIVE = "active", _("有效")
    EXITED = "exited", _("已退出")


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
    policy_no = models.CharField(_("保单号"), max_length=48, unique=True)
    status = models.CharField(
        _("状态"), max_length=8, choices=PolicyStatus.choices, default=PolicyStatus.ACTIVE
    )
    exit_reason = models.CharField(_("退出原因"), max_length=100, blank=True)
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
