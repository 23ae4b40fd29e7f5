"""Models of the childcare app: candidate sites, siting plans and their chosen sites, and the
centres that run (children, sessions with attendance, home visits, development screenings)."""

from __future__ import annotations

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from tuopin.core.jobs import TracedJob
from tuopin.core.money import MAX_FEN


class SiteKind(models.TextChoices):
    VILLAGE = "village", _("村委会/村中心")
    SCHOOL = "school", _("学校")
    CLINIC = "clinic", _("卫生室")
    RENTED = "rented", _("租用房屋")
    OTHER = "other", _("其他")


class CandidateSite(models.Model):
    """A point an officer offers as a possible centre besides the village centres (a school,
    a clinic, a rented room), with its floor area and monthly rent."""

    county_code = models.CharField(_("县代码"), max_length=12, db_index=True)
    village_code = models.CharField(_("所在村代码"), max_length=12)
    name = models.CharField(_("名称"), max_length=100)
    kind = models.CharField(_("类型"), max_length=10, choices=SiteKind.choices)
    longitude = models.DecimalField(_("经度"), max_digits=9, decimal_places=6)
    latitude = models.DecimalField(_("纬度"), max_digits=9, decimal_places=6)
    floor_area_m2 = models.PositiveIntegerField(_("面积（平方米）"), null=True, blank=True)
    monthly_rent_fen = models.BigIntegerField(
        _("月租金（分）"), default=0, validators=[MinValueValidator(0), MaxValueValidator(MAX_FEN)]
    )
    added_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("备选场地")
        verbose_name_plural = _("备选场地")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(longitude__gte=-180, longitude__lte=180)
                & models.Q(latitude__gte=-90, latitude__lte=90),
                name="candidate_site_coordinates",
            ),
            models.CheckConstraint(
                condition=models.Q(monthly_rent_fen__gte=0), name="candidate_site_rent_gte_0"
            ),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def code(self) -> str:
        """Its code in a plan: ``S<id>`` (a village centre's code is the village code)."""
        return f"S{self.pk}"


class PlanStatus(models.TextChoices):
    QUEUED = "queued", _("排队中")
    RUNNING = "running", _("计算中")
    DONE = "done", _("已完成")
    FAILED = "failed", _("失败")
    INTERRUPTED = "interrupted", _("已中断")


class SitingPlan(TracedJob):
    """A siting run for one county on one date: the question, and the answer once solved."""

    county_code = models.CharField(_("县代码"), max_length=12, db_index=True)
    on = models.DateField(_("按此日期计算年龄"))
    centres = models.PositiveSmallIntegerField(
        _("中心数"), validators=[MinValueValidator(1), MaxValueValidator(500)]
    )
    radius_m = models.PositiveIntegerField(
        _("服务半径（米）"), validators=[MinValueValidator(100), MaxValueValidator(20_000)]
    )
    min_children = models.PositiveSmallIntegerField(_("半径内儿童须多于"), default=10)
    status = models.CharField(
        _("状态"), max_length=12, choices=PlanStatus.choices, default=PlanStatus.QUEUED
    )
    error = models.CharField(_("错误"), max_length=1000, blank=True)
    finished_at = models.DateTimeField(_("完成时间"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    # The answer
    eligible_children = models.PositiveIntegerField(_("0–3 岁儿童"), default=0)
    children_covered = models.PositiveIntegerField(_("覆盖儿童"), default=0)
    optimal = models.BooleanField(_("最优"), default=False)
    gap = models.FloatField(_("与上界的差距"), default=0)
    method = models.CharField(_("方法"), max_length=10, blank=True)
    greedy_covered = models.PositiveIntegerField(_("贪心法覆盖"), default=0)
    allowed_sites = models.PositiveIntegerField(_("符合条件的场地"), default=0)
    marginal_children = models.IntegerField(_("多建一个中心可多覆盖"), null=True, blank=True)
    cover_all_centres = models.PositiveIntegerField(
        _("覆盖全部可覆盖聚居点所需中心数"), null=True, blank=True
    )
    worst_distance_m = models.FloatField(_("最远儿童到中心的距离（米）"), null=True, blank=True)
    worst_village = models.CharField(_("最远儿童所在村"), max_length=12, blank=True)
    unlocated_villages = models.JSONField(_("无坐标的村"), default=list, blank=True)
    demand_points = models.JSONField(_("各村儿童"), default=list, blank=True)
    """[code, name, lon, lat, children] per village with children, as solved (for the map)."""
    candidate_points = models.JSONField(_("备选场地"), default=list, blank=True)
    """[code, name, lon, lat] of every candidate the solver could choose."""

    class Meta:
        verbose_name = _("选址方案")
        verbose_name_plural = _("选址方案")
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["status"], name="siting_plan_status")]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(centres__gte=1), name="siting_plan_centres_gte_1"
            ),
            models.CheckConstraint(
                condition=models.Q(radius_m__gte=100, radius_m__lte=20_000),
                name="siting_plan_radius_range",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.county_code} {self.on} k={self.centres}"


class PlanSite(models.Model):
    """A site the plan chose, with the children it serves (each child once, by the nearest)."""

    plan = models.ForeignKey(SitingPlan, on_delete=models.CASCADE, related_name="sites")
    rank = models.PositiveSmallIntegerField(_("序号"))
    code = models.CharField(_("场地代码"), max_length=12)
    name = models.CharField(_("名称"), max_length=100)
    longitude = models.DecimalField(max_digits=9, decimal_places=6)
    latitude = models.DecimalField(max_digits=9, decimal_places=6)
    children_covered = models.PositiveIntegerField(_("覆盖儿童"))
    villages = models.JSONField(_("服务的村"), default=list)
    floor_area_m2 = models.PositiveSmallIntegerField(_("建议面积（平方米）"))

    class Meta:
        verbose_name = _("选定场地")
        verbose_name_plural = _("选定场地")
        ordering = ["plan", "rank"]
        constraints = [
            models.UniqueConstraint(fields=["plan", "rank"], name="plan_site_rank_unique")
        ]

    def __str__(self) -> str:
        return f"{self.plan_id} {self.name}"


