"""The supplier's catalogue pages, the payouts page and the catalogue API, through the client."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from tuopin.accounts import services as accounts
from tuopin.commerce import orders
from tuopin.commerce.models import Listing, Payout, Product, ProductPhoto, StockRecord
from tuopin.commerce.tests.conftest import jpeg


@pytest.fixture
def phone(supplier_user) -> Client:  # type: ignore[no-untyped-def]
    c = Client(HTTP_ACCEPT_LANGUAGE="zh-hans")
    c.force_login(supplier_user)
    return c


def _manage(product: Product) -> str:
    return reverse("commerce:manage_product", kwargs={"product_id": product.pk})


def test_it_adds_a_product_of_the_suppliers_county(phone, coop):
    url = reverse("commerce:product_new", kwargs={"supplier_id": coop.pk})
    r = phone.post(
        url,
        {"sku": "BD-TEA", "name": "巴东绿茶", "category": "tea", "unit": "盒", "weight_g": "250"},
    )
    p = Product.objects.get(sku="BD-TEA")
    assert r.status_code == 302 and r["Location"] == _manage(p)
    assert (p.county_code, p.supplier, p.weight_g) == (coop.county_code, coop, 250)


def test_a_bad_product_form_says_what_is_wrong_in_chinese(phone, coop, product):
    url = reverse("commerce:product_new", kwargs={"supplier_id": coop.pk})
    r = phone.post(url, {"sku": "BD-ORANGE", "name": "", "category": "fruit", "weight_g": "-1"})
    assert r.status_code == 200
    text = r.content.decode()
    assert "这个字段是必填项" in text
    r = phone.post(url, {"sku": "BD-ORANGE", "name": "又一个", "category": "fruit", "unit": "件"})
    assert "商品编码已被使用" in r.content.decode()
    assert Product.objects.count() == 1


def test_another_suppliers_product_page_is_not_found(phone, others_product, other_supplier):
    assert phone.get(_manage(others_product)).status_code == 404
    r = phone.post(
        _manage(others_product),
        {"action": "stock", "warehouse": "主仓", "mode": "add", "quantity": 5, "reason": "x"},
    )
    assert r.status_code == 404
    url = reverse("commerce:product_new", kwargs={"supplier_id": other_supplier.pk})
    assert phone.get(url).status_code == 404
    assert not StockRecord.objects.filter(product=others_product).exists()


def test_the_product_page_edits_the_product(phone, product):
    r = phone.post(
        _manage(product),
        {
            "action": "edit",
            "name": "巴东脐橙",
            "category": "fruit",
            "unit": "箱",
            "weight_g": "5000",
            "story": "江边橙园",
        },
    )
    assert r.status_code == 302
    product.refresh_from_db()
    assert (product.unit, product.weight_g, product.story) == ("箱", 5000, "江边橙园")


def test_the_product_page_publishes_with_a_price_in_yuan(phone, product, storefront):
    r = phone.post(
        _manage(product),
        {
            "action": "listing",
            "outlet": storefront.pk,
            f"o{storefront.pk}-price": "29.90",
            f"o{storefront.pk}-available_from": "2026-01-01",
            f"o{storefront.pk}-published": "on",
        },
    )
    assert r.status_code == 302
    li = Listing.objects.get(product=product, outlet=storefront)
    assert (li.price_fen, li.published, li.available_from) == (2990, True, dt.date(2026, 1, 1))


def test_a_price_of_zero_comes_back_beside_the_form(phone, product, storefront):
    r = phone.post(
        _manage(product),
        {"action": "listing", "outlet": storefront.pk, f"o{storefront.pk}-price": "0"},
    )
    assert r.status_code == 200
    assert "价格必须大于零" in r.content.decode()
    assert not Listing.objects.exists()


def test_an_unverified_supplier_is_told_it_cannot_publish(product, storefront, supplier_user, coop):
    type(coop).objects.filter(pk=coop.pk).update(verified_at=None)
    c = Client()
    c.force_login(supplier_user)
    r = c.post(
        _manage(product),
        {
            "action": "listing",
            "outlet": storefront.pk,
            f"o{storefront.pk}-price": "10",
            f"o{storefront.pk}-published": "on",
        },
    )
    assert "尚未通过县扶贫办核验" in r.content.decode()
    assert not Listing.objects.exists()


def test_the_stock_form_refuses_to_go_below_what_orders_hold(phone, product, listing, buyer):
    orders.place_order(wanted=[orders.Wanted(listing.pk, 4)], ship_to="", by=buyer)
    post = {"action": "stock", "warehouse": "主仓", "mode": "remove", "quantity": 7}
    r = phone.post(_manage(product), post | {"reason": "损耗"})
    assert r.status_code == 200
    assert "库存不能少于未完成订单占用的数量" in r.content.decode()
    r = phone.post(_manage(product), post | {"quantity": 2, "reason": ""})
    assert "请填写调整原因" in r.content.decode()
    assert StockRecord.objects.get(product=product).on_hand == 10
    r = phone.post(_manage(product), post | {"quantity": 2, "reason": "运输损耗"})
    assert r.status_code == 302
    assert StockRecord.objects.get(product=product).on_hand == 8


def test_photos_are_uploaded_and_shown_on_the_storefront(phone, product, listing):
    upload = SimpleUploadedFile("orange.jpg", jpeg(orientation=6), "image/jpeg")
    bad = SimpleUploadedFile("notes.txt", b"hello", "text/plain")
    r = phone.post(_manage(product), {"action": "photo", "photos": [upload, bad]}, follow=True)
    text = r.content.decode()
    assert "notes.txt：不是照片文件" in text
    photo = ProductPhoto.objects.get()
    anyone = Client()
    shop = anyone.get(reverse("commerce:shop")).content.decode()
    assert reverse("commerce:photo", kwargs={"sha256": photo.sha256}) + "?size=thumb" in shop
    page = anyone.get(reverse("commerce:product", kwargs={"listing_id": listing.pk}))
    assert photo.sha256 in page.content.decode()
    image = anyone.get(reverse("commerce:photo", kwargs={"sha256": photo.sha256}))
    assert image.status_code == 200 and image["Content-Type"] == "image/jpeg"


def test_a_photo_of_a_product_not_on_sale_is_not_public(phone, product, supplier_user):
    phone.post(
        _manage(product),
        {"action": "photo", "photos": [SimpleUploadedFile("a.jpg", jpeg(), "image/jpeg")]},
    )
    url = reverse("commerce:photo", kwargs={"sha256": ProductPhoto.objects.get().sha256})
    assert Client().get(url).status_code == 404
    assert phone.get(url).status_code == 200


def _paid_order(listing, buyer) -> None:  # type: ignore[no-untyped-def]
    o = orders.place_order(wanted=[orders.Wanted(listing.pk, 2)], ship_to="", by=buyer)
    orders.pay_order(order=o, method="test", token="ok", by=buyer)


def test_a_county_officer_settles_a_closed_period(
    county_officer, coop, listing, buyer, empty_the_log_afterwards
):
    _paid_order(listing, buyer)
    c = Client()
    c.force_login(county_officer)
    today = timezone.localdate()
    form = {"supplier": coop.pk, "start": today - dt.timedelta(days=7)}
    r = c.post(reverse("commerce:payouts"), form | {"end": today})
    assert "结算期须已结束" in r.content.decode()
    assert not Payout.objects.exists()
    # Paid today: a period ending yesterday holds nothing, but it is closed.
    r = c.post(reverse("commerce:payouts"), form | {"end": today - dt.timedelta(days=1)})
    assert r.status_code == 302
    payout = Payout.objects.get()
    assert payout.ledger_index is not None and payout.net_fen == 0
    r = c.post(reverse("commerce:payouts"), form | {"end": today - dt.timedelta(days=2)})
    assert "已经结算过，不能重复结算" in r.content.decode()
    assert Payout.objects.count() == 1


def test_a_supplier_sees_its_payouts_with_their_ledger_link(
    phone, coop, operator, empty_the_log_afterwards
):
    today = timezone.localdate()
    p = orders.create_payout(
        supplier=coop,
        start=today - dt.timedelta(days=30),
        end=today - dt.timedelta(days=1),
        by=operator,
    )
    r = phone.get(reverse("commerce:payouts"))
    text = r.content.decode()
    assert f"?index={p.ledger_index}" in text
    assert "结算一期" not in text  # a supplier does not settle itself
    assert phone.post(reverse("commerce:payouts"), {"supplier": coop.pk}).status_code == 403


def test_an_officer_cannot_settle_another_countys_supplier(
    county_officer, other_supplier, empty_the_log_afterwards
):
    from tuopin.commerce.errors import SupplierNotFound

    today = timezone.localdate()
    with pytest.raises(SupplierNotFound):
        orders.create_payout(
            supplier=other_supplier,
            start=today - dt.timedelta(days=30),
            end=today - dt.timedelta(days=1),
            by=county_officer,
        )


# --- the API ---------------------------------------------------------------------------------


@pytest.fixture
def api(supplier_user) -> Client:  # type: ignore[no-untyped-def]
    token = accounts.issue_token(username=supplier_user.username)
    return Client(HTTP_AUTHORIZATION=f"Bearer {token}")


def test_the_api_creates_and_changes_a_product(api, coop):
    r = api.post(
        f"/api/v1/commerce/suppliers/{coop.pk}/products",
        {"sku": "BD-HONEY", "name": "巴东蜂蜜", "category": "honey", "weight_g": 500},
        content_type="application/json",
    )
    assert r.status_code == 201, r.content
    pid = r.json()["id"]
    assert r.json()["county"] == coop.county_code
    r = api.patch(
        f"/api/v1/commerce/products/{pid}", {"unit": "瓶"}, content_type="application/json"
    )
    assert r.status_code == 200
    assert (r.json()["unit"], r.json()["name"], r.json()["weight_g"]) == ("瓶", "巴东蜂蜜", 500)


def test_the_api_adjusts_stock_and_refuses_below_allocated(api, product, listing, buyer):
    orders.place_order(wanted=[orders.Wanted(listing.pk, 4)], ship_to="", by=buyer)
    url = f"/api/v1/commerce/products/{product.pk}/stock-adjustments"
    r = api.post(url, {"delta": -7, "reason": "损耗"}, content_type="application/json")
    assert r.status_code == 400 and r.json()["code"] == "stock_below_allocated"
    r = api.post(
        url, {"warehouse": "主仓", "delta": 5, "reason": "入库"}, content_type="application/json"
    )
    assert r.status_code == 201
    assert r.json() == {"warehouse": "主仓", "on_hand": 15, "allocated": 4, "available": 11}


def test_the_api_hides_another_suppliers_product(api, others_product):
    r = api.patch(
        f"/api/v1/commerce/products/{others_product.pk}",
        {"name": "我的"},
        content_type="application/json",
    )
    assert r.status_code == 404
    r = api.post(
        f"/api/v1/commerce/products/{others_product.pk}/stock-adjustments",
        {"delta": 5, "reason": "入库"},
        content_type="application/json",
    )
    assert r.status_code == 404
