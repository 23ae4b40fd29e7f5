"""Models of registry upkeep: change requests (an ``accounts.approvals.ChainItem``), their
decisions and evidence, the history of households and people, the annual review, and the
pairs of people an officer marked as different."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from tuopin.accounts.approvals import Action, ChainItem

from ..choices import PovertyStatus


class Kind(models.TextChoices):
    ADD_MEMBER = "add_member", _("增加成员")
    REMOVE_MEMBER = "remove_member", _("减少成员")
    CORRECT_PERSON = "correct_person", _("更正个人信息")
    MOVE_HOUSEHOLD = "move_household", _("迁往其他村")
    SPLIT_HOUSEHOLD = "split_household", _("分户")
    MERGE_HOUSEHOLDS = "merge_households", _("合户")
    CHANGE_HOUSEHOLD = "change_household", _("变更户属性或致贫原因")
    MERGE_PEOPLE = "merge_people", _("合并重复人员")


DEFAULT_CHAIN = "village,township,county"


class KindChain(models.Model):
    """The approval chain of one kind of change request, when it differs from the default
    (village → township → county). Edited in the admin."""

    kind = models.CharField(_("类别"), max_length=20, choices=Kind.choices, unique=True)
    chain = models.CharField(
        _("审批链"),
        max_length=80,
        default=DEFAULT_CHAIN,
        help_text=_("从下往上的区划层级，逗号分隔：village,township,county"),
    )

    class Meta:
        verbose_name = _("变更审批链")
        verbose_name_plural = _("变更审批链")

    def __str__(self) -> str:
        return f"{self.get_kind_display()}: {self.chain}"


class ChangeRequest(ChainItem):
    """A change to the registry filed by a village's cadre with evidence (变更申请). Applied,
    atomically, only when the chain's last step approves it (``applied_at`` set once)."""

    kind = models.CharField(_("类别"), max_length=20, choices=Kind.choices)
    household = models.ForeignKey(
        "registry.Household", verbose_name=_("户"), on_delete=models.PROTECT, related_name="+"
    )
    village_code = models.CharField(_("村代码"), max_length=12)
    payload = models.JSONField(_("变更内容"), default=dict)
    reason = models.CharField(_("理由"), max_length=500)
    filed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    filed_at = models.DateTimeField(_("申请时间"))
    applied_at = models.DateTimeField(_("生效时间"), null=True, blank=True)
    salt = models.CharField(max_length=32)
    content_hash = models.CharField(_("内容哈希"), max_length=64)

    class Meta:
        verbose_name = _("变更申请")
        verbose_name_plural = _("变更申请")
        ordering = ["-filed_at", "-id"]
        permissions = [("decide_changerequest", _("可以审批变更申请"))]
        indexes = [
            models.Index(
                fields=["village_code"],
                name="changereq_village_prefix",
                opclasses=["varchar_pattern_ops"],
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} #{self.pk}"

    def get_absolute_url(self) -> str:
        return reverse("registry:request", args=[self.pk])


class ChangeDecision(models.Model):
    """One step of a request's chain: filed, approved, rejected, returned, sent back."""

    request = models.ForeignKey(ChangeRequest, on_delete=models.CASCADE, related_name="decisions")
    action = models.CharField(_("操作"), max_length=16, choices=Action.choices)
    step_index = models.SmallIntegerField(_("审批步骤"))
    area_code = models.CharField(_("区划"), max_length=12)
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField(_("时间"))
    comment = models.CharField(_("意见"), max_length=500, blank=True)
    ledger_index = models.BigIntegerField(null=True, blank=True)

    class Meta:
        verbose_name = _("变更审批记录")
        verbose_name_plural = _("变更审批记录")
        ordering = ["request_id", "at", "id"]

    def __str__(self) -> str:
        return f"{self.request_id} {self.action}"


class Evidence(models.Model):
    """A photo or document attached to a request, stored once by content (``core.uploads``)."""

    request = models.ForeignKey(ChangeRequest, on_delete=models.CASCADE, related_name="evidence")
    sha256 = models.CharField(max_length=64)
    path = models.CharField(max_length=300)
    name = models.CharField(_("文件名"), max_length=200, blank=True)
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        verbose_name = _("证明材料")
        verbose_name_plural = _("证明材料")
        ordering = ["request_id", "position"]

    def __str__(self) -> str:
        return self.name or self.sha256[:12]


class Source(models.TextChoices):
    REQUEST = "request", _("变更申请")
    REVIEW = "review", _("动态调整")
    STATUS = "status", _("状态变更")
    IMPORT = "import", _("导入")


class HistoryEvent(models.Model):
    """One change to a household or a person, with who, when, why and from where. Kept by
    household number (not a foreign key) so that a merged household keeps its history.
    Append-only."""

    household_no = models.CharField(_("户编号"), max_length=32, db_index=True)
    village_code = models.CharField(_("村代码"), max_length=12)
    person = models.ForeignKey(
        "registry.Person", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    person_name = models.CharField(_("姓名"), max_length=50, blank=True)
    what = models.CharField(
        _("事项"),
        max_length=20,
        choices=Kind.choices
        + [
            ("status", _("贫困状态")),
            ("import", _("建档")),
            ("closed", _("销户")),
            ("reopened", _("恢复户籍")),
        ],
    )
    changes = models.JSONField(_("变更前后"), default=dict)
    reason = models.CharField(_("原因"), max_length=500, blank=True)
    source = models.CharField(_("来源"), max_length=10, choices=Source.choices)
    request = models.ForeignKey(
        ChangeRequest, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    at = models.DateTimeField(_("时间"))

    class Meta:
        verbose_name = _("变更历史")
        verbose_name_plural = _("变更历史")
        ordering = ["household_no", "at", "id"]

    def __str__(self) -> str:
        return f"{self.household_no} {self.what}"

    def save(self, *args: object, **kwargs: object) -> None:
        if self.pk is not None:
            raise ValueError("HistoryEvent rows are append-only")
        super().save(*args, **kwargs)  # type: ignore[arg-type]

    @classmethod
    def of(
        cls, household: Any, what: str, changes: dict[str, Any], person: Any = None, **rest: Any
    ) -> HistoryEvent:
        """An unsaved event of ``household`` (and ``person``); ``rest`` are the other fields."""
        return cls(
            household_no=household.household_no,
            village_code=household.village_id,
            person=person,
            person_name=person.name if person else "",
            what=what,
            changes=changes,
            **rest,
        )


class IdVerification(models.Model):
    """A person's ID number checked against the card by an approved request (核验)."""

    person = models.OneToOneField(
        "registry.Person", on_delete=models.CASCADE, related_name="id_verification"
    )
    id_hash = models.CharField(max_length=64)
    request = models.ForeignKey(ChangeRequest, null=True, on_delete=models.SET_NULL)
    at = models.DateTimeField()

    class Meta:
        verbose_name = _("证件核验")
        verbose_name_plural = _("证件核验")

    def __str__(self) -> str:
        return str(self.person_id)


class NotDuplicate(models.Model):
    """Two people an officer compared and marked as different: no longer proposed."""

    low = models.ForeignKey("registry.Person", on_delete=models.CASCADE, related_name="+")
    high = models.ForeignKey("registry.Person", on_delete=models.CASCADE, related_name="+")
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("非重复人员")
        verbose_name_plural = _("非重复人员")
        permissions = [("view_duplicates", _("可以查找疑似重复人员"))]
        constraints = [
            models.UniqueConstraint(fields=["low", "high"], name="notduplicate_pair"),
            models.CheckConstraint(
                condition=models.Q(low__lt=models.F("high")), name="notdup_order"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.low_id}≠{self.high_id}"


# -- the annual review (动态调整) -----------------------------------------------------------


class ReviewRound(models.Model):
    """A year's review of every household of a county against the year's poverty line."""

    year = models.PositiveSmallIntegerField(_("年度"))
    area_code = models.CharField(_("县代码"), max_length=12)
    line_fen = models.BigIntegerField(_("贫困线（每人每年，分）"))
    notice_days = models.PositiveSmallIntegerField(_("公示天数"), default=7)
    opened_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    opened_at = models.DateTimeField(_("开始时间"))

    class Meta:
        verbose_name = _("动态调整")
        verbose_name_plural = _("动态调整")
        ordering = ["-year", "area_code"]
        constraints = [
            models.UniqueConstraint(fields=["year", "area_code"], name="reviewround_year_area"),
            models.CheckConstraint(condition=models.Q(line_fen__gt=0), name="reviewround_line"),
        ]

    def __str__(self) -> str:
        return f"{self.year} {self.area_code}"

    def get_absolute_url(self) -> str:
        return reverse("registry:review", args=[self.pk])


class Proposal(models.TextChoices):
    PENDING = "", _("待核实")
    KEEP = "keep", _("维持")
    LIFT = "lift", _("拟脱贫")
    RETURN = "return", _("拟返贫")


class VillageReview(ChainItem):
    """A village's part of a round: its public notice (公示) and its way up the chain
    (township, county). Filed by the cadre once the notice has ended."""

    round = models.ForeignKey(ReviewRound, on_delete=models.CASCADE, related_name="villages")
    village_code = models.CharField(_("村代码"), max_length=12)
    notice_from = models.DateField(_("公示开始"), null=True, blank=True)
    notice_to = models.DateField(_("公示结束"), null=True, blank=True)
    filed = models.BooleanField(_("已上报"), default=False)
    applied_at = models.DateTimeField(_("生效时间"), null=True, blank=True)
    ledger_index = models.BigIntegerField(null=True, blank=True)

    class Meta:
        verbose_name = _("村动态调整")
        verbose_name_plural = _("村动态调整")
        ordering = ["round_id", "village_code"]
        permissions = [("decide_villagereview", _("可以审批动态调整"))]
        constraints = [
            models.UniqueConstraint(fields=["round", "village_code"], name="villagereview_unique")
        ]

    def __str__(self) -> str:
        return f"{self.round_id} {self.village_code}"


class ReviewItem(models.Model):
    """One household in a round: the facts that decide (income per person against the line,
    两不愁三保障 as six checks) and the proposal. Created set-based when the round opens."""

    round = models.ForeignKey(ReviewRound, on_delete=models.CASCADE, related_name="items")
    household = models.ForeignKey("registry.Household", on_delete=models.CASCADE, related_name="+")
    village_code = models.CharField(_("村代码"), max_length=12)
    status_before = models.CharField(_("原状态"), max_length=16, choices=PovertyStatus.choices)
    members = models.PositiveSmallIntegerField(_("人数"), default=0)
    income_fen = models.BigIntegerField(_("家庭年纯收入（分）"), null=True, blank=True)
    food = models.BooleanField(_("不愁吃"), null=True)
    clothing = models.BooleanField(_("不愁穿"), null=True)
    education = models.BooleanField(_("义务教育有保障"), null=True)
    medical = models.BooleanField(_("基本医疗有保障"), null=True)
    housing = models.BooleanField(_("住房安全有保障"), null=True)
    water = models.BooleanField(_("饮水安全有保障"), null=True)
    proposal = models.CharField(
        _("建议"), max_length=8, choices=Proposal.choices, default="", blank=True
    )
    checked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    checked_at = models.DateTimeField(null=True, blank=True)
    status_after = models.CharField(
        _("新状态"), max_length=16, choices=PovertyStatus.choices, blank=True
    )

    class Meta:
        verbose_name = _("动态调整户")
        verbose_name_plural = _("动态调整户")
        ordering = ["round_id", "village_code", "household_id"]
        constraints = [
            models.UniqueConstraint(fields=["round", "household"], name="reviewitem_unique")
        ]
        indexes = [models.Index(fields=["round", "village_code"], name="reviewitem_village")]

    def __str__(self) -> str:
        return f"{self.round_id} {self.household_id}"

    @property
    def income_per_person_fen(self) -> int | None:
        if self.income_fen is None or not self.members:
            return None
        return self.income_fen // self.members


class ReviewEvidence(models.Model):
    """A photo or document of a household's review facts (the house, the water, a payslip),
    stored once by content (``core.uploads``); at most nine per household and round."""

    item = models.ForeignKey(ReviewItem, on_delete=models.CASCADE, related_name="evidence")
    sha256 = models.CharField(max_length=64)
    path = models.CharField(max_length=300)
    name = models.CharField(_("文件名"), max_length=200, blank=True)
    position = models.PositiveSmallIntegerField(default=0)
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField(_("上传时间"))

    class Meta:
        verbose_name = _("核实材料")
        verbose_name_plural = _("核实材料")
        ordering = ["item_id", "position"]
        constraints = [
            models.UniqueConstraint(fields=["item", "position"], name="reviewevidence_unique")
        ]

    def __str__(self) -> str:
        return self.name or self.sha256[:12]


class Objection(models.Model):
    """An objection raised during a village's public notice, and how it was settled."""

    item = models.ForeignKey(ReviewItem, on_delete=models.CASCADE, related_name="objections")
    text = models.CharField(_("异议内容"), max_length=500)
    raised_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    raised_at = models.DateTimeField(_("提出时间"))
    resolution = models.CharField(_("处理结果"), max_length=500, blank=True)
    resolved_at = models.DateTimeField(_("处理时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("公示异议")
        verbose_name_plural = _("公示异议")
        ordering = ["item_id", "raised_at", "id"]

    def __str__(self) -> str:
        return self.text[:40]