# -- running centres -------------------------------------------------------------------------


class Centre(models.Model):
    """养育中心: a centre that runs, at a chosen site or anywhere an officer opens one."""

    name = models.CharField(_("名称"), max_length=100)
    county_code = models.CharField(_("县代码"), max_length=12, db_index=True)
    village_code = models.CharField(_("所在村代码"), max_length=12)
    plan_site = models.ForeignKey(
        PlanSite, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    floor_area_m2 = models.PositiveSmallIntegerField(_("面积（平方米）"), null=True, blank=True)
    opened_on = models.DateField(_("开办日期"))
    closed_on = models.DateField(_("关闭日期"), null=True, blank=True)
    staff = models.ManyToManyField(
        settings.AUTH_USER_MODEL, verbose_name=_("工作人员"), blank=True, related_name="centres"
    )

    class Meta:
        verbose_name = _("养育中心")
        verbose_name_plural = _("养育中心")
        ordering = ["county_code", "name"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(closed_on__isnull=True)
                | models.Q(closed_on__gte=models.F("opened_on")),
                name="centre_dates_ordered",
            )
        ]

    def __str__(self) -> str:
        return self.name


class LeftReason(models.TextChoices):
    AGED_OUT = "aged_out", _("满三岁")
    MOVED = "moved", _("迁走")
    WITHDRAWN = "withdrawn", _("退出")


class CentreChild(models.Model):
    """A child enrolled at a centre, with the carer who comes with them."""

    centre = models.ForeignKey(Centre, on_delete=models.PROTECT, related_name="children")
    person = models.ForeignKey("registry.Person", on_delete=models.PROTECT, related_name="+")
    carer = models.ForeignKey(
        "registry.Person", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    birth_date = models.DateField(_("出生日期"))  # copied: the aged-out rule is one comparison
    enrolled_on = models.DateField(_("入园日期"))
    left_on = models.DateField(_("离开日期"), null=True, blank=True)
    left_reason = models.CharField(
        _("离开原因"), max_length=10, choices=LeftReason.choices, blank=True
    )

    class Meta:
        verbose_name = _("在册儿童")
        verbose_name_plural = _("在册儿童")
        constraints = [
            models.UniqueConstraint(
                fields=["person"],
                condition=models.Q(left_on__isnull=True),
                name="centre_child_one_active_enrolment",
            )
        ]

    def __str__(self) -> str:
        return f"{self.centre_id} {self.person_id}"


class Session(models.Model):
    """One activity session at a centre, on a day."""

    centre = models.ForeignKey(Centre, on_delete=models.PROTECT, related_name="sessions")
    held_on = models.DateField(_("日期"))
    topic = models.CharField(_("内容"), max_length=100)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        verbose_name = _("活动")
        verbose_name_plural = _("活动")
        ordering = ["-held_on", "-id"]
        indexes = [models.Index(fields=["centre", "held_on"], name="session_centre_day")]

    def __str__(self) -> str:
        return f"{self.centre_id} {self.held_on} {self.topic}"


class Attendance(models.Model):
    session = models.ForeignKey(Session, on_delete=models.CASCADE, related_name="attendance")
    child = models.ForeignKey(CentreChild, on_delete=models.PROTECT, related_name="attendance")

    class Meta:
        verbose_name = _("出勤")
        verbose_name_plural = _("出勤")
        constraints = [models.UniqueConstraint(fields=["session", "child"], name="attendance_once")]

    def __str__(self) -> str:
        return f"{self.session_id} {self.child_id}"


class HomeVisit(models.Model):
    """入户指导: a visit to a child's home, with notes."""

    child = models.ForeignKey(CentreChild, on_delete=models.PROTECT, related_name="visits")
    visited_on = models.DateField(_("日期"))
    notes = models.TextField(_("记录"), max_length=2000, blank=True)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        verbose_name = _("入户指导")
        verbose_name_plural = _("入户指导")
        ordering = ["-visited_on", "-id"]

    def __str__(self) -> str:
        return f"{self.child_id} {self.visited_on}"


class Outcome(models.TextChoices):
    NORMAL = "normal", _("正常")
    MONITOR = "monitor", _("需关注")
    REFER = "refer", _("建议转诊")


class Screening(models.Model):
    """发育筛查 at one of the set ages (months), with the outcome per domain."""

    child = models.ForeignKey(CentreChild, on_delete=models.PROTECT, related_name="screenings")
    age_months = models.PositiveSmallIntegerField(_("筛查月龄"))
    screened_on = models.DateField(_("日期"))
    gross_motor = models.CharField(_("大运动"), max_length=8, choices=Outcome.choices)
    fine_motor = models.CharField(_("精细动作"), max_length=8, choices=Outcome.choices)
    language = models.CharField(_("语言"), max_length=8, choices=Outcome.choices)
    social = models.CharField(_("社会情感"), max_length=8, choices=Outcome.choices)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        verbose_name = _("发育筛查")
        verbose_name_plural = _("发育筛查")
        constraints = [
            models.UniqueConstraint(fields=["child", "age_months"], name="screening_once_per_age")
        ]

    def __str__(self) -> str:
        return f"{self.child_id} {self.age_months}"
