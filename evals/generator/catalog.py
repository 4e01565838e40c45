"""The demo master data as the generator sees it, read from the CSV files of `tools.masterdata`.

The generator only needs a small, conservative view: who the customers are and how they write to
us, what we sell, which prices could apply, and whether stock plainly covers a quantity. Checks
here are deliberately cautious; anything they cannot vouch for blocks an "auto" gold route.
"""

from __future__ import annotations

import csv
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import TypeVar

from tools.masterdata import (
    CarrierService,
    CrossReference,
    Customer,
    FxRate,
    PriceAgreement,
    PriceTier,
    Product,
    Record,
    ShipTo,
    StockLevel,
    UomConversion,
    split_list,
)

R = TypeVar("R", bound=Record)

DEFAULT_MASTERDATA = Path(__file__).resolve().parents[2] / "app" / "masterdata" / "demo"


def _read(folder: Path, record_type: type[R]) -> list[R]:
    path = folder / record_type.csv_name
    if not path.exists():
        return []
    with path.open(newline="", encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    out: list[R] = []
    for row in rows:
        values = {k: (None if v == "" and _optional(record_type, k) else v) for k, v in row.items()}
        out.append(record_type.model_validate(values))
    return out


def _optional(record_type: type[Record], name: str) -> bool:
    info = record_type.model_fields.get(name)
    return info is not None and not info.is_required() and info.default is None


@dataclass(frozen=True)
class CustomerView:
    """A customer with the ways it writes to us and the addresses it ships to."""

    record: Customer
    addresses: tuple[str, ...]
    domains: tuple[str, ...]
    ship_tos: tuple[ShipTo, ...]
    item_codes: dict[str, str]  # sku -> the customer's own item code

    @property
    def customer_id(self) -> str:
        return self.record.customer_id


@dataclass
class Catalog:
    """Master data indexed for planning cases."""

    customers: list[CustomerView]
    products: dict[str, Product]
    conversions: dict[str, dict[str, Decimal]]  # sku -> uom -> base units
    agreements: list[PriceAgreement]
    tiers: dict[str, list[PriceTier]]
    stock: dict[str, list[StockLevel]]
    services: list[CarrierService]
    fx: dict[str, Decimal]
    known_addresses: frozenset[str] = field(default_factory=frozenset)
    known_domains: frozenset[str] = field(default_factory=frozenset)

    @classmethod
    def load(cls, folder: Path) -> Catalog:
        """Read the CSV files of one master-data folder."""
        customers = sorted(_read(folder, Customer), key=lambda c: c.customer_id)
        ship_tos = sorted(_read(folder, ShipTo), key=lambda s: s.ship_to_id)
        xrefs = sorted(_read(folder, CrossReference), key=lambda x: (x.customer_id, x.sku))
        views: list[CustomerView] = []
        for cust in customers:
            codes: dict[str, str] = {}
            for x in xrefs:
                if x.customer_id == cust.customer_id:
                    codes.setdefault(x.sku, x.customer_item_code)
            views.append(
                CustomerView(
                    record=cust,
                    addresses=tuple(a.lower() for a in split_list(cust.email_addresses)),
                    domains=tuple(d.lower() for d in split_list(cust.email_domains)),
                    ship_tos=tuple(s for s in ship_tos if s.customer_id == cust.customer_id),
                    item_codes=codes,
                )
            )
        conversions: dict[str, dict[str, Decimal]] = {}
        for conv in _read(folder, UomConversion):
            conversions.setdefault(conv.sku, {})[conv.uom.upper()] = conv.factor
        tiers: dict[str, list[PriceTier]] = {}
        for tier in _read(folder, PriceTier):
            tiers.setdefault(tier.agreement_id, []).append(tier)
        stock: dict[str, list[StockLevel]] = {}
        for level in _read(folder, StockLevel):
            stock.setdefault(level.sku, []).append(level)
        return cls(
            customers=views,
            products={p.sku: p for p in sorted(_read(folder, Product), key=lambda p: p.sku)},
            conversions=conversions,
            agreements=sorted(_read(folder, PriceAgreement), key=lambda a: a.agreement_id),
            tiers=tiers,
            stock=stock,
            services=_read(folder, CarrierService),
            fx={r.currency.upper(): r.per_base for r in _read(folder, FxRate)},
            known_addresses=frozenset(a for v in views for a in v.addresses),
            known_domains=frozenset(d for v in views for d in v.domains),
        )

    def sender_known(self, address: str) -> bool:
        """Whether master data links this sender address to some customer."""
        address = address.lower()
        return address in self.known_addresses or address.split("@")[-1] in self.known_domains

    def known_ship_to(self, street: str, postal_code: str) -> bool:
        """Whether any customer ship-to has this street and postal code."""
        return any(
            s.street.lower() == street.lower() and s.postal_code == postal_code
            for v in self.customers
            for s in v.ship_tos
        )

    def base_units(self, sku: str, uom: str | None) -> Decimal | None:
        """Base units in one `uom` of `sku`, when master data says so plainly."""
        product = self.products[sku]
        if uom is None or uom.upper() == product.base_uom.upper():
            return Decimal(1)
        return self.conversions.get(sku, {}).get(uom.upper())

    def candidate_prices(
        self, customer_id: str | None, sku: str, on: date, base_qty: Decimal
    ) -> set[tuple[Decimal, str]]:
        """Every per-base-unit price some pricing policy could pick (list, contract, promotion)."""
        product = self.products[sku]
        out = {(product.list_price, product.currency.upper())}
        for agr in self.agreements:
            if agr.sku != sku or (agr.customer_id not in (None, customer_id)):
                continue
            if (agr.valid_from and on < agr.valid_from) or (agr.valid_to and on > agr.valid_to):
                continue
            if base_qty < agr.min_order_qty:
                continue
            out.add((agr.unit_price, agr.currency.upper()))
            for tier in self.tiers.get(agr.agreement_id, []):
                if base_qty >= tier.min_quantity:
                    out.add((tier.unit_price, agr.currency.upper()))
        return out

    def touches_agreement(self, customer_id: str | None, sku: str) -> bool:
        """Whether any agreement for this SKU could apply to this customer on some date."""
        return any(a.sku == sku and a.customer_id in (None, customer_id) for a in self.agreements)

    def to_base(self, amount: Decimal, currency: str) -> Decimal | None:
        """An amount in the base currency, or None without a rate."""
        rate = self.fx.get(currency.upper())
        if currency.upper() == "USD" and rate is None:
            return amount
        return None if not rate else amount / rate

    def from_base(self, amount: Decimal, currency: str) -> Decimal | None:
        """A base-currency amount in `currency`, or None without a rate."""
        rate = self.fx.get(currency.upper())
        if currency.upper() == "USD" and rate is None:
            return amount
        return None if not rate else amount * rate

    def comfortably_in_stock(self, sku: str, base_qty: Decimal) -> bool:
        """Whether one warehouse alone could ship this quantity twice over."""
        levels = self.stock.get(sku, [])
        free = [lv.on_hand - lv.allocated - lv.safety_stock for lv in levels]
        return bool(free) and max(free) >= 2 * base_qty

    def ships_to_country(self, country: str) -> bool:
        """Whether some non-hazmat carrier service serves this country."""
        return any(country.upper() in split_list(s.countries.upper()) for s in self.services)
