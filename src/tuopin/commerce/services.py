"""Writes of the commerce app: suppliers and their verification, members, products, listings,
outlets and stock. Orders, payments, refunds and payouts are in :mod:`.orders`."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from tuopin.accounts import permissions, scoping
from tuopin.areas import codes
from tuopin.areas import selectors as areas
from tuopin.core.errors import NotFound, ValidationFailed
from tuopin.core.money import MAX_FEN

from .errors import (
    BadPrice,
    CommerceError,
    ProductNotFound,
    SupplierNotFound,
    SupplierNotVerified,
)
from .models import (
    Category,
    Listing,
    Outlet,
    OutletKind,
    Product,
    StockAdjustment,
    StockRecord,
    Supplier,
    SupplierKind,
    SupplierMember,
    Warehouse,
)

if TYPE_CHECKING:
    from tuopin.accounts.models import User


def may_manage(user: User, supplier: Supplier) -> bool:
    """Whether ``user`` acts for ``supplier``: one of its own accounts, or an officer or operator
    whose scope covers its county."""
    if not user.is_authenticated:
        return False
    if supplier.users.filter(pk=user.pk).exists():
        return True
    prefixes = scoping.area_prefixes(user)
    return (prefixes is None or bool(prefixes)) and scoping.covers(user, supplier.county_code)


def _require_manage(user: User, supplier: Supplier) -> None:
    if not may_manage(user, supplier):
        raise SupplierNotFound(_("供应商不存在或不在您的管辖范围内"))


def require_product(user: User, product: Product) -> None:
    """Another supplier's product (or one outside the officer's area) looks exactly like a
    product that does not exist."""
    if not may_manage(user, product.supplier):
        raise ProductNotFound(_("商品不存在"))


def _county(code: str) -> str:
    try:
        area = areas.get_area((code or "").strip())
    except NotFound:
        area = None
    if area is None or area.level != codes.COUNTY:
        raise ValidationFailed(_("未知的县：%(c)s") % {"c": code}, code="unknown_county")
    return area.code


@transaction.atomic
def create_supplier(
    *, kind: str, name: str, county_code: str, story: str = "", by: User
) -> Supplier:
    """Register a cooperative or county enterprise in a county of the officer's scope."""
    permissions.require(by, "commerce.add_supplier")
    if kind not in SupplierKind.values:
        raise ValidationFailed(_("未知的供应商类型：%(k)s") % {"k": kind}, code="bad_kind")
    name = name.strip()
    if not name:
        raise ValidationFailed(_("请填写名称"), code="name_required")
    county_code = _county(county_code)
    if not scoping.covers(by, county_code):
        raise ValidationFailed(_("该县不在您的管辖范围内"), code="out_of_scope")
    if Supplier.objects.filter(county_code=county_code, name=name).exists():
        raise ValidationFailed(_("本县已有同名供应商"), code="duplicate_supplier")
    return Supplier.objects.create(kind=kind, name=name, county_code=county_code, story=story)


@transaction.atomic
def verify_supplier(*, supplier: Supplier, by: User) -> Supplier:
    """A county officer checks the supplier (licence, members) and lets it sell."""
    permissions.require(by, "commerce.verify_supplier")
    if not scoping.covers(by, supplier.county_code):
        raise SupplierNotFound(_("供应商不存在或不在您的管辖范围内"))
    locked = Supplier.objects.select_for_update().get(pk=supplier.pk)
    if locked.verified_at is None:
        locked.verified_at = timezone.now()
        locked.verified_by = by
        locked.save(update_fields=["verified_at", "verified_by"])
    return locked


