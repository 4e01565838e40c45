"""One table per master-data record type of `tools.masterdata`, with the same columns.

Decimals are stored as canonical text (`DecimalText`) so every backend keeps them exact.
Keys follow `Record.key`; there are no foreign keys because a load replaces everything at once
and the loader checks references itself (with file and line in the error).
"""

from __future__ import annotations

from datetime import date, datetime, time
from decimal import Decimal

from sqlmodel import Field, SQLModel

from app.core.db import DecimalText
from app.core.types import UtcDateTime
from tools.masterdata import (
    Carrier,
    CarrierRate,
    CarrierService,
    CrossReference,
    Customer,
    FxRate,
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


class CustomerRow(SQLModel, table=True):
    __tablename__ = "md_customers"
    customer_id: str = Field(primary_key=True)
    name: str
    aliases: str = ""
    email_addresses: str = ""
    email_domains: str = ""
    currency: str = "USD"
    payment_terms: str = "NET30"
    credit_limit: Decimal = Field(sa_type=DecimalText)
    open_balance: Decimal = Field(default=Decimal("0"), sa_type=DecimalText)
    credit_hold: bool = False
    default_ship_to_id: str | None = None


class ShipToRow(SQLModel, table=True):
    __tablename__ = "md_ship_tos"
    ship_to_id: str = Field(primary_key=True)
    customer_id: str = Field(index=True)
    name: str
    street: str
    city: str
    region: str = ""
    postal_code: str
    country: str = "US"


class ProductRow(SQLModel, table=True):
    __tablename__ = "md_products"
    sku: str = Field(primary_key=True)
    description: str
    category: str
    base_uom: str = "EA"
    pack_multiple: int = 1
    weight_kg: Decimal = Field(sa_type=DecimalText)
    length_cm: Decimal = Field(sa_type=DecimalText)
    width_cm: Decimal = Field(sa_type=DecimalText)
    height_cm: Decimal = Field(sa_type=DecimalText)
    hazmat_class: str | None = None
    discontinued: bool = False
    list_price: Decimal = Field(sa_type=DecimalText)
    currency: str = "USD"


class UomConversionRow(SQLModel, table=True):
    __tablename__ = "md_uom_conversions"
    sku: str = Field(primary_key=True)
    uom: str = Field(primary_key=True)
    factor: Decimal = Field(sa_type=DecimalText)


class CrossReferenceRow(SQLModel, table=True):
    __tablename__ = "md_cross_references"
    customer_id: str = Field(primary_key=True)
    customer_item_code: str = Field(primary_key=True)
    sku: str


class PriceAgreementRow(SQLModel, table=True):
    __tablename__ = "md_price_agreements"
    agreement_id: str = Field(primary_key=True)
    kind: str
    customer_id: str | None = Field(default=None, index=True)
    sku: str = Field(index=True)
    unit_price: Decimal = Field(sa_type=DecimalText)
    currency: str = "USD"
    min_order_qty: Decimal = Field(default=Decimal("0"), sa_type=DecimalText)
    valid_from: date | None = None
    valid_to: date | None = None


class PriceTierRow(SQLModel, table=True):
    __tablename__ = "md_price_tiers"
    agreement_id: str = Field(primary_key=True)
    min_quantity: Decimal = Field(primary_key=True, sa_type=DecimalText)
    unit_price: Decimal = Field(sa_type=DecimalText)


class WarehouseRow(SQLModel, table=True):
    __tablename__ = "md_warehouses"
    warehouse_id: str = Field(primary_key=True)
    name: str
    street: str
    city: str
    region: str = ""
    postal_code: str
    country: str = "US"
    timezone: str = "America/Chicago"
    hazmat_certified: bool = False


class StockRow(SQLModel, table=True):
    """Stock of one SKU in one warehouse; `allocated` includes this service's reservations."""

    __tablename__ = "md_stock"
    sku: str = Field(primary_key=True)
    warehouse_id: str = Field(primary_key=True)
    on_hand: Decimal = Field(sa_type=DecimalText)
    allocated: Decimal = Field(default=Decimal("0"), sa_type=DecimalText)
    safety_stock: Decimal = Field(default=Decimal("0"), sa_type=DecimalText)


class ScheduledReceiptRow(SQLModel, table=True):
    __tablename__ = "md_receipts"
    receipt_id: str = Field(primary_key=True)
    sku: str = Field(index=True)
    warehouse_id: str
    expected_date: date
    quantity: Decimal = Field(sa_type=DecimalText)


class CarrierRow(SQLModel, table=True):
    __tablename__ = "md_carriers"
    carrier_id: str = Field(primary_key=True)
    name: str


class CarrierServiceRow(SQLModel, table=True):
    __tablename__ = "md_carrier_services"
    service_id: str = Field(primary_key=True)
    carrier_id: str
    name: str
    transit_days: int
    cutoff_time: time
    hazmat_allowed: bool = False
    max_weight_kg: Decimal = Field(sa_type=DecimalText)
    countries: str = "US"


class CarrierRateRow(SQLModel, table=True):
    __tablename__ = "md_carrier_rates"
    service_id: str = Field(primary_key=True)
    zone: int = Field(primary_key=True, sa_column_kwargs={"autoincrement": False})
    max_weight_kg: Decimal = Field(primary_key=True, sa_type=DecimalText)
    cost: Decimal = Field(sa_type=DecimalText)
    currency: str = "USD"


class FxRateRow(SQLModel, table=True):
    __tablename__ = "md_fx_rates"
    currency: str = Field(primary_key=True)
    per_base: Decimal = Field(sa_type=DecimalText)


class MasterDataVersion(SQLModel, table=True):
    """A single row (id 1) whose `version` goes up by one on every load."""

    __tablename__ = "md_version"
    id: int = Field(default=1, primary_key=True, sa_column_kwargs={"autoincrement": False})
    version: int = 0
    loaded_at: datetime | None = Field(default=None, sa_type=UtcDateTime)


ROW_TYPES: dict[type[Record], type[SQLModel]] = {
    Customer: CustomerRow,
    ShipTo: ShipToRow,
    Product: ProductRow,
    UomConversion: UomConversionRow,
    CrossReference: CrossReferenceRow,
    PriceAgreement: PriceAgreementRow,
    PriceTier: PriceTierRow,
    Warehouse: WarehouseRow,
    StockLevel: StockRow,
    ScheduledReceipt: ScheduledReceiptRow,
    Carrier: CarrierRow,
    CarrierService: CarrierServiceRow,
    CarrierRate: CarrierRateRow,
    FxRate: FxRateRow,
}
