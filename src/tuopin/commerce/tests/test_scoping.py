from __future__ import annotations

import pytest
from django.test import Client

from tuopin.accounts import roles
from tuopin.accounts import services as accounts
from tuopin.commerce import orders, selectors, services
from tuopin.commerce.errors import OrderNotFound, SupplierNotFound


@pytest.fixture
def rival(operator, storefront):  # type: ignore[no-untyped-def]
    """A second verified cooperative in the same county, with its own account and an order."""
    from tuopin.conftest import COUNTY

    s = services.create_supplier(
        kind="cooperative", name="红岩茶叶合作社", county_code=COUNTY, by=operator
    )
    officer = accounts.create_user(
        username="county2", role=roles.COUNTY_OFFICER, area_codes=[COUNTY]
    )
    services.verify_supplier(supplier=s, by=officer)
    user = accounts.create_user(username="rival", role=roles.SUPPLIER)
    services.add_user(supplier=s, user=user, by=operator)
    p = services.create_product(
        supplier=s, sku="HY-TEA", name="红岩茶", category="tea", by=operator
    )
    services.set_stock(product=p, warehouse_name="茶仓", on_hand=5, by=operator)
    li = services.publish_listing(product=p, outlet=storefront, price_fen=8800, by=operator)
    return s, user, li


def test_a_cooperative_sees_only_its_own_products_orders_and_payouts(
    listing, rival, supplier_user, buyer, coop
):
    s, _user, rival_listing = rival
    mine = orders.place_order(wanted=[orders.Wanted(listing.pk, 1)], ship_to="", by=buyer)
    theirs = orders.place_order(wanted=[orders.Wanted(rival_listing.pk, 1)], ship_to="", by=buyer)
    assert list(selectors.suppliers_for(supplier_user)) == [coop]
    assert [p.sku for p in selectors.products_for(supplier_user)] == ["BD-ORANGE"]
    assert list(selectors.orders_for(supplier_user)) == [mine]
    assert not selectors.payouts_for(supplier_user).filter(supplier=s).exists()
    with pytest.raises(OrderNotFound):
        selectors.get_order_for(supplier_user, theirs.number)
    with pytest.raises(SupplierNotFound):
        selectors.get_supplier_for(supplier_user, s.pk)


def test_a_cooperative_cannot_ship_another_cooperatives_order(rival, supplier_user, buyer):
    _s, _user, rival_listing = rival
    theirs = orders.place_order(wanted=[orders.Wanted(rival_listing.pk, 1)], ship_to="", by=buyer)
    orders.pay_order(order=theirs, method="test", token="ok", by=buyer)
    with pytest.raises(OrderNotFound):
        orders.advance_order(order=theirs, to="shipped", by=supplier_user)


def test_the_storefront_hides_an_unverified_suppliers_products(listing, coop):
    assert list(selectors.storefront_listings()) == [listing]
    type(coop).objects.filter(pk=coop.pk).update(verified_at=None)
    assert list(selectors.storefront_listings()) == []


def test_a_buyer_orders_through_the_pages(listing, buyer):
    client = Client()
    client.force_login(buyer)
    assert client.get(f"/commerce/shop/p/{listing.pk}/").status_code == 200
    client.post("/commerce/shop/basket/", {"listing": listing.pk, "quantity": 2})
    response = client.post("/commerce/shop/checkout/", {"ship_to": "巴东县"})
    assert response.status_code == 302
    page = client.get(response["Location"])
    assert "巴东脐橙" in page.content.decode()
    number = response["Location"].rstrip("/").split("/")[-1]
    client.post(
        f"/commerce/shop/orders/{number}/action/",
        {"action": "pay", "method": "test", "token": "ok"},
    )
    assert selectors.get_order_for(buyer, number).status == "paid"


def test_the_statistics_page_and_its_export_open(operator, listing):
    client = Client()
    client.force_login(operator)
    assert client.get("/commerce/statistics/").status_code == 200
    response = client.get("/commerce/statistics.xlsx")
    assert response.content[:2] == b"PK"
