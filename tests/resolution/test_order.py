"""A whole order resolved: flags, base quantities, and the JSON round trip."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from app.documents.model import ParsedMessage
from app.extraction.schema import Address, Extracted, ExtractedLine, ExtractedOrder
from app.resolution import ResolvedOrder, resolve_order
from tools.masterdata import MasterData


def _line(
    code: str | None, desc: str | None, qty: str | None, uom: str | None, price: str | None = None
) -> ExtractedLine:
    def ex(value: Any) -> Any:
        return Extracted(value=value, confidence=0.95)

    return ExtractedLine(
        customer_item_code=ex(code),
        description=ex(desc),
        quantity=ex(Decimal(qty) if qty else None),
        uom=ex(uom),
        unit_price=ex(Decimal(price) if price else None),
    )


def _order(*lines: ExtractedLine, ship_to: Address | None = None) -> ExtractedOrder:
    return ExtractedOrder(
        customer_name=Extracted(value="Harbor Marine Supply Co.", confidence=0.9),
        ship_to=Extracted(value=ship_to),
        lines=list(lines),
    )


MESSAGE = ParsedMessage(sender="buyer@harbormarine.com", subject="PO HMS-20931")


def test_clean_order_resolves_with_base_quantities(master: MasterData) -> None:
    order = _order(
        _line("HM-7781", "Stainless hex bolt M8x40", "2", "box of 12", "5.04"),
        _line("FAS-HN-M8-SS", "hex nut", "200", "EA", "0.10"),
    )
    r = resolve_order(order, MESSAGE, master)
    assert r.customer.value == "CUST-HMS"
    assert (r.ship_to.value, r.ship_to.method) == ("ST-HMS-1", "default")
    first, second = r.lines
    assert (first.item.value, first.uom.factor, first.base_quantity) == (
        "FAS-HB-M8-40-SS",
        Decimal(12),
        Decimal(24),
    )
    assert first.base_unit_price == Decimal("0.42")
    assert second.base_quantity == Decimal(200)
    assert r.all_items_certain
    assert r.flags == [] and r.line_flags() == []


def test_flags_for_unknown_uom_discontinued_quantity_and_new_ship_to(master: MasterData) -> None:
    order = _order(
        _line("FAS-HB-M8-40-SS", None, "10", "flurbs"),
        _line("OLD-CLAMP-1", None, "5", "EA"),
        _line("FAS-HN-M8-SS", None, None, "EA"),
        _line("FAS-WS-M8-SS", None, "0", "EA"),
        ship_to=Address(street="9 Elsewhere Blvd", city="Tacoma", postal_code="98402"),
    )
    r = resolve_order(order, MESSAGE, master)
    assert [ln.flags for ln in r.lines] == [
        ["uom_mismatch"],
        ["discontinued_item"],
        ["missing_quantity"],
        ["invalid_quantity"],
    ]
    assert r.lines[0].base_quantity is None
    assert r.flags == ["new_ship_to"]
    assert r.ship_to.address is not None
    assert not r.all_items_certain


def test_unknown_customer_order(master: MasterData) -> None:
    message = ParsedMessage(sender=None)
    order = ExtractedOrder(
        customer_name=Extracted(value="Nobody Inc"), lines=[_line("HM-7781", None, "1", "EA")]
    )
    r = resolve_order(order, message, master)
    assert r.flags == ["unknown_customer"]
    assert r.lines[0].item.value is None  # a cross reference needs a known customer


def test_round_trips_through_json(master: MasterData) -> None:
    order = _order(_line("HM-7781", None, "2", "cs", "60"), _line("НM-7781", "hex bolt", "1", None))
    r = resolve_order(order, MESSAGE, master)
    again = ResolvedOrder.model_validate_json(r.model_dump_json())
    assert again == r
    assert again.lines[1].flags == ["confusable_chars", "unknown_item"]
