"""Selection programmes as data (awards, contests, cohorts), applications with evidence,
reviews with conflict-of-interest declarations and rubric scores, selection runs and their
published result, award instalments; training cohorts with certificates and placements;
campus hiring (ADR 0014)."""

from __future__ import annotations

import uuid

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from tuopin.core.money import MAX_FEN


class ProgrammeKind(models.TextChoices):
    AWARD = "award", _("奖项")
    CONTEST = "contest", _("大赛")
    COHORT = "cohort", _("培训班")


class Programme(models.Model):
    """One selection in one year (马云乡村教师奖 2018), configured as data: eligibility rules,
    form fields, required evidence, rubric criteria, rounds, N, quotas and the award."""

    slug = models.SlugField(_("代号"), max_length=60, unique=True)
    name = models.CharField(_("名称"), max_length=100)
    kind = models.CharField(_("类型"), max_length=10, choices=ProgrammeKind.choices)
    year = models.PositiveSmallIntegerField(_("年度"))
    description = models.TextField(_("说明"), blank=True)
    eligibility = models.JSONField(_("资格规则"), default=list, blank=True)
    """[{"rule": "min_years", "field": "rural_years", "value": 3}, {"rule": "poor_county"},
    {"rule": "any_flag", "fields": ["disabled", "single_parent", "serious_illness"]}, …]"""
    form_fields = models.JSONField(_("申请表字段"), default=list, blank=True)
    """[{"name": "rural_years", "label": "乡村任教年限", "kind": "integer", "required": true}]"""
    evidence = models.JSONField(_("必需材料"), default=list, blank=True)
    """Names of the evidence every application must carry: ["证书", "推荐信"]."""
    criteria = models.JSONField(_("评分细则"), default=list, blank=True)
    """Rubric criteria, each scored 0–5: ["师德", "教学", "坚守"]."""
    rounds = models.JSONField(_("评审轮次"), default=list, blank=True)
    select_count = models.PositiveIntegerField(_("评选人数"), validators=[MinValueValidator(1)])
    quotas = models.JSONField(_("配额"), default=list, blank=True)
    """[{"name": …, "family": "county_kind", "values": ["poor"], "share_at_least": 0.55}, …]"""
    reviewers_per_application = models.PositiveSmallIntegerField(_("每份评审人数"), default=3)
    blind = models.BooleanField(_("匿名评审"), default=False)
    normalise = models.BooleanField(_("按评审人尺度校正"), default=True)
    award_fen = models.BigIntegerField(
        _("奖金（分）"), default=0, validators=[MinValueValidator(0), MaxValueValidator(MAX_FEN)]
    )
    instalments = models.PositiveSmallIntegerField(_("分期数"), default=1)
    support_years = models.PositiveSmallIntegerField(_("后续支持年数"), default=0)
    open = models.BooleanField(_("接受申请"), default=True)
    reviewers = models.ManyToManyField(settings.AUTH_USER_MODEL, blank=True, related_name="+")

    class Meta:
        verbose_name = _("评选项目")
        verbose_name_plural = _("评选项目")
        ordering = ["-year", "name"]
        permissions = [
            ("decide_selection", _("评审委员会：确认评选结果")),
            ("review_application", _("评审申请")),
        ]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(award_fen__gte=0), name="programme_award_gte_0"
            ),
            models.CheckConstraint(
                condition=models.Q(instalments__gte=1), name="programme_instalments_gte_1"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.name} {self.year}"


