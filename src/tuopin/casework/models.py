"""Field reports (村情上报): report types as data, submissions with typed values and photo
evidence, and the decisions of their approval chain (``accounts.approvals``)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from tuopin.accounts.approvals import Action, ChainItem, chain_label


class Periodicity(models.TextChoices):
    ONE_OFF = "one_off", _("一次性（个案）")
    MONTHLY = "monthly", _("每月")
    QUARTERLY = "quarterly", _("每季度")


class FieldKind(models.TextChoices):
    TEXT = "text", _("文字")
    INTEGER = "integer", _("整数")
    DECIMAL = "decimal", _("小数")
    CHOICE = "choice", _("选项")
    DATE = "date", _("日期")
    PHOTO = "photo", _("照片（一张）")
    PHOTOS = "photos", _("照片（多张）")
    PERSON = "person", _("建档立卡人员")
    HOUSEHOLD = "household", _("建档立卡户")


NUMERIC_KINDS = frozenset({FieldKind.INTEGER, FieldKind.DECIMAL})
PHOTO_KINDS = frozenset({FieldKind.PHOTO, FieldKind.PHOTOS})


class ReportType(models.Model):
    """A kind of field report, edited by the operator in the admin (e.g. 乌鸡养殖统计)."""

    slug = models.SlugField(_("代号"), max_length=50, unique=True)
    name = models.CharField(_("名称"), max_length=100)
    description = models.TextField(_("说明"), blank=True)
    periodicity = models.CharField(
        _("周期"), max_length=16, choices=Periodicity.choices, default=Periodicity.ONE_OFF
    )
    chain = models.CharField(
        _("审批链"),
        max_length=80,
        default="village,township,county",
        help_text=_("从下往上的区划层级，逗号分隔：village,township,county"),
    )
    due_days = models.PositiveSmallIntegerField(
        _("审批时限（天）"), default=7, help_text=_("每一级在多少天内审批，超过即为逾期")
    )
    forwardable = models.BooleanField(_("可转给爱心人士"), default=False)
    active = models.BooleanField(_("启用"), default=True)

    class Meta:
        verbose_name = _("上报类型")
        verbose_name_plural = _("上报类型")
        ordering = ["name"]
        permissions = [("view_report_aggregates", _("可以查看上报汇总"))]

    def __str__(self) -> str:
        return self.name

    @property
    def chain_label(self) -> str:
        """The approval chain as the levels' names (村 → 乡镇 → 县)."""
        return chain_label(self.chain)

    @property
    def periodic(self) -> bool:
        return self.periodicity != Periodicity.ONE_OFF


class ReportField(models.Model):
    """One field of a report type's form."""

    report_type = models.ForeignKey(ReportType, on_delete=models.CASCADE, related_name="fields")
    key = models.SlugField(_("字段代号"), max_length=40)
    label = models.CharField(_("名称"), max_length=60)
    kind = models.CharField(_("类型"), max_length=16, choices=FieldKind.choices)
    required = models.BooleanField(_("必填"), default=False)
    aggregate = models.BooleanField(_("参与汇总"), default=False)
    choices = models.TextField(_("选项"), blank=True, help_text=_("选项类型：每行一个选项"))
    min_value = models.DecimalField(
        _("最小值"), max_digits=18, decimal_places=4, null=True, blank=True
    )
    max_value = models.DecimalField(
        _("最大值"), max_digits=18, decimal_places=4, null=True, blank=True
    )
    order = models.PositiveSmallIntegerField(_("顺序"), default=0)

    class Meta:
        verbose_name = _("上报字段")
        verbose_name_plural = _("上报字段")
        ordering = ["report_type", "order", "id"]
        constraints = [
            models.UniqueConstraint(fields=["report_type", "key"], name="reportfield_unique_key")
        ]

    def __str__(self) -> str:
        return f"{self.report_type.slug}.{self.key}"

    @property
    def choice_list(self) -> list[str]:
        return [c.strip() for c in self.choices.splitlines() if c.strip()]

    @property
    def is_photo(self) -> bool:
        return self.kind in PHOTO_KINDS


class ReportingVillage(models.Model):
    """应报村: a village that must report a periodic type every period (DHIS2's data set
    assigned to an org unit). A unit cannot be approved while one of its roster villages has
    neither filed nor said it has nothing to report. A type without a roster blocks on
    nothing but what was filed."""

    report_type = models.ForeignKey(ReportType, on_delete=models.CASCADE, related_name="roster")
    area = models.ForeignKey(
        "areas.Area",
        verbose_name=_("村"),
        on_delete=models.PROTECT,
        related_name="+",
        db_column="area_code",
    )

    class Meta:
        verbose_name = _("应报村")
        verbose_name_plural = _("应报村")
        constraints = [
            models.UniqueConstraint(fields=["report_type", "area"], name="roster_once"),
        ]

    def __str__(self) -> str:
        return f"{self.report_type} · {self.area_id}"