@transaction.atomic
def add_members(
    *, supplier: Supplier, household_ids: list[int], joined_on: dt.date | None = None, by: User
) -> int:
    """Enrol registered households of the supplier's county as members (set-based; repeats
    are ignored). Returns how many were added."""
    permissions.require(by, "commerce.change_supplier")
    if not scoping.covers(by, supplier.county_code):
        raise SupplierNotFound(_("供应商不存在或不在您的管辖范围内"))
    from tuopin.registry.models import Household

    found = set(
        Household.objects.filter(
            pk__in=household_ids, village__code__startswith=supplier.county_code[:6]
        ).values_list("pk", flat=True)
    )
    missing = sorted(set(household_ids) - found)
    if missing:
        raise ValidationFailed(
            _("这些户不在本县：%(ids)s") % {"ids": ", ".join(map(str, missing[:10]))},
            code="household_not_in_county",
        )
    have = set(
        SupplierMember.objects.filter(supplier=supplier).values_list("household_id", flat=True)
    )
    new = [
        SupplierMember(supplier=supplier, household_id=h, joined_on=joined_on)
        for h in sorted(found - have)
    ]
    SupplierMember.objects.bulk_create(new)
    return len(new)


def add_user(*, supplier: Supplier, user: User, by: User) -> None:
    """Give ``user`` (who holds the supplier role) the right to act for ``supplier``."""
    permissions.require(by, "commerce.change_supplier")
    if not scoping.covers(by, supplier.county_code):
        raise SupplierNotFound(_("供应商不存在或不在您的管辖范围内"))
    supplier.users.add(user)


@transaction.atomic
def create_product(
    *,
    supplier: Supplier,
    sku: str,
    name: str,
    category: str,
    unit: str = "件",
    weight_g: int = 0,
    story: str = "",
    grade_standard: str = "",
    county_code: str = "",
    by: User,
) -> Product:
    """Add a product of the supplier's county (or of ``county_code``) to the catalogue."""
    permissions.require(by, "commerce.add_product")
    _require_manage(by, supplier)
    if category not in Category.values:
        raise ValidationFailed(_("未知的类目：%(c)s") % {"c": category}, code="bad_category")
    sku, name = sku.strip(), name.strip()
    if not sku or not name:
        raise ValidationFailed(_("请填写商品编码和名称"), code="name_required")
    if Product.objects.filter(sku=sku).exists():
        raise ValidationFailed(_("商品编码已被使用：%(s)s") % {"s": sku}, code="duplicate_sku")
    if weight_g < 0:
        raise ValidationFailed(_("重量不能为负"), code="bad_weight")
    return Product.objects.create(
        supplier=supplier,
        sku=sku,
        name=name,
        category=category,
        county_code=_county(county_code or supplier.county_code),
        unit=unit.strip()[:10] or "件",
        weight_g=weight_g,
        story=story,
        grade_standard=grade_standard.strip()[:200],
    )


@transaction.atomic
def create_outlet(*, code: str, name: str, kind: str, by: User) -> Outlet:
    permissions.require(by, "commerce.add_outlet")
    if kind not in OutletKind.values:
        raise ValidationFailed(_("未知的渠道类型：%(k)s") % {"k": kind}, code="bad_kind")
    code = code.strip().upper()
    if not code or Outlet.objects.filter(code=code).exists():
        raise ValidationFailed(_("渠道代码为空或已被使用"), code="duplicate_outlet")
    return Outlet.objects.create(code=code, name=name.strip(), kind=kind)


@transaction.atomic
def publish_listing(
    *,
    product: Product,
    outlet: Outlet,
    price_fen: int,
    available_from: dt.date | None = None,
    published: bool = True,
    by: User,
) -> Listing:
    """Put a product on an outlet at a price (or change it). A supplier must be verified before
    any of its products is published."""
    permissions.require(by, "commerce.add_listing")
    supplier = product.supplier
    require_product(by, product)
    if (
        published
        and not Supplier.objects.filter(pk=supplier.pk, verified_at__isnull=False).exists()
    ):
        raise SupplierNotVerified(
            _("供应商“%(s)s”尚未通过县扶贫办核验，商品不能上架") % {"s": supplier.name}
        )
    if (
        not isinstance(price_fen, int)
        or isinstance(price_fen, bool)
        or not 0 < price_fen <= MAX_FEN
    ):
        raise BadPrice(_("价格必须大于零"))
    listing, _created = Listing.objects.update_or_create(
        product=product,
        outlet=outlet,
        defaults={"price_fen": price_fen, "available_from": available_from, "published": published},
    )
    return listing


