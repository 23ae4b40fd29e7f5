"""Green energy (绿色能量) from low-carbon actions, and the finite inventory it adopts: trees
planted in poor counties (种树) and square metres of protected areas (保护地认领); planting and
patrol work for registered poor people, paid as ledger entries.

A user's energy is an append-only journal (:class:`EnergyEntry`); :class:`EnergyAccount` keeps
its running sums so that spending can be a conditional UPDATE, and a test holds the two equal.
"""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from tuopin.core.money import MAX_FEN

# An absurd figure is refused before any arithmetic (a walk of 10 million steps).
MAX_UNITS = 1_000_000
MAX_GRAMS = 10**12


class ActionType(models.Model):
    """低碳行为: what a partner may report and what it earns (the rules as data).

    ``grams`` are earned for every ``per_units`` units (a bus ride: 80 g per 1 ride; walking:
    1 g per 100 steps), at most ``daily_cap_g`` a day per person, at most ``max_units`` in one
    report."""

    code = models.SlugField(_("代码"), max_length=32, unique=True)
    name = models.CharField(_("名称"), max_length=50)
    unit = models.CharField(_("单位"), max_length=10)
    grams = models.PositiveIntegerField(_("能量（克）"))
    per_units = models.PositiveIntegerField(_("每多少单位"), default=1)
    daily_cap_g = models.PositiveIntegerField(_("每日上限（克）"), null=True, blank=True)
    max_units = models.PositiveIntegerField(_("单次上限（单位）"), default=1000)
    active = models.BooleanField(_("启用"), default=True)

    class Meta:
        verbose_name = _("低碳行为")
        verbose_name_plural = _("低碳行为")
        ordering = ["code"]
        constraints = [
            models.CheckConstraint(
                condition=Q(per_units__gt=0, grams__gt=0), name="actiontype_positive"
            )
        ]

    def __str__(self) -> str:
        return self.name


class Action(models.Model):
    """One reported action. ``(source, key)`` is unique: a partner's retry records nothing new;
    the same key with another body (``body_hash``) is refused."""

    source = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    key = models.CharField(_("幂等键"), max_length=64)
    body_hash = models.CharField(max_length=64)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="forest_actions"
    )
    action_type = models.ForeignKey(ActionType, on_delete=models.PROTECT, related_name="+")
    units = models.PositiveIntegerField(_("数量"))
    grams = models.PositiveIntegerField(_("能量（克）"))
    occurred_at = models.DateTimeField(_("发生时间"))
    day = models.DateField(_("日期"))
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("低碳行为记录")
        verbose_name_plural = _("低碳行为记录")
        permissions = [("report_action", _("可以报送用户的低碳行为"))]
        constraints = [
            models.UniqueConstraint(fields=["source", "key"], name="action_unique_source_key")
        ]
        indexes = [models.Index(fields=["user", "action_type", "day"])]

    def __str__(self) -> str:
        return f"{self.action_type_id} {self.units} → {self.grams} g"


