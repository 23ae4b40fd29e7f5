"""Writes a supplier makes to its own products after creating them (``services.create_product``):
editing the product and its photos. Each checks its actor: another supplier's product looks
exactly like one that does not exist."""

from __future__ import annotations

import contextlib
from typing import TYPE_CHECKING

from django.db import transaction
from django.utils.translation import gettext as _

from tuopin.accounts import permissions
from tuopin.core.errors import ValidationFailed

from . import photos
from .models import Category, Product, ProductPhoto
from .services import require_product

if TYPE_CHECKING:
    from tuopin.accounts.models import User


@transaction.atomic
def update_product(
    *,
    product: Product,
    name: str,
    category: str,
    unit: str = "件",
    weight_g: int = 0,
    story: str = "",
    grade_standard: str = "",
    by: User,
) -> Product:
    """Change what the catalogue says of a product. Its SKU (how outlets' statements name it)
    and its county of origin (its supplier's) stay as they are."""
    permissions.require(by, "commerce.change_product")
    require_product(by, product)
    name = name.strip()
    if not name:
        raise ValidationFailed(_("请填写商品名称"), code="name_required")
    if category not in Category.values:
        raise ValidationFailed(_("未知的类目：%(c)s") % {"c": category}, code="bad_category")
    if not isinstance(weight_g, int) or weight_g < 0:
        raise ValidationFailed(_("重量不能为负"), code="bad_weight")
    locked = Product.objects.select_for_update().get(pk=product.pk)
    locked.name = name[:100]
    locked.category = category
    locked.unit = unit.strip()[:10] or "件"
    locked.weight_g = weight_g
    locked.story = story.strip()
    locked.grade_standard = grade_standard.strip()[:200]
    locked.save(update_fields=["name", "category", "unit", "weight_g", "story", "grade_standard"])
    return locked


@transaction.atomic
def add_product_photo(*, product: Product, data: bytes, by: User) -> ProductPhoto:
    """Check, straighten and re-encode a photo (:mod:`.photos`) and add it to the product; the
    first photo becomes the product's cover. The same picture again returns the photo already
    there. Refused past :data:`photos.MAX_PHOTOS` (the product row is locked while counting)."""
    permissions.require(by, "commerce.change_product")
    require_product(by, product)
    prepared = photos.prepare(data)  # BadImage before anything is written
    locked = Product.objects.select_for_update().get(pk=product.pk)
    existing = ProductPhoto.objects.filter(product=locked, sha256=prepared.sha256).first()
    if existing is not None:
        return existing
    count = ProductPhoto.objects.filter(product=locked).count()
    if count >= photos.MAX_PHOTOS:
        raise ValidationFailed(
            _("每个商品最多 %(n)s 张图片，请先删除一张") % {"n": photos.MAX_PHOTOS},
            code="too_many_photos",
        )
    created = photos.write(prepared)
    try:
        photo = ProductPhoto.objects.create(
            product=locked,
            sha256=prepared.sha256,
            width=prepared.width,
            height=prepared.height,
            size_bytes=len(prepared.data),
            position=count,
            added_by=by,
        )
        if not locked.photo_sha256:
            locked.photo_sha256 = prepared.sha256
            locked.save(update_fields=["photo_sha256"])
    except BaseException:
        if created:
            photos.remove(prepared.sha256)
        raise
    return photo


@transaction.atomic
def remove_product_photo(*, photo: ProductPhoto, by: User) -> None:
    """Take a photo off a product; the next one becomes the cover. The file goes once no
    product shows it any more (after the commit)."""
    permissions.require(by, "commerce.change_product")
    product = photo.product
    require_product(by, product)
    locked = Product.objects.select_for_update().get(pk=product.pk)
    ProductPhoto.objects.filter(pk=photo.pk, product=locked).delete()
    if locked.photo_sha256 == photo.sha256:
        nxt = ProductPhoto.objects.filter(product=locked).order_by("position", "id").first()
        locked.photo_sha256 = nxt.sha256 if nxt else ""
        locked.save(update_fields=["photo_sha256"])
    sha = photo.sha256

    def forget() -> None:
        if not ProductPhoto.objects.filter(sha256=sha).exists():
            with contextlib.suppress(OSError):
                photos.remove(sha)

    transaction.on_commit(forget)
