"""What the reports app keeps of its own: figures from partners, the chronicle (大事记), the
cases an operator features, and the work reports with their review and publication. Every
other figure is computed from the apps' own tables through ``core.indicators``."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from tuopin.core.indicators import FEN, HOUSEHOLDS, ITEMS, PEOPLE


class Unit(models.TextChoices):
    HOUSEHOLDS = HOUSEHOLDS, _("户")
    PEOPLE = PEOPLE, _("人")
    ITEMS = ITEMS, _("个")
    FEN = FEN, _("元")


class PartnerIndicator(models.Model):
    """A figure tuopin does not compute: a partner reports it (a bank's loans in poor
    counties, staff visits, sales on outside platforms)."""

    code = models.SlugField(_("代号"), max_length=60, unique=True)
    name = models.CharField(_("名称"), max_length=100)
    unit = models.CharField(_("单位"), max_length=16, choices=Unit.choices)
    direction = models.CharField(_("篇章"), max_length=30, default="partners")
    public = models.BooleanField(_("公开"), default=True)
    description = models.TextField(_("说明"), blank=True)

    class Meta:
        verbose_name = _("合作方指标")
        verbose_name_plural = _("合作方指标")
        ordering = ["code"]

    def __str__(self) -> str:
        return self.name


class PartnerImport(models.Model):
    """One partner file as it was imported: who, when, what was kept, its ledger entry."""

    file_name = models.CharField(_("文件名"), max_length=200)
    sha256 = models.CharField(_("文件哈希"), max_length=64, unique=True)
    source = models.CharField(_("来源"), max_length=100)
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField(_("导入时间"))
    accepted = models.PositiveIntegerField(_("导入行数"), default=0)
    rejected = models.PositiveIntegerField(_("拒绝行数"), default=0)
    replaced = models.PositiveIntegerField(_("替换行数"), default=0)
    errors_path = models.CharField(max_length=300, blank=True)
    ledger_index = models.BigIntegerField(_("账本序号"), null=True, blank=True)

    class Meta:
        verbose_name = _("合作方数据导入")
        verbose_name_plural = _("合作方数据导入")
        ordering = ["-at"]

    def __str__(self) -> str:
        return f"{self.file_name} ({self.at:%Y-%m-%d})"


class PartnerFigure(models.Model):
    """One value of a partner indicator for an area ("" for the whole country) and a period."""

    indicator = models.ForeignKey(
        PartnerIndicator, on_delete=models.PROTECT, related_name="figures"
    )
    area_code = models.CharField(_("区划代码"), max_length=12, blank=True)
    period = models.CharField(_("报告期"), max_length=8)
    period_start = models.DateField()
    period_end = models.DateField()
    value = models.BigIntegerField(_("数值"))
    source = models.CharField(_("来源"), max_length=100)
    imported = models.ForeignKey(PartnerImport, on_delete=models.PROTECT, related_name="figures")

    class Meta:
        verbose_name = _("合作方数据")
        verbose_name_plural = _("合作方数据")
        constraints = [
            models.UniqueConstraint(
                fields=["indicator", "area_code", "period"], name="partner_figure_once"
            ),
            models.CheckConstraint(condition=models.Q(value__gte=0), name="partner_figure_value"),
        ]
        indexes = [models.Index(fields=["indicator", "period_start"], name="partner_figure_when")]

    def __str__(self) -> str:
        return f"{self.indicator_id} {self.area_code or '全国'} {self.period}"


class Event(models.Model):
    """大事记: a dated event an operator records (the apps' own events come from their
    ``core.chronicle`` sources)."""

    day = models.DateField(_("日期"))
    title = models.CharField(_("事件"), max_length=120)
    text = models.TextField(_("说明"), blank=True)
    area_code = models.CharField(_("区划代码"), max_length=12, blank=True)
    url = models.CharField(_("链接"), max_length=300, blank=True)
    public = models.BooleanField(_("公开"), default=True)
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField(_("记录时间"))

    class Meta:
        verbose_name = _("大事记")
        verbose_name_plural = _("大事记")
        ordering = ["day", "id"]

    def __str__(self) -> str:
        return f"{self.day:%Y-%m-%d} {self.title}"


class FeaturedCase(models.Model):
    """A case an operator features in a report's chapter: title, place, text, a photo and the
    indicators it illustrates."""

    direction = models.CharField(_("篇章"), max_length=30)
    day = models.DateField(_("日期"))
    title = models.CharField(_("标题"), max_length=120)
    area_code = models.CharField(_("地点（区划代码）"), max_length=12, blank=True)
    text = models.TextField(_("正文"))
    photo = models.ForeignKey(
        "documents.Photo",
        verbose_name=_("照片"),
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
        blank=True,
    )
    indicators = models.CharField(
        _("相关指标"), max_length=300, blank=True, help_text=_("指标代号，逗号分隔")
    )
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")

    class Meta:
        verbose_name = _("典型案例")
        verbose_name_plural = _("典型案例")
        ordering = ["direction", "day", "id"]

    def __str__(self) -> str:
        return self.title


class ReportStatus(models.TextChoices):
    DRAFT = "draft", _("草稿")
    PUBLISHED = "published", _("已发布")


class PdfState(models.TextChoices):
    PENDING = "pending", _("排版中")
    READY = "ready", _("已排版")
    FAILED = "failed", _("排版失败")


class WorkReport(models.Model):
    """A generated work report (工作报告) for a period and an area: a draft until a second
    operator approves it; publishing fixes its PDF, whose hash goes on the ledger."""

    period = models.CharField(_("报告期"), max_length=8)
    area_code = models.CharField(_("区划代码"), max_length=12, blank=True)
    status = models.CharField(
        _("状态"), max_length=16, choices=ReportStatus.choices, default=ReportStatus.DRAFT
    )
    html = models.TextField()
    pdf_path = models.CharField(max_length=300, blank=True)
    pdf_sha256 = models.CharField(_("PDF 哈希"), max_length=64, blank=True)
    pdf_state = models.CharField(
        _("PDF"), max_length=8, choices=PdfState.choices, default=PdfState.PENDING
    )
    pdf_error = models.CharField(max_length=300, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(_("生成时间"))
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True, blank=True
    )
    published_at = models.DateTimeField(_("发布时间"), null=True, blank=True)
    ledger_index = models.BigIntegerField(_("账本序号"), null=True, blank=True)

    class Meta:
        verbose_name = _("工作报告")
        verbose_name_plural = _("工作报告")
        ordering = ["-created_at"]
        permissions = [("publish_workreport", _("可以审核发布工作报告"))]

    def __str__(self) -> str:
        return f"{self.period} {self.area_code or '全国'}"


class Summary(models.Model):
    """A computed indicator's value for a county ("" for national-only figures) and a month:
    within the month for a flow, at its end for a stock. Refreshed by ``summaries.refresh``
    so that dashboards above the county level read these rows, not the apps' tables."""

    indicator = models.CharField(max_length=60)
    county = models.CharField(max_length=6)
    month = models.DateField()
    value = models.BigIntegerField()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["indicator", "month", "county"], name="summary_once"),
        ]

    def __str__(self) -> str:
        return f"{self.indicator} {self.county} {self.month:%Y-%m}"


class SummaryMonth(models.Model):
    """That an indicator's month has been summarised, and when (a month may hold no row)."""

    indicator = models.CharField(max_length=60)
    month = models.DateField()
    refreshed_at = models.DateTimeField()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["indicator", "month"], name="summary_month_once"),
        ]

    def __str__(self) -> str:
        return f"{self.indicator} {self.month:%Y-%m}"