class EnergyAccount(models.Model):
    """A user's running sums of the journal: ``pending_g`` (in balls, not collected yet) and
    ``balance_g`` (collected, spendable). Changed only beside a journal entry."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        primary_key=True,
        on_delete=models.CASCADE,
        related_name="energy_account",
    )
    balance_g = models.BigIntegerField(_("可用能量（克）"), default=0)
    pending_g = models.BigIntegerField(_("待收能量（克）"), default=0)

    class Meta:
        verbose_name = _("能量账户")
        verbose_name_plural = _("能量账户")
        constraints = [
            models.CheckConstraint(
                condition=Q(balance_g__gte=0, pending_g__gte=0), name="energyaccount_not_negative"
            )
        ]

    def __str__(self) -> str:
        return f"{self.user_id}: {self.balance_g} g"


class EnergyBall(models.Model):
    """能量球: energy earned by one action, collectable from ``ripe_at`` until ``expires_at``
    (exclusive). ``remaining_g`` falls as it is collected, taken or expires."""

    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="energy_balls"
    )
    action = models.OneToOneField(Action, on_delete=models.PROTECT, related_name="ball")
    grams = models.PositiveIntegerField(_("能量（克）"))
    remaining_g = models.PositiveIntegerField(_("剩余（克）"))
    taken_g = models.PositiveIntegerField(_("被好友收取（克）"), default=0)
    ripe_at = models.DateTimeField(_("可收取时间"))
    expires_at = models.DateTimeField(_("过期时间"), db_index=True)

    class Meta:
        verbose_name = _("能量球")
        verbose_name_plural = _("能量球")
        ordering = ["ripe_at", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(remaining_g__lte=F("grams")), name="energyball_remaining_le_grams"
            )
        ]

    def __str__(self) -> str:
        return f"{self.owner_id} {self.remaining_g}/{self.grams} g"


class EntryKind(models.TextChoices):
    EARNED = "earned", _("获得")
    COLLECTED = "collected", _("收取")
    TAKEN = "taken", _("好友收取")
    SPENT = "spent", _("消耗")
    EXPIRED = "expired", _("过期")


class EnergyEntry(models.Model):
    """One line of a user's energy journal. Append-only: nothing updates or deletes it.

    ``pending_g`` and ``balance_g`` are signed changes: earned (+pending), collected (−pending
    +balance), taken (−pending of the owner; +balance of the taker, a second line), spent
    (−balance), expired (−pending)."""

    # The user's look-ups use the (user, at) index; a line has a ball or an adoption, so
    # each of those is indexed only where it is set (one index write a line, not three).
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="energy_entries",
        db_index=False,
    )
    kind = models.CharField(_("类型"), max_length=10, choices=EntryKind.choices)
    pending_g = models.BigIntegerField(default=0)
    balance_g = models.BigIntegerField(default=0)
    ball = models.ForeignKey(
        EnergyBall, null=True, on_delete=models.PROTECT, related_name="+", db_index=False
    )
    adoption = models.ForeignKey(
        "Adoption", null=True, on_delete=models.PROTECT, related_name="+", db_index=False
    )
    at = models.DateTimeField(_("时间"))

    class Meta:
        verbose_name = _("能量流水")
        verbose_name_plural = _("能量流水")
        ordering = ["-at", "-id"]
        indexes = [
            models.Index(fields=["user", "at"]),
            models.Index(fields=["ball"], condition=Q(ball__isnull=False), name="energyentry_ball"),
            models.Index(
                fields=["adoption"],
                condition=Q(adoption__isnull=False),
                name="energyentry_adoption",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user_id} {self.kind} {self.pending_g:+} {self.balance_g:+}"


class Friendship(models.Model):
    """好友: ``friend`` may take a share of what ``user`` leaves uncollected (one row per
    direction)."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    friend = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")

    class Meta:
        verbose_name = _("好友")
        verbose_name_plural = _("好友")
        constraints = [models.UniqueConstraint(fields=["user", "friend"], name="friendship_unique")]

    def __str__(self) -> str:
        return f"{self.user_id} ← {self.friend_id}"


class ProjectKind(models.TextChoices):
    TREE = "tree", _("种树")
    AREA = "area", _("保护地")


class ProjectStatus(models.TextChoices):
    DRAFT = "draft", _("筹备中")
    OPEN = "open", _("开放")
    CLOSED = "closed", _("已结束")


class Project(models.Model):
    """A tree project (species, trees for the season) or a protected area (m² on offer), in a
    county, with a planting partner. Its inventory is split into :class:`Shard` rows."""

    slug = models.SlugField(unique=True)
    kind = models.CharField(_("类型"), max_length=4, choices=ProjectKind.choices)
    name = models.CharField(_("名称"), max_length=100)
    species = models.CharField(_("树种"), max_length=50, blank=True)
    county = models.ForeignKey(
        "areas.Area", on_delete=models.PROTECT, related_name="+", verbose_name=_("县")
    )
    partner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="forest_projects",
        verbose_name=_("种植合作方"),
    )
    partner_name = models.CharField(_("合作方名称"), max_length=100, blank=True)
    energy_per_unit_g = models.PositiveIntegerField(_("每单位能量（克）"))
    units_total = models.PositiveIntegerField(_("总量"))
    per_person_cap = models.PositiveIntegerField(_("每人上限"), null=True, blank=True)
    opens_at = models.DateTimeField(_("开放时间"))
    shards = models.PositiveSmallIntegerField(_("库存分片数"), default=16)
    status = models.CharField(
        _("状态"), max_length=6, choices=ProjectStatus.choices, default=ProjectStatus.DRAFT
    )
    description = models.TextField(_("介绍"), blank=True)
    produce_url = models.URLField(_("特产链接"), blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("认种认养项目")
        verbose_name_plural = _("认种认养项目")
        ordering = ["opens_at", "id"]
        permissions = [("view_forest_figures", _("可以查看绿色公益的县级统计"))]
        constraints = [
            models.CheckConstraint(
                condition=Q(energy_per_unit_g__gt=0, units_total__gt=0, shards__gt=0),
                name="project_positive",
            )
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def unit_label(self) -> str:
        return str(_("棵")) if self.kind == ProjectKind.TREE else "m²"


class Shard(models.Model):
    """One slice of a project's inventory. Taken by ``UPDATE … SET remaining = remaining − n
    WHERE remaining >= n``: many adopters spread over many rows instead of queueing on one."""

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="shard_rows")
    no = models.PositiveSmallIntegerField()
    remaining = models.PositiveIntegerField()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["project", "no"], name="shard_unique_project_no"),
            models.CheckConstraint(condition=Q(remaining__gte=0), name="shard_not_negative"),
        ]

    def __str__(self) -> str:
        return f"{self.project_id}#{self.no}: {self.remaining}"


