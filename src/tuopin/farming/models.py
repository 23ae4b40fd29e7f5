"""Models of the farming app (订单农业): a county's flagship product (一县一品), demand
forecast runs, planting plans and their split across member households, contracts with floor
prices per grade, delivered lots with their grading and appeals, and payments.

Households' land: the registry holds no land area, so farming keeps each household's land
(亩, in hundredths) on its own record, :class:`HouseholdLand` (ADR 0012)."""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from tuopin.core.jobs import TracedJob
from tuopin.core.money import MAX_FEN

_FEN = [MinValueValidator(0), MaxValueValidator(MAX_FEN)]
_USER = settings.AUTH_USER_MODEL


class Flagship(models.Model):
    """A county's confirmed flagship product, with the officer's reason and the figures the
    ranking showed when it was confirmed. The latest row of a county is its flagship."""

    county_code = models.CharField(_("县代码"), max_length=12, db_index=True)
    product = models.ForeignKey(
        "commerce.Product", verbose_name=_("商品"), on_delete=models.PROTECT, related_name="+"
    )
    reason = models.CharField(_("理由"), max_length=500)
    figures = models.JSONField(_("排名依据"), default=dict)
    confirmed_by = models.ForeignKey(_USER, null=True, on_delete=models.SET_NULL, related_name="+")
    confirmed_at = models.DateTimeField(_("确认时间"))
    ledger_index = models.BigIntegerField(null=True, blank=True)

    class Meta:
        verbose_name = _("一县一品")
        verbose_name_plural = _("一县一品")
        ordering = ["county_code", "-confirmed_at"]

    def __str__(self) -> str:
        return f"{self.county_code} {self.product_id}"


class RunStatus(models.TextChoices):
    QUEUED = "queued", _("排队中")
    RUNNING = "running", _("计算中")
    DONE = "done", _("已完成")
    FAILED = "failed", _("失败")
    INTERRUPTED = "interrupted", _("已中断")


class ForecastRun(TracedJob):
    """A demand forecast of one product at every outlet that sold it (a background job)."""

    product = models.ForeignKey(
        "commerce.Product", verbose_name=_("商品"), on_delete=models.PROTECT, related_name="+"
    )
    county_code = models.CharField(_("县代码"), max_length=12, db_index=True)
    horizon = models.PositiveSmallIntegerField(
        _("预测月数"), validators=[MinValueValidator(1), MaxValueValidator(24)]
    )
    first_month = models.DateField(_("预测起始月"), null=True, blank=True)
    status = models.CharField(
        _("状态"), max_length=12, choices=RunStatus.choices, default=RunStatus.QUEUED
    )
    series_total = models.PositiveIntegerField(default=0)
    series_done = models.PositiveIntegerField(default=0)
    # The product's total over all outlets: monthly mean, interval (kg), history (kg).
    history_months = models.JSONField(default=list)
    history_kg = models.JSONField(default=list)
    mean_kg = models.JSONField(default=list)
    lo_kg = models.JSONField(default=list)
    hi_kg = models.JSONField(default=list)
    sd_kg = models.JSONField(default=list)
    error = models.CharField(_("失败原因"), max_length=1000, blank=True)
    created_by = models.ForeignKey(_USER, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("需求预测")
        verbose_name_plural = _("需求预测")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.product_id} #{self.pk}"


class ForecastSeries(models.Model):
    """One outlet's forecast in a run, with its back-test against seasonal naive."""

    run = models.ForeignKey(ForecastRun, on_delete=models.CASCADE, related_name="series")
    outlet = models.ForeignKey("commerce.Outlet", on_delete=models.PROTECT, related_name="+")
    method = models.CharField(_("方法"), max_length=20)
    fallback = models.CharField(_("退化原因"), max_length=20, blank=True)
    months_of_history = models.PositiveSmallIntegerField(default=0)
    mean_kg = models.JSONField(default=list)
    lo_kg = models.JSONField(default=list)
    hi_kg = models.JSONField(default=list)
    mase = models.FloatField(null=True, blank=True)
    smape = models.FloatField(null=True, blank=True)
    naive_mase = models.FloatField(null=True, blank=True)
    naive_smape = models.FloatField(null=True, blank=True)

    class Meta:
        verbose_name = _("渠道预测")
        verbose_name_plural = _("渠道预测")
        constraints = [
            models.UniqueConstraint(fields=["run", "outlet"], name="forecast_series_once"),
        ]

    def __str__(self) -> str:
        return f"{self.run_id}:{self.outlet_id}"