class ReviewerProfile(models.Model):
    """What conflicts a reviewer has: their county and school, their kin (user ids)."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="reviewer_profile"
    )
    area_code = models.CharField(_("所在地代码"), max_length=12, blank=True)
    school = models.CharField(_("学校/单位"), max_length=100, blank=True)
    kin = models.JSONField(_("亲属（用户编号）"), default=list, blank=True)

    class Meta:
        verbose_name = _("评审人")
        verbose_name_plural = _("评审人")

    def __str__(self) -> str:
        return str(self.user)


class Status(models.TextChoices):
    SUBMITTED = "submitted", _("已提交")
    INELIGIBLE = "ineligible", _("不符合条件")
    IN_REVIEW = "in_review", _("评审中")
    SELECTED = "selected", _("入选")
    NOT_SELECTED = "not_selected", _("未入选")
    HISTORY = "history", _("往届获奖")


class Application(models.Model):
    """A person's application, or a nomination by someone else, to one programme."""

    programme = models.ForeignKey(Programme, on_delete=models.PROTECT, related_name="applications")
    applicant = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    nominated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    person = models.ForeignKey(
        "registry.Person", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    name = models.CharField(_("姓名"), max_length=50)
    area_code = models.CharField(_("所在地代码"), max_length=12, db_index=True)
    school = models.CharField(_("学校/店铺"), max_length=100, blank=True)
    answers = models.JSONField(_("申请表"), default=dict, blank=True)
    facts = models.JSONField(default=dict, blank=True)
    """What eligibility and quotas read: county kind, province, prefecture, registry flags."""
    status = models.CharField(
        _("状态"), max_length=16, choices=Status.choices, default=Status.SUBMITTED
    )
    reasons = models.JSONField(_("不符合原因"), default=list, blank=True)
    score = models.FloatField(_("平均分"), null=True, blank=True)
    normalised = models.FloatField(_("校正分"), null=True, blank=True)
    consent_public = models.BooleanField(_("同意公开个人获奖页"), default=False)
    token = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("申请")
        verbose_name_plural = _("申请")
        ordering = ["programme", "pk"]
        indexes = [models.Index(fields=["programme", "status"], name="selection_app_prog_status")]

    def __str__(self) -> str:
        return f"{self.programme_id}/{self.pk}"

    @property
    def number(self) -> str:
        """The public number shown in place of a name under blind review."""
        return f"{self.programme_id:03d}-{self.pk:05d}"


class Evidence(models.Model):
    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="evidence")
    label = models.CharField(_("材料"), max_length=50)
    photo = models.ForeignKey("documents.Photo", on_delete=models.PROTECT, related_name="+")

    class Meta:
        verbose_name = _("申请材料")
        verbose_name_plural = _("申请材料")

    def __str__(self) -> str:
        return self.label