class Holding(models.Model):
    """How many units of a project a user holds: the per-person cap's counter."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="+")
    units = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "project"], name="holding_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.user_id}@{self.project_id}: {self.units}"


class Adoption(models.Model):
    """认种/认领: units of a project taken with energy, and its certificate.

    The row is also the certificate's outbox: it commits with ``ledger_index`` empty (待上链)
    and the certifier (``forest.certify``) appends the entries of pending rows in batches,
    then fills it in. The ledger entry holds the adopter only as a commitment."""

    project = models.ForeignKey(Project, on_delete=models.PROTECT, related_name="adoptions")
    # Looked up by the (user, key) constraint's index, which leads with the user.
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="forest_adoptions",
        db_index=False,
    )
    units = models.PositiveIntegerField(_("数量"))
    energy_g = models.BigIntegerField(_("消耗能量（克）"))
    key = models.CharField(_("幂等键"), max_length=64)
    ledger_index = models.BigIntegerField(_("账本序号"), null=True, blank=True, unique=True)
    token = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    created_at = models.DateTimeField(_("时间"))

    class Meta:
        verbose_name = _("认种认养")
        verbose_name_plural = _("认种认养")
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["user", "key"], name="adoption_unique_user_key"),
            models.CheckConstraint(condition=Q(units__gt=0), name="adoption_units_positive"),
        ]
        indexes = [
            # The certifier's queue: only the few rows still waiting for their ledger entry.
            models.Index(
                fields=["id"], condition=Q(ledger_index__isnull=True), name="adoption_pending"
            )
        ]

    def __str__(self) -> str:
        return self.number

    @property
    def number(self) -> str:
        """证书编号: given at adoption (the ledger index comes a moment later)."""
        return f"LS{self.pk:010d}"

    @property
    def pending(self) -> bool:
        """Committed, but its ledger entry is not appended yet (待上链)."""
        return self.ledger_index is None

    @property
    def subject(self) -> str:
        """Whose opening the certificate's receipt carries."""
        return f"forest.adoption:{self.token}"


class WorkKind(models.TextChoices):
    PLANT = "plant", _("种植")
    TEND = "tend", _("管护")
    PATROL = "patrol", _("巡护")


class PayBasis(models.TextChoices):
    DAY = "day", _("按天")
    PIECE = "piece", _("按件")


class WorkOrder(models.Model):
    """用工: a registered poor person of the project's county hired for planting, tending or
    patrol, paid a rate per day or per piece (e.g. per tree planted)."""

    project = models.ForeignKey(Project, on_delete=models.PROTECT, related_name="work_orders")
    person = models.ForeignKey("registry.Person", on_delete=models.PROTECT, related_name="+")
    village_code = models.CharField(_("村代码"), max_length=12)  # the person's, for scoping
    kind = models.CharField(_("工种"), max_length=6, choices=WorkKind.choices)
    basis = models.CharField(_("计酬方式"), max_length=5, choices=PayBasis.choices)
    rate_fen = models.BigIntegerField(_("单价（分）"))
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("用工")
        verbose_name_plural = _("用工")
        ordering = ["project", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(rate_fen__gt=0, rate_fen__lte=MAX_FEN), name="workorder_rate_in_range"
            )
        ]

    def __str__(self) -> str:
        return f"{self.project_id} {self.kind} {self.person_id}"


class WorkLog(models.Model):
    """出工记录: days or pieces on a date; the partner approves it and the wage is paid (a
    ledger entry) in the same transaction."""

    order = models.ForeignKey(WorkOrder, on_delete=models.PROTECT, related_name="logs")
    on = models.DateField(_("日期"))
    quantity = models.PositiveIntegerField(_("天数/件数"))
    wage_fen = models.BigIntegerField(_("工资（分）"))
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+"
    )
    approved_at = models.DateTimeField(_("审核时间"), null=True)
    ledger_index = models.BigIntegerField(_("账本序号"), null=True, unique=True)

    class Meta:
        verbose_name = _("出工记录")
        verbose_name_plural = _("出工记录")
        ordering = ["-on", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["order", "on"], name="worklog_unique_order_day"),
            models.CheckConstraint(
                condition=Q(quantity__gt=0, wage_fen__gt=0, wage_fen__lte=MAX_FEN),
                name="worklog_positive",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.order_id} {self.on} ×{self.quantity}"


class SurvivalCheck(models.Model):
    """成活率核查: planted vs alive in a tree project, with a photo from the field."""

    project = models.ForeignKey(Project, on_delete=models.PROTECT, related_name="checks")
    checked_on = models.DateField(_("核查日期"))
    planted = models.PositiveIntegerField(_("种植数"))
    alive = models.PositiveIntegerField(_("成活数"))
    photo = models.ForeignKey("documents.Photo", on_delete=models.PROTECT, related_name="+")
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")

    class Meta:
        verbose_name = _("成活率核查")
        verbose_name_plural = _("成活率核查")
        ordering = ["-checked_on", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(alive__lte=F("planted")), name="survival_alive_le_planted"
            )
        ]

    def __str__(self) -> str:
        return f"{self.project_id} {self.alive}/{self.planted}"