class HouseholdLand(models.Model):
    """A household's farmland (亩, in hundredths): farming's own record, as the registry has
    no land field."""

    household = models.OneToOneField(
        "registry.Household", on_delete=models.CASCADE, related_name="+"
    )
    village_code = models.CharField(_("村代码"), max_length=12, db_index=True)
    land_centi_mu = models.PositiveIntegerField(
        _("耕地（0.01亩）"), validators=[MaxValueValidator(1_000_000)]
    )
    updated_by = models.ForeignKey(_USER, null=True, on_delete=models.SET_NULL, related_name="+")
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("农户耕地")
        verbose_name_plural = _("农户耕地")

    def __str__(self) -> str:
        return f"{self.household_id}: {self.land_centi_mu / 100} 亩"


class PlantingPlan(models.Model):
    """A forecast turned into a contracted quantity (the newsvendor quantile) and an area,
    split across the county's cooperatives' member households within their land."""

    run = models.ForeignKey(ForecastRun, on_delete=models.PROTECT, related_name="plans")
    product = models.ForeignKey("commerce.Product", on_delete=models.PROTECT, related_name="+")
    county_code = models.CharField(_("县代码"), max_length=12, db_index=True)
    season = models.PositiveSmallIntegerField(_("年度"))
    sale_price_fen = models.BigIntegerField(_("售价（分/公斤）"), validators=_FEN)
    floor_price_fen = models.BigIntegerField(_("保护价（分/公斤）"), validators=_FEN)
    market_price_fen = models.BigIntegerField(_("预计市场价（分/公斤）"), validators=_FEN)
    critical_ratio = models.FloatField(_("临界比"))
    demand_mean_kg = models.BigIntegerField(_("预测需求（公斤）"))
    demand_sd_kg = models.BigIntegerField(_("需求标准差（公斤）"))
    newsvendor_kg = models.BigIntegerField(_("报童最优量（公斤）"))
    quantity_kg = models.BigIntegerField(_("计划订单量（公斤）"))
    other_counties_kg = models.BigIntegerField(_("其他县已签（公斤）"), default=0)
    excess_kg = models.BigIntegerField(_("超出需求（公斤）"), default=0)
    yield_kg_per_mu = models.PositiveIntegerField(_("亩产（公斤）"))
    grade_share_pct = models.PositiveSmallIntegerField(
        _("达标率（%）"), validators=[MinValueValidator(1), MaxValueValidator(100)]
    )
    area_centi_mu = models.PositiveIntegerField(_("面积（0.01亩）"))
    unplaced_centi_mu = models.PositiveIntegerField(_("无地可种（0.01亩）"), default=0)
    # What a 亩 earned before order farming (as the county surveyed it): the "before" of the
    # county page's income per 亩.
    income_before_fen_per_mu = models.BigIntegerField(
        _("订单前亩收入（分）"), default=0, validators=_FEN
    )
    created_by = models.ForeignKey(_USER, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("种植计划")
        verbose_name_plural = _("种植计划")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.county_code} {self.product_id} {self.season}"


class PlanShare(models.Model):
    plan = models.ForeignKey(PlantingPlan, on_delete=models.CASCADE, related_name="shares")
    supplier = models.ForeignKey("commerce.Supplier", on_delete=models.PROTECT, related_name="+")
    household = models.ForeignKey("registry.Household", on_delete=models.PROTECT, related_name="+")
    area_centi_mu = models.PositiveIntegerField(_("面积（0.01亩）"))
    quantity_kg = models.PositiveIntegerField(_("数量（公斤）"))

    class Meta:
        verbose_name = _("计划分户")
        verbose_name_plural = _("计划分户")
        constraints = [
            models.UniqueConstraint(fields=["plan", "household"], name="plan_share_once"),
        ]

    def __str__(self) -> str:
        return f"{self.plan_id}:{self.household_id}"

    @property
    def area_mu(self) -> Decimal:
        return Decimal(self.area_centi_mu) / 100


