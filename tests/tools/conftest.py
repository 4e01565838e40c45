"""A small hand-built master data set for the deterministic core."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, time
from decimal import Decimal as D

import pytest

from tools.masterdata import (
    Carrier,
    CarrierRate,
    CarrierService,
    Customer,
    FxRate,
    MasterData,
    PriceAgreement,
    PriceTier,
    Product,
    Record,
    ScheduledReceipt,
    ShipTo,
    StockLevel,
    UomConversion,
    Warehouse,
)

TODAY = date(2026, 11, 18)  # a Wednesday


def _product(sku: str, **kw: object) -> Product:
    base: dict[str, object] = dict(
        sku=sku,
        description=sku,
        category="general",
        weight_kg=D("0.1"),
        length_cm=D(10),
        width_cm=D(10),
        height_cm=D(10),
        list_price=D("1.00"),
    )
    return Product.model_validate(base | kw)


def _rates(service: str, brackets: dict[str, int], per_zone: int, zones: range) -> list[Record]:
    return [
        CarrierRate(service_id=service, zone=z, max_weight_kg=D(kg), cost=D(base + per_zone * z))
        for z in zones
        for kg, base in brackets.items()
    ]


def base_records() -> list[Record]:
    """Three warehouses, three carriers, a few products and agreements."""
    return [
        Customer(
            customer_id="C1",
            name="Harbor Marine Supply Co.",
            aliases="Harbor Marine",
            email_domains="harbormarine.example",
            credit_limit=D(10000),
            open_balance=D(2000),
        ),
        Customer(
            customer_id="C2", name="Maple Leaf Hardware", currency="CAD", credit_limit=D(5000)
        ),
        Customer(customer_id="C3", name="Slow Payer Inc", credit_limit=D(5000), credit_hold=True),
        ShipTo(
            ship_to_id="S1",
            customer_id="C1",
            name="Dock 4",
            street="1 Pier Rd",
            city="Newark",
            postal_code="07102",
        ),
        _product(
            "BOLT",
            description="Stainless hex bolt M8x40",
            weight_kg=D("0.05"),
            length_cm=D(5),
            width_cm=D(2),
            height_cm=D(2),
            list_price=D("0.50"),
        ),
        _product(
            "GLOVE", description="Nitrile gloves size L", pack_multiple=6, list_price=D("2.00")
        ),
        _product(
            "SOLV",
            description="Degreasing solvent 1 l",
            hazmat_class="3",
            weight_kg=D("1.0"),
            list_price=D("9.00"),
            currency="EUR",
        ),
        _product("OLD", description="Legacy widget", discontinued=True, list_price=D("3.00")),
        _product(
            "FOAM",
            description="Foam block 50 cm",
            weight_kg=D("0.5"),
            length_cm=D(50),
            width_cm=D(50),
            height_cm=D(50),
            list_price=D("4.00"),
        ),
        _product("ROPE", description="Mooring rope", base_uom="M", list_price=D("1.20")),
        UomConversion(sku="BOLT", uom="CS", factor=D(12)),
        UomConversion(sku="BOLT", uom="BX", factor=D(100)),
        UomConversion(sku="GLOVE", uom="PK", factor=D(6)),
        PriceAgreement(
            agreement_id="K1",
            kind="contract",
            customer_id="C1",
            sku="BOLT",
            unit_price=D("0.45"),
            valid_from=date(2026, 1, 1),
            valid_to=date(2026, 12, 31),
        ),
        PriceTier(agreement_id="K1", min_quantity=D(100), unit_price=D("0.40")),
        PriceTier(agreement_id="K1", min_quantity=D(500), unit_price=D("0.35")),
        PriceAgreement(
            agreement_id="P1",
            kind="promotion",
            sku="BOLT",
            unit_price=D("0.42"),
            valid_from=date(2026, 11, 1),
            valid_to=date(2026, 11, 30),
        ),
        PriceAgreement(
            agreement_id="P2",
            kind="promotion",
            sku="BOLT",
            unit_price=D("0.10"),
            valid_from=date(2026, 1, 1),
            valid_to=date(2026, 1, 31),
        ),
        PriceAgreement(
            agreement_id="K2",
            kind="contract",
            customer_id="C1",
            sku="GLOVE",
            unit_price=D("1.80"),
            min_order_qty=D(60),
        ),
        PriceAgreement(
            agreement_id="K3", kind="contract", customer_id="C2", sku="BOLT", unit_price=D("0.40")
        ),
        FxRate(currency="EUR", per_base=D("0.90")),
        FxRate(currency="CAD", per_base=D("1.35")),
        Warehouse(
            warehouse_id="W-CHI",
            name="Chicago",
            street="1 Lake St",
            city="Chicago",
            postal_code="60601",
            hazmat_certified=True,
        ),
        Warehouse(
            warehouse_id="W-NJ",
            name="Newark",
            street="2 Port St",
            city="Newark",
            postal_code="07105",
            timezone="America/New_York",
        ),
        Warehouse(
            warehouse_id="W-LA",
            name="Los Angeles",
            street="3 Bay St",
            city="Los Angeles",
            postal_code="90001",
            timezone="America/Los_Angeles",
        ),
        StockLevel(
            sku="BOLT", warehouse_id="W-CHI", on_hand=D(1000), allocated=D(100), safety_stock=D(50)
        ),
        StockLevel(sku="BOLT", warehouse_id="W-NJ", on_hand=D(300)),
        StockLevel(sku="BOLT", warehouse_id="W-LA", on_hand=D(0)),
        ScheduledReceipt(
            receipt_id="R1",
            sku="BOLT",
            warehouse_id="W-LA",
            expected_date=date(2026, 11, 23),
            quantity=D(500),
        ),
        StockLevel(sku="SOLV", warehouse_id="W-CHI", on_hand=D(40)),
        StockLevel(sku="SOLV", warehouse_id="W-NJ", on_hand=D(400)),
        StockLevel(sku="FOAM", warehouse_id="W-NJ", on_hand=D(20)),
        StockLevel(sku="GLOVE", warehouse_id="W-NJ", on_hand=D(60)),
        StockLevel(sku="GLOVE", warehouse_id="W-CHI", on_hand=D(600)),
        Carrier(carrier_id="ACME", name="Acme Parcel"),
        Carrier(carrier_id="FAST", name="Fast Air"),
        CarrierService(
            service_id="GRND",
            carrier_id="ACME",
            name="Acme Ground",
            transit_days=3,
            cutoff_time=time(16, 0),
            max_weight_kg=D(70),
        ),
        CarrierService(
            service_id="EXPR",
            carrier_id="FAST",
            name="Fast Overnight",
            transit_days=1,
            cutoff_time=time(17, 0),
            max_weight_kg=D(50),
            hazmat_allowed=True,
            countries="US|CA",
        ),
        CarrierService(
            service_id="FRT",
            carrier_id="ACME",
            name="Acme Freight",
            transit_days=5,
            cutoff_time=time(14, 0),
            max_weight_kg=D(1000),
            hazmat_allowed=True,
        ),
        *_rates("GRND", {"5": 8, "20": 15, "70": 30}, 1, range(2, 9)),
        *_rates("EXPR", {"5": 25, "20": 40, "50": 70}, 3, range(2, 10)),
        *_rates("FRT", {"1000": 150}, 10, range(2, 9)),
    ]


@pytest.fixture(scope="session")
def md() -> MasterData:
    return MasterData.from_records(base_records())


@pytest.fixture(scope="session")
def make_md() -> Callable[..., MasterData]:
    """Master data with extra records (same key replaces) and record types dropped."""

    def build(*extra: Record, drop: tuple[type[Record], ...] = ()) -> MasterData:
        kept = [r for r in base_records() if not isinstance(r, drop)]
        return MasterData.from_records([*kept, *extra])

    return build
