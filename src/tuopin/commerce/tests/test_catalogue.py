"""A supplier's writes to its own catalogue: products, listings, stock adjustments, photos."""

from __future__ import annotations

import io

import pytest
from PIL import Image

from tuopin.commerce import catalogue, orders, photos, services
from tuopin.commerce.errors import BadPrice, CommerceError, ProductNotFound, SupplierNotVerified
from tuopin.commerce.models import Listing, Product, ProductPhoto, StockAdjustment, StockRecord
from tuopin.commerce.tests.conftest import jpeg
from tuopin.core.errors import PermissionDenied, ValidationFailed
from tuopin.documents.errors import BadImage


def test_it_edits_a_product_keeping_its_sku_and_county(product, supplier_user):
    p = catalogue.update_product(
        product=product,
        name="巴东脐橙（特级）",
        category="fruit",
        unit="箱",
        weight_g=5000,
        story="长江边的橙园",
        grade_standard="果径 75 mm 以上",
        by=supplier_user,
    )
    p.refresh_from_db()
    assert (p.name, p.unit, p.weight_g, p.sku) == ("巴东脐橙（特级）", "箱", 5000, "BD-ORANGE")
    assert p.county_code == product.supplier.county_code


def test_another_suppliers_product_looks_like_it_does_not_exist(
    others_product, supplier_user, storefront
):
    with pytest.raises(ProductNotFound):
        catalogue.update_product(
            product=others_product, name="我的", category="other", by=supplier_user
        )
    with pytest.raises(ProductNotFound):
        services.adjust_stock(
            product=others_product, warehouse_name="", delta=5, reason="入库", by=supplier_user
        )
    with pytest.raises(ProductNotFound):
        services.publish_listing(
            product=others_product, outlet=storefront, price_fen=100, by=supplier_user
        )
    with pytest.raises(ProductNotFound):
        catalogue.add_product_photo(product=others_product, data=jpeg(), by=supplier_user)
    assert Product.objects.get(pk=others_product.pk).name == "安定马铃薯"
    assert not StockRecord.objects.filter(product=others_product).exists()


def test_a_county_officer_may_not_edit_products(product, county_officer):
    with pytest.raises(PermissionDenied):
        catalogue.update_product(product=product, name="x", category="fruit", by=county_officer)


def test_an_unverified_supplier_cannot_publish_but_may_keep_a_draft(
    others_product, operator, storefront
):
    with pytest.raises(SupplierNotVerified):
        services.publish_listing(
            product=others_product, outlet=storefront, price_fen=500, by=operator
        )
    draft = services.publish_listing(
        product=others_product, outlet=storefront, price_fen=500, published=False, by=operator
    )
    assert not draft.published


def test_a_price_of_zero_is_refused_and_the_old_price_stays(listing, storefront, supplier_user):
    with pytest.raises(BadPrice):
        services.publish_listing(
            product=listing.product, outlet=storefront, price_fen=0, by=supplier_user
        )
    assert Listing.objects.get(pk=listing.pk).price_fen == 2990


def test_it_unpublishes_a_listing(listing, storefront, supplier_user):
    services.publish_listing(
        product=listing.product,
        outlet=storefront,
        price_fen=2990,
        published=False,
        by=supplier_user,
    )
    assert not Listing.objects.get(pk=listing.pk).published


def test_an_adjustment_adds_units_with_its_reason(product, supplier_user):
    r = services.adjust_stock(
        product=product, warehouse_name="主仓", delta=15, reason="新采收入库", by=supplier_user
    )
    assert r.on_hand == 25
    last = StockAdjustment.objects.filter(stock=r).first()
    assert last is not None
    assert (last.delta, last.on_hand_after, last.reason, last.by) == (
        15,
        25,
        "新采收入库",
        supplier_user,
    )


def test_an_adjustment_never_goes_below_what_orders_hold(product, listing, buyer, supplier_user):
    orders.place_order(wanted=[orders.Wanted(listing.pk, 4)], ship_to="", by=buyer)
    with pytest.raises(CommerceError) as err:
        services.adjust_stock(
            product=product, warehouse_name="主仓", delta=-7, reason="损耗", by=supplier_user
        )
    assert err.value.code == "stock_below_allocated"
    r = StockRecord.objects.get(product=product)
    assert (r.on_hand, r.allocated) == (10, 4)
    assert not StockAdjustment.objects.filter(stock=r, delta=-7).exists()
    ok = services.adjust_stock(
        product=product, warehouse_name="主仓", delta=-6, reason="损耗", by=supplier_user
    )
    assert ok.available == 0


