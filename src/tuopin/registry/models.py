"""Registered poor households (建档立卡户), their members, and the history of their status."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from tuopin.core import idcard, masking
from tuopin.core.jobs import TracedJob

from .choices import (
    ClosedReason,
    Education,
    Health,
    HouseholdType,
    ImportStatus,
    MemberStatus,
    PovertyCause,
    PovertyStatus,
    Relation,
    Sex,
    StudentStatus,
)


class Household(models.Model):
    """A registered poor household (建档立卡户), identified by its household number (户编号)."""

    household_no = models.CharField(_("户编号"), max_length=32, unique=True)
    village = models.ForeignKey(
        "areas.Area",
        verbose_name=_("村"),
        on_delete=models.PROTECT,
        related_name="+",
        db_column="village_code",
        db_index=False,  # one prefix index in Meta serves joins, equality and LIKE 'code%'
    )
    address = models.CharField(_("住址"), max_length=200, blank=True)
    household_type = models.CharField(
        _("贫困户属性"), max_length=16, choices=HouseholdType.choices, default=HouseholdType.GENERAL
    )
    poverty_cause = models.CharField(
        _("主要致贫原因"), max_length=16, choices=PovertyCause.choices, blank=True
    )
    status = models.CharField(
        _("贫困状态"), max_length=16, choices=PovertyStatus.choices, default=PovertyStatus.POOR
    )
    status_year = models.PositiveSmallIntegerField(_("状态年度"), null=True, blank=True)
    head_name = models.CharField(_("户主姓名"), max_length=50, blank=True)
    # A closed household (销户: merged into another, or no member left) keeps its rows and
    # history and stays readable, but is left out of lists, counts, reviews and new requests.
    closed_on = models.DateField(_("销户日期"), null=True, blank=True)
    closed_reason = models.CharField(
        _("销户原因"),
        max_length=16,
        choices=ClosedReason.choices,
        blank=True,
        default="",
        db_default="",  # the importer writes rows with raw COPY
    )
    closed_into = models.CharField(
        _("并入户编号"), max_length=32, blank=True, default="", db_default=""
    )
    member_count = models.PositiveSmallIntegerField(_("人数"), default=0)
    created_at = models.DateTimeField(_("建档时间"), auto_now_add=True)
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)

    class Meta:
        verbose_name = _("贫困户")
        verbose_name_plural = _("贫困户")
        ordering = ["household_no"]
        permissions = [
            ("import_registry", _("可以导入建档立卡数据")),
            ("export_registry", _("可以导出建档立卡数据")),
            ("view_aggregates", _("可以查看汇总数据")),
        ]
        indexes = [
            # varchar_pattern_ops lets PostgreSQL use the index for the scoping LIKE 'code%'
            # under any collation; other databases ignore the operator class.
            models.Index(
                fields=["village"],
                name="household_village_prefix",
                opclasses=["varchar_pattern_ops"],
            ),
            models.Index(fields=["poverty_cause"], name="household_cause"),
        ]

    def __str__(self) -> str:
        return f"{self.household_no} {self.head_name}"

    def get_absolute_url(self) -> str:
        return reverse("registry:household", args=[self.household_no])

    @property
    def is_closed(self) -> bool:
        return self.closed_on is not None


class Person(models.Model):
    """A member of a registered household. The ID number is stored whole, shown masked."""

    household = models.ForeignKey(
        Household, verbose_name=_("户"), on_delete=models.CASCADE, related_name="members"
    )
    # Denormalised from the household so that scoping people needs no join.
    village_code = models.CharField(_("村代码"), max_length=12)
    name = models.CharField(_("姓名"), max_length=50)
    # Uniqueness is enforced on the keyed hash (one index fewer on the biggest table).
    id_number = models.CharField(_("证件号码"), max_length=18)
    id_hash = models.CharField(max_length=64, editable=False)
    sex = models.CharField(_("性别"), max_length=1, choices=Sex.choices)
    birth_date = models.DateField(_("出生日期"))
    relation = models.CharField(_("与户主关系"), max_length=16, choices=Relation.choices)
    education = models.CharField(
        _("文化程度"), max_length=16, choices=Education.choices, blank=True
    )
    health = models.CharField(_("健康状况"), max_length=16, choices=Health.choices, blank=True)
    student_status = models.CharField(
        _("在校生状况"), max_length=16, choices=StudentStatus.choices, blank=True
    )
    phone = models.CharField(_("联系电话"), max_length=20, blank=True)
    status = models.CharField(
        _("成员状态"),
        max_length=10,
        choices=MemberStatus.choices,
        default=MemberStatus.PRESENT,
        db_default=MemberStatus.PRESENT,  # the importer writes rows with raw COPY
    )
    left_on = models.DateField(_("减员日期"), null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("家庭成员")
        verbose_name_plural = _("家庭成员")
        ordering = ["household_id", "id"]
        permissions = [("unmask_id_number", _("可以查看完整身份证号"))]
        indexes = [
            models.Index(
                fields=["village_code"],
                name="person_village_prefix",
                opclasses=["varchar_pattern_ops"],
            ),
            models.Index(
                fields=["name"], name="person_name_prefix", opclasses=["varchar_pattern_ops"]
            ),
        ]
        constraints = [
            # A constraint, not unique=True: PostgreSQL then gets no needless LIKE index.
            models.UniqueConstraint(fields=["id_hash"], name="person_id_hash_unique"),
            models.UniqueConstraint(
                fields=["household"],
                condition=models.Q(relation="head"),
                name="person_one_head_per_household",
            ),
            models.CheckConstraint(condition=models.Q(sex__in=["M", "F"]), name="person_sex_mf"),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def masked_id(self) -> str:
        return idcard.mask(self.id_number)

    @property
    def age(self) -> int:
        """Shown instead of the birth date beside a masked ID number (``docs/privacy.md``)."""
        return masking.age_on(self.birth_date, timezone.localdate())

    @property
    def masked_phone(self) -> str:
        return masking.mask_phone(self.phone)


class StatusChange(models.Model):
    """One change of a household's poverty status: who, when, why. Append-only."""

    household = models.ForeignKey(
        Household, on_delete=models.CASCADE, related_name="status_changes"
    )
    from_status = models.CharField(
        _("原状态"), max_length=16, choices=PovertyStatus.choices, blank=True
    )
    to_status = models.CharField(_("新状态"), max_length=16, choices=PovertyStatus.choices)
    year = models.PositiveSmallIntegerField(_("年度"), null=True, blank=True)
    reason = models.CharField(_("原因"), max_length=200)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("操作人"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    at = models.DateTimeField(_("时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("状态变更")
        verbose_name_plural = _("状态变更")
        ordering = ["household_id", "at", "id"]

    def __str__(self) -> str:
        return f"{self.household_id}: {self.from_status} → {self.to_status}"

    def save(self, *args: object, **kwargs: object) -> None:
        if self.pk is not None:
            raise ValueError("StatusChange rows are append-only")
        super().save(*args, **kwargs)  # type: ignore[arg-type]


class ImportJob(TracedJob):
    """One upload of the national export, imported in the background with its progress, its
    counts and the report of rejected rows (a CSV under MEDIA_ROOT, kept like the upload)."""

    file_path = models.CharField(max_length=300)
    file_name = models.CharField(_("文件名"), max_length=200, blank=True)
    status = models.CharField(
        _("状态"), max_length=12, choices=ImportStatus.choices, default=ImportStatus.QUEUED
    )
    rows_total = models.PositiveIntegerField(default=0)
    rows_read = models.PositiveIntegerField(default=0)
    households_created = models.PositiveIntegerField(default=0)
    households_updated = models.PositiveIntegerField(default=0)
    people_created = models.PositiveIntegerField(default=0)
    people_updated = models.PositiveIntegerField(default=0)
    households_unchanged = models.PositiveIntegerField(default=0)
    people_unchanged = models.PositiveIntegerField(default=0)
    rejected_households = models.PositiveIntegerField(default=0)
    rejected_rows = models.PositiveIntegerField(default=0)
    errors_path = models.CharField(max_length=300, blank=True)
    error = models.CharField(_("失败原因"), max_length=1000, blank=True)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("导入任务")
        verbose_name_plural = _("导入任务")
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"{self.file_name} {self.status}"

    @property
    def percent(self) -> int:
        if self.status == ImportStatus.DONE:
            return 100
        return min(99, 100 * self.rows_read // self.rows_total) if self.rows_total else 0

    @property
    def going(self) -> bool:
        return self.status in (ImportStatus.QUEUED, ImportStatus.RUNNING)


# Registry upkeep (issue 18) lives in its own package; its models belong to this app.
from .upkeep.models import (  # noqa: E402
    ChangeDecision,
    ChangeRequest,
    Evidence,
    HistoryEvent,
    IdVerification,
    KindChain,
    NotDuplicate,
    Objection,
    ReviewEvidence,
    ReviewItem,
    ReviewRound,
    VillageReview,
)

__all__ = [
    "ChangeDecision",
    "ChangeRequest",
    "Evidence",
    "HistoryEvent",
    "Household",
    "IdVerification",
    "ImportJob",
    "KindChain",
    "NotDuplicate",
    "Objection",
    "Person",
    "ReviewEvidence",
    "ReviewItem",
    "ReviewRound",
    "StatusChange",
    "VillageReview",
]
