"""Commerce fixtures: a verified cooperative in 巴东县 with one product of 10 units on the
storefront, its supplier account, a buyer, and a second (unverified) supplier in 安定区."""

from __future__ import annotations

import pytest

from tuopin.accounts import roles
from tuopin.accounts import services as accounts
from tuopin.commerce import services
from tuopin.commerce.models import STOREFRONT_OUTLET, Listing, Outlet, Product, Supplier
from tuopin.conftest import COUNTY

OTHER_COUNTY = "621102000000"


@pytest.fixture
def storefront(operator) -> Outlet:  # type: ignore[no-untyped-def]
    return services.create_outlet(
        code=STOREFRONT_OUTLET, name="兴农扶贫", kind="online", by=operator
    )


@pytest.fixture
def tmall(operator) -> Outlet:  # type: ignore[no-untyped-def]
    return services.create_outlet(code="TMALL", name="天猫超市", kind="online", by=operator)


@pytest.fixture
def coop(county_officer) -> Supplier:  # type: ignore[no-untyped-def]
    s = services.create_supplier(
        kind="cooperative", name="溪丘湾柑橘合作社", county_code=COUNTY, by=county_officer
    )
    return services.verify_supplier(supplier=s, by=county_officer)


@pytest.fixture
def supplier_user(coop, county_officer):  # type: ignore[no-untyped-def]
    user = accounts.create_user(username="coop", role=roles.SUPPLIER, password="pw-coop")
    services.add_user(supplier=coop, user=user, by=county_officer)
    return user


@pytest.fixture
def other_supplier(operator) -> Supplier:  # type: ignore[no-untyped-def]
    return services.create_supplier(
        kind="enterprise", name="安定马铃薯公司", county_code=OTHER_COUNTY, by=operator
    )


@pytest.fixture
def product(coop, supplier_user) -> Product:  # type: ignore[no-untyped-def]
    p = services.create_product(
        supplier=coop, sku="BD-ORANGE", name="巴东脐橙", category="fruit", by=supplier_user
    )
    services.set_stock(product=p, warehouse_name="主仓", on_hand=10, by=supplier_user)
    return p


@pytest.fixture
def listing(product, storefront, supplier_user) -> Listing:  # type: ignore[no-untyped-def]
    return services.publish_listing(
        product=product, outlet=storefront, price_fen=2990, by=supplier_user
    )


@pytest.fixture
def buyer(area_tree):  # type: ignore[no-untyped-def]
    return accounts.create_user(username="buyer", role=roles.CONSUMER, password="pw-buyer")


def jpeg(width: int = 400, height: int = 200, *, orientation: int = 1, gps: bool = False) -> bytes:
    """A photo as a phone takes it: something on it, an EXIF orientation, maybe a position."""
    import io

    from PIL import Image, ImageDraw

    img = Image.new("RGB", (width, height), (240, 200, 40))
    draw = ImageDraw.Draw(img)
    draw.rectangle((0, 0, width // 4, height // 2), fill=(20, 90, 30))
    draw.ellipse((width // 2, height // 4, width - 10, height - 10), fill=(200, 40, 20))
    exif = Image.Exif()
    exif[0x0112] = orientation
    if gps:
        exif[0x8825] = {1: "N", 2: (31.0, 2.0, 3.0), 3: "E", 4: (110.0, 20.0, 1.0)}
    out = io.BytesIO()
    img.save(out, "JPEG", quality=90, exif=exif)
    return out.getvalue()


@pytest.fixture
def others_product(other_supplier, operator) -> Product:  # type: ignore[no-untyped-def]
    """A product of another (unverified) supplier, in another county."""
    return services.create_product(
        supplier=other_supplier,
        sku="AD-POTATO",
        name="安定马铃薯",
        category="vegetable",
        by=operator,
    )
