"""A reviewer's edits folded into the extracted and resolved order."""

from __future__ import annotations

from app.extraction.schema import Address, Extracted, ExtractedLine, ExtractedOrder
from app.resolution.models import (
    LineResolution,
    Resolution,
    ResolvedOrder,
    ShipToResolution,
    UomResolution,
)
from app.review.schemas import DraftEdits, LineEdit
from tools.masterdata import MasterData
from tools.units import to_base_units

PERSON = 1.0  # what a reviewer states is certain


def apply_review_edits(
    extracted: ExtractedOrder, resolved: ResolvedOrder, edits: DraftEdits, md: MasterData
) -> tuple[ExtractedOrder, ResolvedOrder]:
    """The order as the reviewer approved it; every edited value is marked certain."""
    ext = extracted.model_copy(deep=True)
    res = resolved.model_copy(deep=True)
    if edits.customer_id:
        res.customer = Resolution[str](
            value=edits.customer_id,
            confidence=PERSON,
            method="combined",
            evidence=["set by reviewer"],
        )
    if edits.customer_po_number:
        ext.customer_po_number = Extracted[str](value=edits.customer_po_number, confidence=PERSON)
    if edits.requested_delivery_date:
        ext.requested_delivery_date.value = edits.requested_delivery_date
        ext.requested_delivery_date.confidence = PERSON
    if edits.ship_to_id:
        ship = md.ship_tos.get(edits.ship_to_id)
        res.ship_to = ShipToResolution(
            value=edits.ship_to_id,
            confidence=PERSON,
            method="match",
            address=res.ship_to.address,
            is_new=False,
        )
        if ship is not None:
            res.ship_to.address = Address(
                name=ship.name,
                street=ship.street,
                city=ship.city,
                region=ship.region,
                postal_code=ship.postal_code,
                country=ship.country,
            )
    _apply_lines(ext, res, edits.lines, md)
    return ext, res


def _apply_lines(
    ext: ExtractedOrder, res: ResolvedOrder, edits: list[LineEdit], md: MasterData
) -> None:
    removed = {e.line_no - 1 for e in edits if e.remove and e.line_no is not None}
    for edit in edits:
        if edit.remove:
            continue
        if edit.line_no is None:
            ext.lines.append(ExtractedLine())
            res.lines.append(_blank(len(ext.lines) - 1))
            index = len(ext.lines) - 1
        else:
            index = edit.line_no - 1
        _edit_line(ext.lines[index], _resolution_at(res, index), edit, md)
    keep = [i for i in range(len(ext.lines)) if i not in removed]
    ext.lines = [ext.lines[i] for i in keep]
    kept = [ln for ln in res.lines if ln.index not in removed]
    for new_index, line in enumerate(kept):
        line.index = new_index
    res.lines = kept


def _blank(index: int) -> LineResolution:
    return LineResolution(index=index, item=Resolution[str](), uom=UomResolution())


def _resolution_at(res: ResolvedOrder, index: int) -> LineResolution:
    return next(ln for ln in res.lines if ln.index == index)


def _edit_line(
    line: ExtractedLine, resolution: LineResolution, edit: LineEdit, md: MasterData
) -> None:
    if edit.sku:
        resolution.item = Resolution[str](
            value=edit.sku, confidence=PERSON, method="exact_sku", evidence=["set by reviewer"]
        )
        line.customer_item_code.confidence = PERSON
    if edit.quantity is not None:
        line.quantity = Extracted(value=edit.quantity, confidence=PERSON)
        resolution.quantity = edit.quantity
    if edit.uom:
        line.uom = Extracted[str](value=edit.uom, confidence=PERSON)
    if edit.unit_price is not None:
        line.unit_price = Extracted(value=edit.unit_price, confidence=PERSON)
        resolution.unit_price = edit.unit_price
    sku, qty = resolution.item.value, resolution.quantity
    uom = edit.uom or resolution.uom.value or resolution.uom.as_written
    if sku and qty is not None:
        conv = to_base_units(md, sku, qty, uom)
        resolution.base_quantity = conv.base_quantity
        resolution.uom = UomResolution(
            value=conv.uom_code,
            confidence=PERSON if conv.base_quantity else 0.0,
            method="conversion",
            as_written=uom,
            factor=conv.factor,
        )
        product = md.products.get(sku)
        line.description.value = line.description.value or (
            product.description if product else None
        )
    # The reviewer has looked at this line: earlier flags are settled by their approval.
    resolution.flags = [f for f in resolution.flags if f == "discontinued_item"]