class Contract(models.Model):
    """A cooperative's order contract for a product and season: the grade table with a floor
    price per grade, the market price source, the delivery window and the appeal days."""

    product = models.ForeignKey("commerce.Product", on_delete=models.PROTECT, related_name="+")
    supplier = models.ForeignKey(
        "commerce.Supplier",
        verbose_name=_("合作社"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    plan = models.ForeignKey(
        PlantingPlan, null=True, blank=True, on_delete=models.PROTECT, related_name="contracts"
    )
    county_code = models.CharField(_("县代码"), max_length=12, db_index=True)
    season = models.PositiveSmallIntegerField(_("年度"))
    quantity_kg = models.BigIntegerField(_("订单量（公斤）"), validators=[MinValueValidator(1)])
    market_source = models.CharField(_("市场价来源"), max_length=100)
    delivery_from = models.DateField(_("交售开始"))
    delivery_until = models.DateField(_("交售截止"))
    appeal_days = models.PositiveSmallIntegerField(_("申诉期（天）"), default=7)
    created_by = models.ForeignKey(_USER, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    ledger_index = models.BigIntegerField(null=True, blank=True)

    class Meta:
        verbose_name = _("订单合同")
        verbose_name_plural = _("订单合同")
        ordering = ["-season", "county_code"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(delivery_until__gte=models.F("delivery_from")),
                name="contract_window_order",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.supplier_id} {self.product_id} {self.season}"


class ContractGrade(models.Model):
    contract = models.ForeignKey(Contract, on_delete=models.CASCADE, related_name="grades")
    code = models.CharField(_("等级"), max_length=20)
    rule = models.CharField(_("标准"), max_length=200, blank=True)
    floor_fen = models.BigIntegerField(_("保护价（分/公斤）"), validators=_FEN)
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        verbose_name = _("等级保护价")
        verbose_name_plural = _("等级保护价")
        ordering = ["contract", "position"]
        constraints = [
            models.UniqueConstraint(fields=["contract", "code"], name="contract_grade_once"),
        ]

    def __str__(self) -> str:
        return self.code


class MarketPrice(models.Model):
    """The reference market price of a product on a day (元/kg in fen), from a named source."""

    product = models.ForeignKey("commerce.Product", on_delete=models.PROTECT, related_name="+")
    on = models.DateField(_("日期"))
    fen_per_kg = models.BigIntegerField(_("市场价（分/公斤）"), validators=_FEN)
    source = models.CharField(_("来源"), max_length=100)
    recorded_by = models.ForeignKey(_USER, null=True, on_delete=models.SET_NULL, related_name="+")

    class Meta:
        verbose_name = _("市场价")
        verbose_name_plural = _("市场价")
        constraints = [
            models.UniqueConstraint(fields=["product", "on"], name="market_price_once"),
        ]

    def __str__(self) -> str:
        return f"{self.product_id} {self.on}"


class HouseholdContract(models.Model):
    """A member household's part of a contract, signed by the cooperative: quantity, area,
    and the advance paid at signing (recovered from the first payments)."""

    contract = models.ForeignKey(Contract, on_delete=models.PROTECT, related_name="households")
    household = models.ForeignKey("registry.Household", on_delete=models.PROTECT, related_name="+")
    village_code = models.CharField(_("村代码"), max_length=12, db_index=True)
    quantity_kg = models.PositiveIntegerField(_("订单量（公斤）"))
    area_centi_mu = models.PositiveIntegerField(_("面积（0.01亩）"))
    advance_fen = models.BigIntegerField(_("预付款（分）"), default=0, validators=_FEN)
    advance_left_fen = models.BigIntegerField(_("未扣回预付款（分）"), default=0, validators=_FEN)
    signed_by = models.ForeignKey(_USER, null=True, on_delete=models.SET_NULL, related_name="+")
    signed_at = models.DateTimeField(_("签约时间"))
    ledger_index = models.BigIntegerField(null=True, blank=True)

    class Meta:
        verbose_name = _("农户订单")
        verbose_name_plural = _("农户订单")
        constraints = [
            models.UniqueConstraint(
                fields=["contract", "household"], name="household_contract_once"
            ),
            models.CheckConstraint(
                condition=models.Q(advance_left_fen__lte=models.F("advance_fen")),
                name="household_contract_advance_left",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.contract_id}:{self.household_id}"

    @property
    def area_mu(self) -> Decimal:
        return Decimal(self.area_centi_mu) / 100


class LotStatus(models.TextChoices):
    WEIGHED = "weighed", _("已过磅")
    GRADED = "graded", _("已定级")
    APPEALED = "appealed", _("申诉中")
    PAID = "paid", _("已结算")


class Delivery(models.Model):
    """A lot a household delivered: weighed, then graded (grader, sample figures, photo),
    open to appeal for the contract's appeal days, then paid."""

    household_contract = models.ForeignKey(
        HouseholdContract, on_delete=models.PROTECT, related_name="deliveries"
    )
    village_code = models.CharField(_("村代码"), max_length=12, db_index=True)
    delivered_on = models.DateField(_("交售日期"))
    weight_g = models.PositiveBigIntegerField(_("毛重（克）"), validators=[MinValueValidator(1)])
    status = models.CharField(
        _("状态"), max_length=10, choices=LotStatus.choices, default=LotStatus.WEIGHED
    )
    grade = models.CharField(_("等级"), max_length=20, blank=True)
    accepted_g = models.PositiveBigIntegerField(_("合格重量（克）"), default=0)
    sample = models.JSONField(_("抽样数据"), default=dict, blank=True)
    photo_sha256 = models.CharField(_("照片"), max_length=64, blank=True)
    grader = models.ForeignKey(_USER, null=True, on_delete=models.SET_NULL, related_name="+")
    graded_at = models.DateTimeField(_("定级时间"), null=True, blank=True)
    appeal_until = models.DateField(_("申诉截止"), null=True, blank=True)
    appeal_reason = models.CharField(_("申诉理由"), max_length=300, blank=True)
    appeal_outcome = models.CharField(_("申诉结果"), max_length=300, blank=True)
    recorded_by = models.ForeignKey(_USER, null=True, on_delete=models.SET_NULL, related_name="+")
    payment = models.ForeignKey(
        "Payment", null=True, blank=True, on_delete=models.PROTECT, related_name="lots"
    )
    price_fen = models.BigIntegerField(_("结算价（分/公斤）"), null=True, blank=True)
    value_fen = models.BigIntegerField(_("货款（分）"), null=True, blank=True)

    class Meta:
        verbose_name = _("交售批次")
        verbose_name_plural = _("交售批次")
        ordering = ["-delivered_on", "-pk"]
        permissions = [
            ("grade_delivery", _("可以定级交售批次")),
            ("appeal_delivery", _("可以为农户提出定级申诉")),
        ]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(accepted_g__lte=models.F("weight_g")),
                name="delivery_accepted_within_weight",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.household_contract_id} {self.delivered_on}"

    @property
    def weight_kg(self) -> Decimal:
        return Decimal(self.weight_g) / 1000

    @property
    def accepted_kg(self) -> Decimal:
        return Decimal(self.accepted_g) / 1000


class Payment(models.Model):
    """One payment to a household: Σ accepted kg × max(floor, market) − advances; its ledger
    entry holds the household only as a commitment."""

    household_contract = models.ForeignKey(
        HouseholdContract, on_delete=models.PROTECT, related_name="payments"
    )
    village_code = models.CharField(_("村代码"), max_length=12, db_index=True)
    gross_fen = models.BigIntegerField(_("货款（分）"), validators=_FEN)
    advance_recovered_fen = models.BigIntegerField(_("扣回预付（分）"), validators=_FEN)
    net_fen = models.BigIntegerField(_("实付（分）"), validators=_FEN)
    paid_at = models.DateTimeField(_("付款时间"))
    paid_by = models.ForeignKey(_USER, null=True, on_delete=models.SET_NULL, related_name="+")
    ledger_index = models.BigIntegerField(null=True, blank=True)

    class Meta:
        verbose_name = _("收购付款")
        verbose_name_plural = _("收购付款")
        ordering = ["-paid_at"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(
                    net_fen=models.F("gross_fen") - models.F("advance_recovered_fen")
                ),
                name="payment_net_is_gross_minus_advance",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.household_contract_id} {self.net_fen}"
