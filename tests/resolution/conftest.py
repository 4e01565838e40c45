"""A small hand-built company: three customers, their ship-tos, a dozen products."""

from __future__ import annotations

from decimal import Decimal

import pytest

from tools.masterdata import (
    CrossReference,
    Customer,
    MasterData,
    Product,
    Record,
    ShipTo,
    UomConversion,
)


def _product(sku: str, description: str, **kw: object) -> Product:
    fields: dict[str, object] = {
        "sku": sku,
        "description": description,
        "category": "fasteners",
        "weight_kg": "0.01",
        "length_cm": "1",
        "width_cm": "1",
        "height_cm": "1",
        "list_price": "0.50",
        **kw,
    }
    return Product.model_validate(fields)


def build_master() -> MasterData:
    """The fixture company's master data."""
    records: list[Record] = [
        Customer(
            customer_id="CUST-HMS",
            name="Harbor Marine Supply Co.",
            aliases="Harbor Marine|HMS",
            email_addresses="buyer@harbormarine.com",
            email_domains="harbormarine.com",
            credit_limit=Decimal("50000"),
            default_ship_to_id="ST-HMS-1",
        ),
        Customer(
            customer_id="CUST-ACME",
            name="Acme Industrial LLC",
            aliases="ACME",
            email_addresses="orders@acme-ind.com|acme.orders@gmail.com",
            email_domains="acme-ind.com|gmail.com",
            credit_limit=Decimal("20000"),
            default_ship_to_id="ST-ACME-1",
        ),
        Customer(
            customer_id="CUST-BMW",
            name="Bergmann Maschinenbau GmbH",
            email_domains="bergmann-mb.de",
            credit_limit=Decimal("30000"),
            currency="EUR",
        ),
        ShipTo(
            ship_to_id="ST-HMS-1",
            customer_id="CUST-HMS",
            name="Harbor Marine - Dock 4",
            street="1200 Pier Road",
            city="Tacoma",
            region="WA",
            postal_code="98421",
        ),
        ShipTo(
            ship_to_id="ST-HMS-2",
            customer_id="CUST-HMS",
            name="Harbor Marine - Yard",
            street="55 North Harbor Avenue Suite 200",
            city="Seattle",
            region="WA",
            postal_code="98101",
        ),
        ShipTo(
            ship_to_id="ST-ACME-1",
            customer_id="CUST-ACME",
            name="Acme Main",
            street="1200 Pier Road",
            city="Portland",
            region="OR",
            postal_code="97201",
        ),
        ShipTo(
            ship_to_id="ST-BMW-1",
            customer_id="CUST-BMW",
            name="Bergmann Werk 1",
            street="Industriestraße 12",
            city="München",
            postal_code="80331",
            country="DE",
        ),
        _product("FAS-HB-M8-40-SS", "Stainless hex bolt M8x40"),
        _product("FAS-HB-M8-50-SS", "Stainless hex bolt M8x50"),
        _product("FAS-HN-M8-SS", "Stainless hex nut M8"),
        _product("FAS-WS-M8-SS", "Stainless flat washer M8"),
        _product("GLV-NIT-L", "Nitrile gloves large", base_uom="EA"),
        _product("TAPE-DUCT-50", "Duct tape silver 50mm x 50m", base_uom="RL"),
        _product("ROPE-NYL-12", "Nylon rope 12mm", base_uom="FT"),
        _product("OLD-CLAMP-1", "Hose clamp 1 inch", discontinued=True),
        CrossReference(customer_id="CUST-HMS", customer_item_code="HM-7781", sku="FAS-HB-M8-40-SS"),
        CrossReference(customer_id="CUST-ACME", customer_item_code="A 100 22", sku="FAS-HN-M8-SS"),
        UomConversion(sku="FAS-HB-M8-40-SS", uom="BX", factor=Decimal(12)),
        UomConversion(sku="FAS-HB-M8-40-SS", uom="CS", factor=Decimal(144)),
        UomConversion(sku="GLV-NIT-L", uom="BX", factor=Decimal(100)),
    ]
    return MasterData.from_records(records)


@pytest.fixture(scope="session")
def master() -> MasterData:
    """The fixture company's master data."""
    return build_master()
