"""Master-data records the deterministic core reads, and an indexed in-memory view of them.

Each record class is one CSV file of `intake masterdata load` (columns = fields, in order).
Money is `Decimal`, quantities of base units are `Decimal`, dates are `datetime.date`.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, time
from decimal import Decimal
from typing import ClassVar

from pydantic import BaseModel, ConfigDict


class Record(BaseModel):
    """A row of one master-data CSV file."""

    model_config = ConfigDict(frozen=True, extra="forbid", str_strip_whitespace=True)
    csv_name: ClassVar[str]
    key: ClassVar[tuple[str, ...]]


class Customer(Record):
    csv_name = "customers.csv"
    key = ("customer_id",)
    customer_id: str
    name: str
    aliases: str = ""  # other names it signs with, "|"-separated
    email_addresses: str = ""  # "|"-separated sender addresses
    email_domains: str = ""  # "|"-separated sender domains
    currency: str = "USD"
    payment_terms: str = "NET30"
    credit_limit: Decimal
    open_balance: Decimal = Decimal("0")
    credit_hold: bool = False
    default_ship_to_id: str | None = None


class ShipTo(Record):
    csv_name = "ship_tos.csv"
    key = ("ship_to_id",)
    ship_to_id: str
    customer_id: str
    name: str
    street: str
    city: str
    region: str = ""
    postal_code: str
    country: str = "US"


class Product(Record):
    csv_name = "products.csv"
    key = ("sku",)
    sku: str
    description: str
    category: str
    base_uom: str = "EA"
    pack_multiple: int = 1  # orders must be a multiple of this many base units
    weight_kg: Decimal  # per base unit
    length_cm: Decimal
    width_cm: Decimal
    height_cm: Decimal
    hazmat_class: str | None = None  # UN class, e.g. "3" flammable liquid
    discontinued: bool = False
    list_price: Decimal  # per base unit, in `currency`
    currency: str = "USD"


class UomConversion(Record):
    csv_name = "uom_conversions.csv"
    key = ("sku", "uom")
    sku: str
    uom: str  # e.g. CS
    factor: Decimal  # base units in one `uom`, e.g. 12


class CrossReference(Record):
    csv_name = "cross_references.csv"
    key = ("customer_id", "customer_item_code")
    customer_id: str
    customer_item_code: str
    sku: str


class PriceAgreement(Record):
    """A customer-specific contract price or a promotion for one SKU, valid between two dates."""

    csv_name = "price_agreements.csv"
    key = ("agreement_id",)
    agreement_id: str
    kind: str  # "contract" or "promotion"
    customer_id: str | None = None  # None: a promotion open to every customer
    sku: str
    unit_price: Decimal  # per base unit, in `currency`
    currency: str = "USD"
    min_order_qty: Decimal = Decimal("0")  # base units
    valid_from: date | None = None
    valid_to: date | None = None  # inclusive


class PriceTier(Record):
    """A quantity break: from `min_quantity` base units the unit price is `unit_price`."""

    csv_name = "price_tiers.csv"
    key = ("agreement_id", "min_quantity")
    agreement_id: str
    min_quantity: Decimal
    unit_price: Decimal


class Warehouse(Record):
    csv_name = "warehouses.csv"
    key = ("warehouse_id",)
    warehouse_id: str
    name: str
    street: str
    city: str
    region: str = ""
    postal_code: str
    country: str = "US"
    timezone: str = "America/Chicago"
    hazmat_certified: bool = False


class StockLevel(Record):
    csv_name = "stock.csv"
    key = ("sku", "warehouse_id")
    sku: str
    warehouse_id: str
    on_hand: Decimal
    allocated: Decimal = Decimal("0")
    safety_stock: Decimal = Decimal("0")


class ScheduledReceipt(Record):
    csv_name = "receipts.csv"
    key = ("receipt_id",)
    receipt_id: str
    sku: str
    warehouse_id: str
    expected_date: date
    quantity: Decimal


class Carrier(Record):
    csv_name = "carriers.csv"
    key = ("carrier_id",)
    carrier_id: str
    name: str


class CarrierService(Record):
    csv_name = "carrier_services.csv"
    key = ("service_id",)
    service_id: str
    carrier_id: str
    name: str
    transit_days: int  # business days
    cutoff_time: time  # local time at the origin warehouse
    hazmat_allowed: bool = False
    max_weight_kg: Decimal
    countries: str = "US"  # "|"-separated destination countries served


class CarrierRate(Record):
    """Cost of a shipment up to `max_weight_kg` in `zone` with one service."""

    csv_name = "carrier_rates.csv"
    key = ("service_id", "zone", "max_weight_kg")
    service_id: str
    zone: int
    max_weight_kg: Decimal
    cost: Decimal
    currency: str = "USD"


class FxRate(Record):
    """Units of `currency` per one unit of the company's base currency."""

    csv_name = "fx_rates.csv"
    key = ("currency",)
    currency: str
    per_base: Decimal


