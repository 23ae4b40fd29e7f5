"""Models of the commerce app (兴农扶贫 channel): suppliers and cooperatives with their member
households, products of poor counties, outlets and per-outlet listings, stock, storefront orders
with payments and refunds, supplier payouts, and outlets' imported sales statements.

The farming app builds on ``Supplier``, ``Product``, ``Outlet``, ``Listing`` and ``SalesLine``:
change them additively only."""

from __future__ import annotations

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from tuopin.core.money import MAX_FEN

_FEN = [MinValueValidator(0), MaxValueValidator(MAX_FEN)]


class SupplierKind(models.TextChoices):
    COOPERATIVE = "cooperative", _("合作社")
    ENTERPRISE = "enterprise", _("县域企业")


class Supplier(models.Model):
    """A cooperative (合作社) or county enterprise that sells a poor county's produce. It may
    list products only once a county officer has verified it (``verified_at``)."""

    kind = models.CharField(_("类型"), max_length=12, choices=SupplierKind.choices)
    name = models.CharField(_("名称"), max_length=100)
    county_code = models.CharField(_("县代码"), max_length=12, db_index=True)
    story = models.TextField(_("介绍"), blank=True)
    verified_at = models.DateTimeField(_("核验时间"), null=True, blank=True)
    verified_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("核验人"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    members = models.ManyToManyField(
        "registry.Household",
        through="SupplierMember",
        verbose_name=_("成员户"),
        related_name="+",
        blank=True,
    )
    users = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("账号"),
        related_name="commerce_suppliers",
        blank=True,
        help_text=_("以供应商身份登录、管理本社商品和订单的账号"),
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("供应商")
        verbose_name_plural = _("供应商")
        ordering = ["county_code", "name"]
        permissions = [("verify_supplier", _("可以核验供应商"))]
        constraints = [
            models.UniqueConstraint(fields=["county_code", "name"], name="supplier_unique_name"),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def verified(self) -> bool:
        return self.verified_at is not None


class SupplierMember(models.Model):
    """A registered household that is a member of a cooperative (社员户)."""

    supplier = models.ForeignKey(Supplier, on_delete=models.CASCADE, related_name="memberships")
    household = models.ForeignKey("registry.Household", on_delete=models.PROTECT, related_name="+")
    joined_on = models.DateField(_("入社日期"), null=True, blank=True)

    class Meta:
        verbose_name = _("社员户")
        verbose_name_plural = _("社员户")
        constraints = [
            models.UniqueConstraint(fields=["supplier", "household"], name="supplier_member_once"),
        ]

    def __str__(self) -> str:
        return f"{self.supplier_id}:{self.household_id}"


class Category(models.TextChoices):
    FRUIT = "fruit", _("水果")
    GRAIN = "grain", _("粮油")
    TEA = "tea", _("茶叶")
    MEAT = "meat", _("肉禽蛋")
    VEGETABLE = "vegetable", _("蔬菜菌菇")
    DRIED = "dried", _("干货特产")
    HONEY = "honey", _("蜂蜜")
    CRAFT = "craft", _("手工艺品")
    OTHER = "other", _("其他")


class Product(models.Model):
    """A product of a poor county (e.g. 巴楚留香瓜), sold by one supplier. ``sku`` is how outlets'
    sales statements name it."""

    sku = models.CharField(_("商品编码"), max_length=32, unique=True)
    name = models.CharField(_("名称"), max_length=100)
    category = models.CharField(_("类目"), max_length=12, choices=Category.choices)
    county_code = models.CharField(_("产地县代码"), max_length=12, db_index=True)
    supplier = models.ForeignKey(
        Supplier, verbose_name=_("供应商"), on_delete=models.PROTECT, related_name="products"
    )
    unit = models.CharField(_("单位"), max_length=10, default="件")
    weight_g = models.PositiveIntegerField(_("重量（克）"), default=0)
    story = models.TextField(_("产品故事"), blank=True)
    grade_standard = models.CharField(_("分级标准"), max_length=200, blank=True)
    photo_sha256 = models.CharField(_("图片"), max_length=64, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("商品")
        verbose_name_plural = _("商品")
        ordering = ["county_code", "name"]
        indexes = [models.Index(fields=["category"], name="product_category")]

    def __str__(self) -> str:
        return self.name


class OutletKind(models.TextChoices):
    ONLINE = "online", _("线上")
    OFFLINE = "offline", _("线下")


class Outlet(models.Model):
    """A sales outlet (天猫超市, 盒马, 大润发…); ``code`` is how statements name it. The
    platform's own storefront is the outlet with code ``STORE``."""

    code = models.CharField(_("渠道代码"), max_length=20, unique=True)
    name = models.CharField(_("名称"), max_length=100)
    kind = models.CharField(_("类型"), max_length=8, choices=OutletKind.choices)

    class Meta:
        verbose_name = _("销售渠道")
        verbose_name_plural = _("销售渠道")
        ordering = ["code"]

    def __str__(self) -> str:
        return self.name


STOREFRONT_OUTLET = "STORE"


class Listing(models.Model):
    """A product on one outlet: its price there, whether it is published, and from when."""

    product = models.ForeignKey(Product, on_delete=models.CASCADE, related_name="listings")
    outlet = models.ForeignKey(Outlet, on_delete=models.PROTECT, related_name="listings")
    published = models.BooleanField(_("已上架"), default=False)
    price_fen = models.BigIntegerField(
        _("价格（分）"), validators=[MinValueValidator(1), MaxValueValidator(MAX_FEN)]
    )
    available_from = models.DateField(_("上架日期"), null=True, blank=True)

    class Meta:
        verbose_name = _("渠道商品")
        verbose_name_plural = _("渠道商品")
        constraints = [
            models.UniqueConstraint(fields=["product", "outlet"], name="listing_once_per_outlet"),
            models.CheckConstraint(
                condition=models.Q(price_fen__gt=0) & models.Q(price_fen__lte=MAX_FEN),
                name="listing_price_positive",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.product_id}@{self.outlet_id}"


class Warehouse(models.Model):
    """A supplier's warehouse (仓库), where its stock sits."""

    supplier = models.ForeignKey(Supplier, on_delete=models.CASCADE, related_name="warehouses")
    name = models.CharField(_("名称"), max_length=100)

    class Meta:
        verbose_name = _("仓库")
        verbose_name_plural = _("仓库")
        constraints = [
            models.UniqueConstraint(fields=["supplier", "name"], name="warehouse_unique_name"),
        ]

    def __str__(self) -> str:
        return self.name


class StockRecord(models.Model):
    """Units of one product in one warehouse. ``allocated`` units are held by open orders; an
    order allocates with a conditional UPDATE (``allocated + n <= on_hand``), so concurrent
    orders never oversell."""

    product = models.ForeignKey(Product, on_delete=models.CASCADE, related_name="stock")
    warehouse = models.ForeignKey(Warehouse, on_delete=models.CASCADE, related_name="stock")
    on_hand = models.PositiveIntegerField(_("库存"), default=0)
    allocated = models.PositiveIntegerField(_("已占用"), default=0)

    class Meta:
        verbose_name = _("库存")
        verbose_name_plural = _("库存")
        constraints = [
            models.UniqueConstraint(fields=["product", "warehouse"], name="stock_once"),
            models.CheckConstraint(
                condition=models.Q(allocated__lte=models.F("on_hand")), name="stock_no_oversell"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.product_id}/{self.warehouse_id}"

    @property
    def available(self) -> int:
        return self.on_hand - self.allocated


class StockAdjustment(models.Model):
    """One change of a stock record's units on hand (入库、损耗、盘点), with its reason
    (append-only: the stock's history)."""

    stock = models.ForeignKey(StockRecord, on_delete=models.CASCADE, related_name="adjustments")
    delta = models.IntegerField(_("变动数量"))
    on_hand_after = models.PositiveIntegerField(_("变动后库存"))
    reason = models.CharField(_("原因"), max_length=200)
    at = models.DateTimeField(_("时间"))
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        verbose_name = _("库存调整")
        verbose_name_plural = _("库存调整")
        ordering = ["-at", "-id"]

    def __str__(self) -> str:
        return f"{self.stock_id}: {self.delta:+d}"


class ProductPhoto(models.Model):
    """A photo of a product, re-encoded (upright, no EXIF) and stored by the SHA-256 of the
    stored bytes under ``MEDIA_ROOT/catalogue/``; shown on the product page and the
    storefront's cards (the first one, ``Product.photo_sha256``)."""

    product = models.ForeignKey(Product, on_delete=models.CASCADE, related_name="photos")
    sha256 = models.CharField(_("内容哈希"), max_length=64)
    width = models.PositiveIntegerField(_("宽"))
    height = models.PositiveIntegerField(_("高"))
    size_bytes = models.PositiveIntegerField(_("大小（字节）"))
    position = models.PositiveSmallIntegerField(_("顺序"), default=0)
    added_at = models.DateTimeField(_("上传时间"), auto_now_add=True)
    added_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        verbose_name = _("商品图片")
        verbose_name_plural = _("商品图片")
        ordering = ["position", "id"]
        constraints = [
            models.UniqueConstraint(fields=["product", "sha256"], name="product_photo_once"),
        ]
        indexes = [models.Index(fields=["sha256"], name="product_photo_sha256")]

    def __str__(self) -> str:
        return f"{self.product_id}:{self.sha256[:12]}"


class OrderStatus(models.TextChoices):
    PLACED = "placed", _("已下单")
    PAID = "paid", _("已付款")
    SHIPPED = "shipped", _("已发货")
    DELIVERED = "delivered", _("已送达")
    COMPLETED = "completed", _("已完成")
    CANCELLED = "cancelled", _("已取消")
    REFUNDED = "refunded", _("已退款")


class Order(models.Model):
    """A storefront order (one supplier per order, so payouts and scoping stay simple)."""

    number = models.CharField(_("订单号"), max_length=24, unique=True)
    supplier = models.ForeignKey(
        Supplier, verbose_name=_("供应商"), on_delete=models.PROTECT, related_name="orders"
    )
    buyer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("买家"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="commerce_orders",
    )
    ship_to = models.CharField(_("收货信息"), max_length=300, blank=True)
    status = models.CharField(
        _("状态"), max_length=10, choices=OrderStatus.choices, default=OrderStatus.PLACED
    )
    total_fen = models.BigIntegerField(_("金额（分）"), validators=_FEN)
    placed_at = models.DateTimeField(_("下单时间"))
    paid_at = models.DateTimeField(_("付款时间"), null=True, blank=True)
    closed_at = models.DateTimeField(_("关闭时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("订单")
        verbose_name_plural = _("订单")
        ordering = ["-placed_at", "-id"]
        permissions = [
            ("advance_order", _("可以推进订单状态")),
            ("record_payment", _("可以登记线下付款")),
        ]
        indexes = [models.Index(fields=["supplier", "status"], name="order_supplier_status")]
        constraints = [
            models.CheckConstraint(condition=models.Q(total_fen__gte=0), name="order_total_gte_0"),
        ]

    def __str__(self) -> str:
        return self.number


class OrderLine(models.Model):
    order = models.ForeignKey(Order, on_delete=models.CASCADE, related_name="lines")
    listing = models.ForeignKey(Listing, on_delete=models.PROTECT, related_name="+")
    product = models.ForeignKey(Product, on_delete=models.PROTECT, related_name="order_lines")
    stock = models.ForeignKey(StockRecord, on_delete=models.PROTECT, related_name="+")
    quantity = models.PositiveIntegerField(_("数量"), validators=[MinValueValidator(1)])
    unit_price_fen = models.BigIntegerField(_("单价（分）"), validators=_FEN)
    line_total_fen = models.BigIntegerField(_("小计（分）"), validators=_FEN)

    class Meta:
        verbose_name = _("订单行")
        verbose_name_plural = _("订单行")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(quantity__gte=1), name="order_line_qty_gte_1"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.order_id}:{self.product_id}×{self.quantity}"


class OrderEvent(models.Model):
    """One step of an order through the pipeline (append-only history)."""

    order = models.ForeignKey(Order, on_delete=models.CASCADE, related_name="events")
    from_status = models.CharField(max_length=10, blank=True)
    to_status = models.CharField(max_length=10)
    at = models.DateTimeField()
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    note = models.CharField(max_length=200, blank=True)

    class Meta:
        ordering = ["at", "id"]

    def __str__(self) -> str:
        return f"{self.order_id}: {self.from_status}→{self.to_status}"


class Payment(models.Model):
    """Money received for an order through a payment method (``tuopin.commerce.payments``)."""

    order = models.ForeignKey(Order, on_delete=models.PROTECT, related_name="payments")
    method = models.CharField(_("支付方式"), max_length=20)
    reference = models.CharField(_("支付流水号"), max_length=64)
    amount_fen = models.BigIntegerField(_("金额（分）"), validators=_FEN)
    at = models.DateTimeField(_("时间"))
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    ledger_index = models.BigIntegerField(null=True, blank=True)

    class Meta:
        verbose_name = _("付款")
        verbose_name_plural = _("付款")
        constraints = [
            models.UniqueConstraint(fields=["method", "reference"], name="payment_reference_once"),
            models.CheckConstraint(
                condition=models.Q(amount_fen__gt=0), name="payment_amount_gt_0"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.method}:{self.reference}"


class OrderRefund(models.Model):
    """Money returned to the buyer of an order; deducted from the supplier's next payout."""

    order = models.ForeignKey(Order, on_delete=models.PROTECT, related_name="refunds")
    amount_fen = models.BigIntegerField(_("金额（分）"), validators=_FEN)
    at = models.DateTimeField(_("时间"))
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    ledger_index = models.BigIntegerField(null=True, blank=True)

    class Meta:
        verbose_name = _("退款")
        verbose_name_plural = _("退款")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(amount_fen__gt=0), name="order_refund_amount_gt_0"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.order_id}:-{self.amount_fen}"


class Payout(models.Model):
    """What the platform pays a supplier for one period: payments received minus refunds made
    in that period. Each payout is a ledger entry."""

    supplier = models.ForeignKey(Supplier, on_delete=models.PROTECT, related_name="payouts")
    period_start = models.DateField(_("起始日"))
    period_end = models.DateField(_("截止日"))
    gross_fen = models.BigIntegerField(_("货款（分）"), validators=_FEN)
    refunds_fen = models.BigIntegerField(_("退款（分）"), validators=_FEN)
    net_fen = models.BigIntegerField(_("应付（分）"))
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    ledger_index = models.BigIntegerField(null=True, blank=True)

    class Meta:
        verbose_name = _("供应商结算")
        verbose_name_plural = _("供应商结算")
        ordering = ["-period_end", "supplier_id"]
        constraints = [
            models.UniqueConstraint(
                fields=["supplier", "period_start"], name="payout_once_per_period"
            ),
            models.CheckConstraint(
                condition=models.Q(period_end__gte=models.F("period_start")),
                name="payout_period_order",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.supplier_id} {self.period_start}–{self.period_end}"


class SalesStatement(models.Model):
    """One outlet sales statement file as imported; ``digest`` (SHA-256 of the file) makes the
    same statement imported twice a refusal, not double counting."""

    digest = models.CharField(_("文件摘要"), max_length=64, unique=True)
    filename = models.CharField(_("文件名"), max_length=200)
    imported_at = models.DateTimeField(_("导入时间"))
    imported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    total_lines = models.PositiveIntegerField(_("总行数"), default=0)
    accepted = models.PositiveIntegerField(_("导入行数"), default=0)
    rejected = models.PositiveIntegerField(_("拒绝行数"), default=0)
    errors = models.JSONField(_("拒绝的行"), default=list, blank=True)

    class Meta:
        verbose_name = _("销售对账单")
        verbose_name_plural = _("销售对账单")
        ordering = ["-imported_at"]
        permissions = [("view_sales_statistics", _("可以查看销售统计"))]

    def __str__(self) -> str:
        return self.filename


class SalesLine(models.Model):
    """One line of an outlet's sales statement: a day's sales of a product at an outlet.
    ``(statement, line_no)`` is the line's source key."""

    statement = models.ForeignKey(SalesStatement, on_delete=models.CASCADE, related_name="lines")
    line_no = models.PositiveIntegerField(_("行号"))
    date = models.DateField(_("日期"))
    outlet = models.ForeignKey(Outlet, on_delete=models.PROTECT, related_name="sales")
    product = models.ForeignKey(Product, on_delete=models.PROTECT, related_name="sales")
    county_code = models.CharField(_("县代码"), max_length=12)
    quantity = models.IntegerField(_("数量"))
    amount_fen = models.BigIntegerField(_("金额（分）"))

    class Meta:
        verbose_name = _("销售明细")
        verbose_name_plural = _("销售明细")
        constraints = [
            models.UniqueConstraint(fields=["statement", "line_no"], name="sales_line_source_key"),
        ]
        indexes = [
            models.Index(fields=["county_code", "date"], name="sales_line_county_date"),
            models.Index(fields=["product", "outlet", "date"], name="sales_line_product_outlet"),
        ]

    def __str__(self) -> str:
        return f"{self.statement_id}:{self.line_no}"