@pytest.mark.parametrize(("delta", "reason"), [(0, "盘点"), (5, " ")])
def test_an_adjustment_needs_units_and_a_reason(product, supplier_user, delta, reason):
    with pytest.raises(ValidationFailed):
        services.adjust_stock(
            product=product, warehouse_name="主仓", delta=delta, reason=reason, by=supplier_user
        )


def test_a_stock_count_is_recorded_as_an_adjustment(product, supplier_user):
    services.set_stock(product=product, warehouse_name="主仓", on_hand=7, by=supplier_user)
    last = StockAdjustment.objects.filter(stock__product=product).first()
    assert last is not None
    assert (last.delta, last.on_hand_after, last.reason) == (-3, 7, "盘点")


def test_a_photo_is_turned_upright_and_loses_its_exif(product, supplier_user):
    # Orientation 6: the camera was held upright, the pixels lie on their side.
    photo = catalogue.add_product_photo(
        product=product, data=jpeg(400, 200, orientation=6, gps=True), by=supplier_user
    )
    assert (photo.width, photo.height) == (200, 400)
    stored = photos.path_of(photo.sha256).read_bytes()
    with Image.open(io.BytesIO(stored)) as img:
        assert img.format == "JPEG"
        assert img.size == (200, 400)
        assert not img.getexif()
    assert photos.path_of(photo.sha256, thumb=True).exists()
    product.refresh_from_db()
    assert product.photo_sha256 == photo.sha256


def test_a_big_photo_is_scaled_down(product, supplier_user):
    photo = catalogue.add_product_photo(product=product, data=jpeg(3000, 1000), by=supplier_user)
    assert (photo.width, photo.height) == (photos.MAX_SIDE, photos.MAX_SIDE // 3)


@pytest.mark.parametrize(
    ("data", "code"),
    [(b"not a photo", "not_an_image"), (b"", "empty_file"), ("small", "image_too_small")],
)
def test_it_refuses_what_is_not_a_photo(product, supplier_user, data, code):
    if data == "small":
        data = jpeg(80, 60)
    with pytest.raises(BadImage) as err:
        catalogue.add_product_photo(product=product, data=data, by=supplier_user)
    assert err.value.code == code
    assert not ProductPhoto.objects.exists()


def test_it_refuses_a_truncated_photo(product, supplier_user):
    data = jpeg(600, 400)
    with pytest.raises(BadImage):
        catalogue.add_product_photo(product=product, data=data[: len(data) // 2], by=supplier_user)


def test_the_same_photo_twice_is_stored_once(product, supplier_user):
    a = catalogue.add_product_photo(product=product, data=jpeg(), by=supplier_user)
    b = catalogue.add_product_photo(product=product, data=jpeg(), by=supplier_user)
    assert a.pk == b.pk
    assert ProductPhoto.objects.count() == 1


def test_a_product_has_at_most_eight_photos(product, supplier_user):
    for i in range(photos.MAX_PHOTOS):
        catalogue.add_product_photo(product=product, data=jpeg(300 + i, 200), by=supplier_user)
    with pytest.raises(ValidationFailed) as err:
        catalogue.add_product_photo(product=product, data=jpeg(500, 200), by=supplier_user)
    assert err.value.code == "too_many_photos"


def test_removing_the_cover_makes_the_next_photo_the_cover(
    product, supplier_user, django_capture_on_commit_callbacks
):
    first = catalogue.add_product_photo(product=product, data=jpeg(300, 200), by=supplier_user)
    second = catalogue.add_product_photo(product=product, data=jpeg(320, 200), by=supplier_user)
    with django_capture_on_commit_callbacks(execute=True):
        catalogue.remove_product_photo(photo=first, by=supplier_user)
    product.refresh_from_db()
    assert product.photo_sha256 == second.sha256
    assert not photos.path_of(first.sha256).exists()