RECORD_TYPES: tuple[type[Record], ...] = (
    Customer,
    ShipTo,
    Product,
    UomConversion,
    CrossReference,
    PriceAgreement,
    PriceTier,
    Warehouse,
    StockLevel,
    ScheduledReceipt,
    Carrier,
    CarrierService,
    CarrierRate,
    FxRate,
)


def split_list(value: str) -> list[str]:
    """The items of a "|"-separated column."""
    return [item.strip() for item in value.split("|") if item.strip()]


@dataclass
class MasterData:
    """All master data, indexed for the deterministic core. Built once, read many times."""

    customers: dict[str, Customer] = field(default_factory=dict)
    ship_tos: dict[str, ShipTo] = field(default_factory=dict)
    products: dict[str, Product] = field(default_factory=dict)
    conversions: dict[tuple[str, str], UomConversion] = field(default_factory=dict)
    cross_references: dict[tuple[str, str], CrossReference] = field(default_factory=dict)
    agreements: dict[str, PriceAgreement] = field(default_factory=dict)
    tiers: dict[str, list[PriceTier]] = field(default_factory=lambda: defaultdict(list))
    warehouses: dict[str, Warehouse] = field(default_factory=dict)
    stock: dict[tuple[str, str], StockLevel] = field(default_factory=dict)
    receipts: list[ScheduledReceipt] = field(default_factory=list)
    carriers: dict[str, Carrier] = field(default_factory=dict)
    services: dict[str, CarrierService] = field(default_factory=dict)
    rates: dict[str, list[CarrierRate]] = field(default_factory=lambda: defaultdict(list))
    fx_rates: dict[str, FxRate] = field(default_factory=dict)
    base_currency: str = "USD"

    @classmethod
    def from_records(cls, records: list[Record], base_currency: str = "USD") -> MasterData:
        """Index a flat list of records of any type."""
        md = cls(base_currency=base_currency)
        for rec in records:
            md.add(rec)
        for tiers in md.tiers.values():
            tiers.sort(key=lambda t: t.min_quantity)
        for rates in md.rates.values():
            rates.sort(key=lambda r: (r.zone, r.max_weight_kg))
        return md

    def add(self, rec: Record) -> None:
        match rec:
            case Customer():
                self.customers[rec.customer_id] = rec
            case ShipTo():
                self.ship_tos[rec.ship_to_id] = rec
            case Product():
                self.products[rec.sku] = rec
            case UomConversion():
                self.conversions[(rec.sku, rec.uom.upper())] = rec
            case CrossReference():
                self.cross_references[(rec.customer_id, rec.customer_item_code.upper())] = rec
            case PriceAgreement():
                self.agreements[rec.agreement_id] = rec
            case PriceTier():
                self.tiers[rec.agreement_id].append(rec)
            case Warehouse():
                self.warehouses[rec.warehouse_id] = rec
            case StockLevel():
                self.stock[(rec.sku, rec.warehouse_id)] = rec
            case ScheduledReceipt():
                self.receipts.append(rec)
            case Carrier():
                self.carriers[rec.carrier_id] = rec
            case CarrierService():
                self.services[rec.service_id] = rec
            case CarrierRate():
                self.rates[rec.service_id].append(rec)
            case FxRate():
                self.fx_rates[rec.currency] = rec
            case _:
                raise TypeError(f"unknown record type {type(rec).__name__}")

    def records(self) -> list[Record]:
        """Every record, grouped by type in RECORD_TYPES order."""
        out: list[Record] = []
        out += self.customers.values()
        out += self.ship_tos.values()
        out += self.products.values()
        out += self.conversions.values()
        out += self.cross_references.values()
        out += self.agreements.values()
        out += [t for ts in self.tiers.values() for t in ts]
        out += self.warehouses.values()
        out += self.stock.values()
        out += self.receipts
        out += self.carriers.values()
        out += self.services.values()
        out += [r for rs in self.rates.values() for r in rs]
        out += self.fx_rates.values()
        return out
