"""Resolve a whole extracted order: customer, ship-to and every line."""

from __future__ import annotations

from decimal import Decimal

from app.documents.model import ParsedMessage
from app.extraction.schema import ExtractedLine, ExtractedOrder
from app.resolution.customer import resolve_customer
from app.resolution.items import Catalog, resolve_item
from app.resolution.models import LineFlag, LineResolution, OrderFlag, ResolvedOrder, UomResolution
from app.resolution.ship_to import resolve_ship_to
from app.resolution.uom import resolve_uom
from tools.masterdata import MasterData

PRICE_PLACES = Decimal("0.000001")


def resolve_order(
    order: ExtractedOrder, message: ParsedMessage, master: MasterData
) -> ResolvedOrder:
    """Resolve `order` (from `message`) against `master`; pure, no I/O."""
    customer = resolve_customer(
        sender=message.sender, customer_name=order.customer_name.value, master=master
    )
    ship_to = resolve_ship_to(
        address=order.ship_to.value, customer_id=customer.value, master=master
    )
    catalog = Catalog.of(master)
    lines = [
        resolve_line(line, index=i, customer_id=customer.value, catalog=catalog, master=master)
        for i, line in enumerate(order.lines)
    ]
    flags: list[OrderFlag] = []
    if customer.value is None or customer.method == "conflict":
        flags.append("customer_conflict" if customer.method == "conflict" else "unknown_customer")
    if ship_to.is_new:
        flags.append("new_ship_to")
    elif ship_to.value is None and customer.value is not None:
        flags.append("no_ship_to")
    return ResolvedOrder(customer=customer, ship_to=ship_to, lines=lines, flags=flags)


def resolve_line(
    line: ExtractedLine,
    *,
    index: int,
    customer_id: str | None,
    catalog: Catalog,
    master: MasterData,
) -> LineResolution:
    """One line: its SKU, unit, and quantity and price in base units."""
    item, item_flags = resolve_item(
        code=line.customer_item_code.value,
        description=line.description.value,
        customer_id=customer_id,
        catalog=catalog,
    )
    flags: list[LineFlag] = [f for f in _LINE_FLAGS if f in item_flags]
    product = master.products.get(item.value) if item.value else None
    uom = UomResolution(as_written=line.uom.value, reason="unknown_item")
    if product is not None:
        uom = resolve_uom(written=line.uom.value, product=product, master=master)
        if uom.reason == "uom_mismatch":
            flags.append("uom_mismatch")
        if product.discontinued:
            flags.append("discontinued_item")
    quantity = line.quantity.value
    flags += _quantity_flags(quantity)
    return LineResolution(
        index=index,
        item=item,
        uom=uom,
        quantity=quantity,
        base_quantity=quantity * uom.factor if quantity is not None and uom.factor else None,
        unit_price=line.unit_price.value,
        base_unit_price=_per_base(line.unit_price.value, uom.factor),
        flags=flags,
    )


_LINE_FLAGS: tuple[LineFlag, ...] = ("confusable_chars", "ambiguous_item", "unknown_item")


def _quantity_flags(quantity: Decimal | None) -> list[LineFlag]:
    if quantity is None:
        return ["missing_quantity"]
    return ["invalid_quantity"] if quantity <= 0 else []


def _per_base(price: Decimal | None, factor: Decimal | None) -> Decimal | None:
    if price is None or not factor:
        return None
    return (price / factor).quantize(PRICE_PLACES).normalize()