class NilReturn(models.Model):
    """本期无上报: a roster village's cadre says there is nothing to report this period."""

    report_type = models.ForeignKey(ReportType, on_delete=models.PROTECT, related_name="+")
    area = models.ForeignKey(
        "areas.Area", on_delete=models.PROTECT, related_name="+", db_column="area_code"
    )
    period_start = models.DateField(_("报告期"))
    reason = models.CharField(_("说明"), max_length=200)
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField(_("时间"))

    class Meta:
        verbose_name = _("本期无上报")
        verbose_name_plural = _("本期无上报")
        constraints = [
            models.UniqueConstraint(
                fields=["report_type", "area", "period_start"], name="nil_return_once"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.report_type} · {self.area_id} · {self.period_start:%Y-%m}"


class Submission(ChainItem):
    """One filed report: for a village (and a household or person when the type names one),
    for a period (one-off cases: the month they were filed), moving up its approval chain.

    Editable by its village's cadre only while returned; otherwise locked.
    """

    report_type = models.ForeignKey(
        ReportType, on_delete=models.PROTECT, related_name="submissions"
    )
    area = models.ForeignKey(
        "areas.Area",
        verbose_name=_("村"),
        on_delete=models.PROTECT,
        related_name="+",
        db_column="area_code",
        db_index=False,
    )
    period_start = models.DateField(_("报告期"))
    household = models.ForeignKey(
        "registry.Household", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    person = models.ForeignKey(
        "registry.Person", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    filed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    filed_at = models.DateTimeField(_("上报时间"))
    due_at = models.DateTimeField(_("审批期限"), db_index=True)
    salt = models.CharField(max_length=32)  # keeps the ledger's content hash from being guessed
    content_hash = models.CharField(_("内容哈希"), max_length=64)
    forwarded = models.BooleanField(_("已转给爱心人士"), default=False)

    class Meta:
        verbose_name = _("上报")
        verbose_name_plural = _("上报")
        ordering = ["-filed_at", "-id"]
        permissions = [("decide_submission", _("可以审批上报"))]
        indexes = [
            models.Index(
                fields=["area"], name="submission_area_prefix", opclasses=["varchar_pattern_ops"]
            ),
            models.Index(fields=["report_type", "period_start"], name="submission_type_period"),
        ]

    def __str__(self) -> str:
        return f"{self.report_type.name} #{self.pk}"

    def get_absolute_url(self) -> str:
        return reverse("casework:submission", args=[self.pk])


class Value(models.Model):
    """One field's value, typed so that SQL can aggregate it: numbers in ``number``, choices
    and text in ``text``, dates in ``date``, a registry person or household in ``ref``.

    ``report_type``, ``area_code``, ``period_start`` and ``counted`` repeat the submission's
    so that a county's month is one index range scan (field, period, area prefix).
    """

    submission = models.ForeignKey(Submission, on_delete=models.CASCADE, related_name="values")
    field = models.ForeignKey(ReportField, on_delete=models.PROTECT, related_name="+")
    area_code = models.CharField(max_length=12)
    period_start = models.DateField()
    counted = models.BooleanField(default=True)  # false once the submission is rejected
    number = models.DecimalField(max_digits=18, decimal_places=4, null=True, blank=True)
    text = models.CharField(max_length=500, blank=True)
    date = models.DateField(null=True, blank=True)
    ref = models.BigIntegerField(null=True, blank=True)

    class Meta:
        verbose_name = _("上报数值")
        verbose_name_plural = _("上报数值")
        constraints = [
            models.UniqueConstraint(fields=["submission", "field"], name="value_unique_field")
        ]
        indexes = [
            models.Index(
                fields=["field", "period_start", "area_code"],
                name="value_field_period_area",
                opclasses=["int8_ops", "date_ops", "varchar_pattern_ops"],
            ),
        ]

    def __str__(self) -> str:
        return f"{self.field_id}={self.number if self.number is not None else self.text}"


class PhotoUse(models.Model):
    """A stored photo (``documents.Photo``) as evidence of one submission's field, with what
    every reviewer must see: the same picture in another submission, an EXIF time outside the
    period, a GPS position far from the village."""

    submission = models.ForeignKey(Submission, on_delete=models.CASCADE, related_name="photos")
    field = models.ForeignKey(ReportField, on_delete=models.PROTECT, related_name="+")
    photo = models.ForeignKey("documents.Photo", on_delete=models.PROTECT, related_name="+")
    position = models.PositiveSmallIntegerField(default=0)
    reused_in = models.ForeignKey(
        Submission, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    out_of_period = models.BooleanField(_("拍摄时间不在报告期内"), default=False)
    distance_km = models.DecimalField(
        _("距村距离（公里）"), max_digits=8, decimal_places=1, null=True, blank=True
    )
    far = models.BooleanField(_("拍摄地点离村太远"), default=False)

    class Meta:
        verbose_name = _("上报照片")
        verbose_name_plural = _("上报照片")
        ordering = ["submission", "field", "position"]

    def __str__(self) -> str:
        return f"{self.submission_id}/{self.photo_id}"

    @property
    def flagged(self) -> bool:
        return bool(self.reused_in_id or self.out_of_period or self.far)


class Decision(models.Model):
    """One step of the trail: who did what at which level, with the ledger entry that holds
    the submission's content hash at that moment. Append-only."""

    submission = models.ForeignKey(Submission, on_delete=models.CASCADE, related_name="decisions")
    action = models.CharField(_("操作"), max_length=16, choices=Action.choices)
    step_index = models.SmallIntegerField(_("审批步骤"))  # -1: the filer
    area_code = models.CharField(_("区划"), max_length=12)
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField(_("时间"))
    comment = models.CharField(_("意见"), max_length=500, blank=True)
    content_hash = models.CharField(max_length=64)
    ledger_index = models.BigIntegerField(_("账本序号"))

    class Meta:
        verbose_name = _("审批记录")
        verbose_name_plural = _("审批记录")
        ordering = ["at", "id"]

    def __str__(self) -> str:
        return f"{self.submission_id} {self.action} @{self.area_code}"


class Pledge(models.Model):
    """An outside helper's pledge (认捐) to an approved, forwarded poor-student case."""

    submission = models.ForeignKey(Submission, on_delete=models.PROTECT, related_name="pledges")
    helper = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    amount_fen = models.BigIntegerField(_("认捐金额（分）"))
    note = models.CharField(_("留言"), max_length=200, blank=True)
    at = models.DateTimeField(_("时间"))

    class Meta:
        verbose_name = _("认捐")
        verbose_name_plural = _("认捐")
        ordering = ["at", "id"]
        permissions = [("pledge_case", _("可以查看转来的个案并认捐"))]
        constraints = [
            models.CheckConstraint(condition=models.Q(amount_fen__gt=0), name="pledge_amount_gt_0")
        ]

    def __str__(self) -> str:
        return f"{self.submission_id} {self.amount_fen}"


class Disbursement(ChainItem):
    """A pledge turned into a payment to the case's family: approved by the county (its own
    approval chain, ``accounts.approvals``) before it may be marked paid, with a ledger entry
    (拨付) whose receipt the family can verify."""

    pledge = models.OneToOneField(Pledge, on_delete=models.PROTECT, related_name="disbursement")
    amount_fen = models.BigIntegerField(_("金额（分）"))
    paid_at = models.DateTimeField(_("支付时间"), null=True, blank=True)
    payment_ref = models.CharField(_("支付流水号"), max_length=64, blank=True)
    ledger_index = models.BigIntegerField(_("账本序号"), null=True, blank=True)

    class Meta:
        verbose_name = _("拨付")
        verbose_name_plural = _("拨付")
        ordering = ["-id"]
        permissions = [("pay_disbursement", _("可以登记拨付已支付"))]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(amount_fen__gt=0), name="disbursement_amount_gt_0"
            )
        ]

    def __str__(self) -> str:
        return f"{self.pledge_id} {self.amount_fen}"


class Tally(models.Model):
    """Running totals of one village's period (DHIS2's analytics tables, kept live): the number
    of reports (``key`` empty), a numeric field's sum and count, a choice's count. Written in
    the same transaction as the submission that changes them, so a county's month is a
    ``GROUP BY`` over its villages' rows, not over every report."""

    report_type = models.ForeignKey(ReportType, on_delete=models.CASCADE, related_name="+")
    period_start = models.DateField()
    area_code = models.CharField(max_length=12)
    key = models.CharField(max_length=40, blank=True)  # the field's key; "" counts reports
    choice = models.CharField(max_length=500, blank=True)
    n = models.BigIntegerField(default=0)
    total = models.DecimalField(max_digits=24, decimal_places=4, default=0)

    class Meta:
        verbose_name = _("汇总")
        verbose_name_plural = _("汇总")
        constraints = [
            models.UniqueConstraint(
                fields=["report_type", "period_start", "area_code", "key", "choice"],
                name="tally_unique_cell",
            )
        ]
        indexes = [
            models.Index(
                fields=["report_type", "period_start", "area_code"],
                name="tally_type_period_area",
                opclasses=["int8_ops", "date_ops", "varchar_pattern_ops"],
            )
        ]

    def __str__(self) -> str:
        return f"{self.area_code} {self.key}={self.choice} {self.n}/{self.total}"
