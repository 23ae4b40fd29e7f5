from __future__ import annotations

import pytest

from tuopin.commerce import services
from tuopin.commerce.errors import BadPrice, SupplierNotFound, SupplierNotVerified
from tuopin.commerce.models import Listing
from tuopin.core.errors import PermissionDenied, ValidationFailed


def test_it_refuses_to_publish_for_an_unverified_supplier(other_supplier, operator, storefront):
    p = services.create_product(
        supplier=other_supplier,
        sku="AD-POTATO",
        name="安定马铃薯",
        category="vegetable",
        by=operator,
    )
    with pytest.raises(SupplierNotVerified):
        services.publish_listing(product=p, outlet=storefront, price_fen=500, by=operator)
    assert not Listing.objects.exists()


def test_it_publishes_once_the_county_officer_verified(other_supplier, operator, storefront):
    from tuopin.accounts import roles
    from tuopin.accounts import services as accounts

    officer = accounts.create_user(
        username="anding", role=roles.COUNTY_OFFICER, area_codes=["621102000000"]
    )
    services.verify_supplier(supplier=other_supplier, by=officer)
    p = services.create_product(
        supplier=other_supplier,
        sku="AD-POTATO",
        name="安定马铃薯",
        category="vegetable",
        by=operator,
    )
    listing = services.publish_listing(product=p, outlet=storefront, price_fen=500, by=operator)
    assert listing.published


def test_an_officer_cannot_verify_another_countys_supplier(other_supplier, county_officer):
    with pytest.raises(SupplierNotFound):
        services.verify_supplier(supplier=other_supplier, by=county_officer)


def test_a_supplier_account_cannot_verify(coop, supplier_user):
    with pytest.raises(PermissionDenied):
        services.verify_supplier(supplier=coop, by=supplier_user)


@pytest.mark.parametrize("price", [0, -100])
def test_it_refuses_a_price_of_zero_or_less(product, storefront, supplier_user, price):
    with pytest.raises(BadPrice):
        services.publish_listing(
            product=product, outlet=storefront, price_fen=price, by=supplier_user
        )


def test_a_supplier_cannot_add_products_to_another_supplier(other_supplier, supplier_user):
    with pytest.raises(SupplierNotFound):
        services.create_product(
            supplier=other_supplier, sku="X1", name="别人的", category="other", by=supplier_user
        )


def test_it_enrols_member_households_of_the_county_only(coop, county_officer, households):
    from tuopin.registry.models import Household

    ours = list(
        Household.objects.filter(village__code__startswith="422823").values_list("pk", flat=True)
    )
    theirs = list(
        Household.objects.filter(village__code__startswith="621102").values_list("pk", flat=True)
    )
    assert services.add_members(supplier=coop, household_ids=ours, by=county_officer) == len(ours)
    assert services.add_members(supplier=coop, household_ids=ours, by=county_officer) == 0
    with pytest.raises(ValidationFailed):
        services.add_members(supplier=coop, household_ids=theirs, by=county_officer)


def test_stock_cannot_be_counted_below_what_orders_hold(product, listing, buyer, supplier_user):
    from tuopin.commerce import orders
    from tuopin.commerce.errors import CommerceError

    orders.place_order(wanted=[orders.Wanted(listing.pk, 4)], ship_to="", by=buyer)
    with pytest.raises(CommerceError):
        services.set_stock(product=product, warehouse_name="主仓", on_hand=3, by=supplier_user)
    assert (
        services.set_stock(
            product=product, warehouse_name="主仓", on_hand=4, by=supplier_user
        ).available
        == 0
    )