class Assignment(models.Model):
    """A reviewer's task for one application: the COI declaration, then the rubric score."""

    application = models.ForeignKey(
        Application, on_delete=models.CASCADE, related_name="assignments"
    )
    reviewer = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+"
    )
    declared_at = models.DateTimeField(_("利益冲突声明时间"), null=True, blank=True)
    recused = models.BooleanField(_("自报冲突回避"), default=False)
    scores = models.JSONField(_("评分"), default=dict, blank=True)
    comment = models.TextField(_("评语"), blank=True)
    total = models.FloatField(_("总分"), null=True, blank=True)
    scored_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("评审任务")
        verbose_name_plural = _("评审任务")
        ordering = ["application", "reviewer"]
        constraints = [
            models.UniqueConstraint(fields=["application", "reviewer"], name="assignment_once"),
            models.CheckConstraint(
                condition=models.Q(total__isnull=True) | models.Q(total__gte=0, total__lte=5),
                name="assignment_total_0_5",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.application_id}/{self.reviewer_id}"


class RunStatus(models.TextChoices):
    PROPOSED = "proposed", _("待委员会确认")
    PUBLISHED = "published", _("已公布")
    SUPERSEDED = "superseded", _("已作废")


class SelectionRun(models.Model):
    """One optimiser answer for a programme, confirmed (or overridden) by the committee and
    then published on the ledger."""

    programme = models.ForeignKey(Programme, on_delete=models.PROTECT, related_name="runs")
    status = models.CharField(max_length=12, choices=RunStatus.choices, default=RunStatus.PROPOSED)
    parameters = models.JSONField(default=dict)
    result = models.JSONField(default=dict)
    """ranked, selected (application ids), total, quota_cost, marginal_in/out, forced_in/out."""
    selected = models.JSONField(default=list)
    """The final list (ids): the optimiser's, or the committee's override."""
    override_reason = models.TextField(_("调整理由"), blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    ledger_index = models.BigIntegerField(null=True, blank=True)

    class Meta:
        verbose_name = _("评选结果")
        verbose_name_plural = _("评选结果")
        ordering = ["-pk"]

    def __str__(self) -> str:
        return f"{self.programme_id}#{self.pk}"


class Instalment(models.Model):
    """One instalment of an award, paid as a ledger disbursement."""

    application = models.ForeignKey(
        Application, on_delete=models.PROTECT, related_name="instalments"
    )
    number = models.PositiveSmallIntegerField()
    amount_fen = models.BigIntegerField(
        validators=[MinValueValidator(1), MaxValueValidator(MAX_FEN)]
    )
    paid_at = models.DateTimeField(null=True, blank=True)
    ledger_index = models.BigIntegerField(null=True, blank=True)

    class Meta:
        verbose_name = _("奖金分期")
        verbose_name_plural = _("奖金分期")
        ordering = ["application", "number"]
        constraints = [
            models.UniqueConstraint(fields=["application", "number"], name="instalment_once"),
            models.CheckConstraint(
                condition=models.Q(amount_fen__gt=0), name="instalment_amount_gt_0"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.application_id}#{self.number}"


class Cohort(models.Model):
    """A training cohort (ACA cloud skills, the 魔豆妈妈 e-commerce school)."""

    slug = models.SlugField(_("代号"), max_length=60, unique=True)
    name = models.CharField(_("名称"), max_length=100)
    course = models.CharField(_("课程"), max_length=100)
    starts_on = models.DateField(_("开班日期"))
    pass_mark = models.PositiveSmallIntegerField(_("及格分"), default=60)
    min_attendance = models.PositiveSmallIntegerField(_("最低出勤次数"), default=0)

    class Meta:
        verbose_name = _("培训班")
        verbose_name_plural = _("培训班")

    def __str__(self) -> str:
        return self.name


class Trainee(models.Model):
    cohort = models.ForeignKey(Cohort, on_delete=models.CASCADE, related_name="trainees")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    name = models.CharField(_("姓名"), max_length=50)
    area_code = models.CharField(_("所在地代码"), max_length=12, db_index=True)
    attended = models.PositiveSmallIntegerField(_("出勤次数"), default=0)
    exam_score = models.PositiveSmallIntegerField(
        _("考试成绩"), null=True, blank=True, validators=[MaxValueValidator(100)]
    )

    class Meta:
        verbose_name = _("学员")
        verbose_name_plural = _("学员")
        ordering = ["cohort", "pk"]

    def __str__(self) -> str:
        return self.name


class TrainingSession(models.Model):
    cohort = models.ForeignKey(Cohort, on_delete=models.CASCADE, related_name="sessions")
    held_on = models.DateField(_("日期"))
    topic = models.CharField(_("主题"), max_length=100)
    present = models.ManyToManyField(Trainee, blank=True, related_name="sessions")

    class Meta:
        verbose_name = _("课次")
        verbose_name_plural = _("课次")
        ordering = ["cohort", "held_on"]

    def __str__(self) -> str:
        return self.topic


class Certificate(models.Model):
    number = models.CharField(_("证书编号"), max_length=32, unique=True)
    trainee = models.OneToOneField(Trainee, on_delete=models.PROTECT, related_name="certificate")
    issued_on = models.DateField(_("发证日期"))

    class Meta:
        verbose_name = _("证书")
        verbose_name_plural = _("证书")

    def __str__(self) -> str:
        return self.number


class Placement(models.Model):
    """A follow-up of a trainee's job at 3, 6 or 12 months."""

    trainee = models.ForeignKey(Trainee, on_delete=models.CASCADE, related_name="placements")
    months = models.PositiveSmallIntegerField(
        _("随访月份"), choices=[(3, "3"), (6, "6"), (12, "12")]
    )
    employed = models.BooleanField(_("在岗"))
    employer = models.CharField(_("单位"), max_length=100, blank=True)
    wage_band = models.CharField(_("月薪档"), max_length=20, blank=True)

    class Meta:
        verbose_name = _("就业随访")
        verbose_name_plural = _("就业随访")
        constraints = [models.UniqueConstraint(fields=["trainee", "months"], name="placement_once")]

    def __str__(self) -> str:
        return f"{self.trainee_id}@{self.months}"


class Stage(models.TextChoices):
    APPLIED = "applied", _("已投递")
    INTERVIEWED = "interviewed", _("已面试")
    OFFERED = "offered", _("已发录用")
    HIRED = "hired", _("已入职")
    REJECTED = "rejected", _("未通过")


class Position(models.Model):
    """A job an employer posts to the campus hiring (钉钉新校招)."""

    employer = models.CharField(_("用人单位"), max_length=100)
    title = models.CharField(_("岗位"), max_length=100)
    posted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        verbose_name = _("招聘岗位")
        verbose_name_plural = _("招聘岗位")

    def __str__(self) -> str:
        return f"{self.employer} {self.title}"


class Candidacy(models.Model):
    """A graduate's application to a position; the county of origin stays hidden from the
    employer until the interview stage (``origin_revealed``)."""

    position = models.ForeignKey(Position, on_delete=models.CASCADE, related_name="candidacies")
    graduate = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    name = models.CharField(_("姓名"), max_length=50)
    origin_code = models.CharField(_("生源地代码"), max_length=12)
    poor_origin = models.BooleanField(_("来自贫困县"), default=False)
    stage = models.CharField(_("阶段"), max_length=12, choices=Stage.choices, default=Stage.APPLIED)
    reached = models.PositiveSmallIntegerField(default=0)
    """The furthest stage reached: 0 applied, 1 interviewed, 2 offered, 3 hired."""

    class Meta:
        verbose_name = _("校招申请")
        verbose_name_plural = _("校招申请")
        ordering = ["position", "pk"]

    def __str__(self) -> str:
        return f"{self.position_id}/{self.pk}"

    @property
    def origin_revealed(self) -> bool:
        return self.reached >= 1