MAX_UNITS = 100_000_000  # units of one product in one warehouse


def _warehouse(supplier: Supplier, name: str) -> Warehouse:
    name = name.strip()[:100] or _("主仓")
    warehouse, _c = Warehouse.objects.get_or_create(supplier=supplier, name=name)
    return warehouse


def _below_allocated(record: StockRecord) -> CommerceError:
    record.refresh_from_db()
    return CommerceError(
        _("库存不能少于未完成订单占用的数量（%(a)s），现有库存 %(h)s")
        % {"a": record.allocated, "h": record.on_hand},
        code="stock_below_allocated",
    )


@transaction.atomic
def set_stock(
    *, product: Product, warehouse_name: str, on_hand: int, reason: str = "", by: User
) -> StockRecord:
    """Set the units on hand of a product in one of its supplier's warehouses (a stock count,
    盘点), recorded as a :class:`StockAdjustment`. Refused below the units open orders hold;
    the check is in the UPDATE itself (orders allocate without a lock)."""
    permissions.require(by, "commerce.change_stockrecord")
    require_product(by, product)
    if not isinstance(on_hand, int) or not 0 <= on_hand <= MAX_UNITS:
        raise ValidationFailed(
            _("库存应在 0 到 %(max)s 之间") % {"max": MAX_UNITS}, code="bad_stock"
        )
    warehouse = _warehouse(product.supplier, warehouse_name)
    record, _c = StockRecord.objects.get_or_create(product=product, warehouse=warehouse)
    before = StockRecord.objects.select_for_update().get(pk=record.pk).on_hand
    updated = StockRecord.objects.filter(pk=record.pk, allocated__lte=on_hand).update(
        on_hand=on_hand
    )
    if not updated:
        raise _below_allocated(record)
    record.refresh_from_db()
    StockAdjustment.objects.create(
        stock=record,
        delta=on_hand - before,
        on_hand_after=on_hand,
        reason=(reason.strip() or _("盘点"))[:200],
        at=timezone.now(),
        by=by,
    )
    return record


@transaction.atomic
def adjust_stock(
    *, product: Product, warehouse_name: str, delta: int, reason: str, by: User
) -> StockRecord:
    """Add units to a warehouse's stock (入库) or take them out (损耗、出库) with a reason.
    Never below what open orders hold: one conditional UPDATE
    (``on_hand + delta >= allocated``), so a concurrent order cannot slip in between."""
    permissions.require(by, "commerce.change_stockrecord")
    require_product(by, product)
    reason = reason.strip()
    if not reason:
        raise ValidationFailed(_("请填写调整原因"), code="reason_required")
    if not isinstance(delta, int) or isinstance(delta, bool) or delta == 0:
        raise ValidationFailed(_("调整数量不能为零"), code="bad_quantity")
    if abs(delta) > MAX_UNITS:
        raise ValidationFailed(
            _("一次最多调整 %(max)s 件") % {"max": MAX_UNITS}, code="bad_quantity"
        )
    warehouse = _warehouse(product.supplier, warehouse_name)
    record, _c = StockRecord.objects.get_or_create(product=product, warehouse=warehouse)
    updated = StockRecord.objects.filter(
        pk=record.pk,
        on_hand__gte=F("allocated") - delta,
        on_hand__lte=MAX_UNITS - delta,
    ).update(on_hand=F("on_hand") + delta)
    if not updated:
        raise _below_allocated(record)
    record.refresh_from_db()
    StockAdjustment.objects.create(
        stock=record,
        delta=delta,
        on_hand_after=record.on_hand,
        reason=reason[:200],
        at=timezone.now(),
        by=by,
    )
    return record
