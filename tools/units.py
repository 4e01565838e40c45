"""Convert an ordered quantity in any written unit of measure to a SKU's base units."""

from __future__ import annotations

import re
from decimal import Decimal

from tools.masterdata import MasterData, Product
from tools.results import Issue, Result

# Written unit -> canonical code. A synonym only converts when the canonical code (or the base
# unit) does; DZ is the exception: a dozen is 12 of a counted base unit even without a record.
UOM_SYNONYMS: dict[str, str] = {
    **dict.fromkeys(("EA", "EACH", "PC", "PCS", "PCE", "PIECE", "PIECES", "UNIT", "UNITS"), "EA"),
    **dict.fromkeys(("STK", "STÜCK", "STUECK"), "EA"),
    **dict.fromkeys(("CS", "CASE", "CASES"), "CS"),
    **dict.fromkeys(("BX", "BOX", "BOXES"), "BX"),
    **dict.fromkeys(("PK", "PACK", "PACKS", "PKG"), "PK"),
    **dict.fromkeys(("DZ", "DOZ", "DZN", "DOZEN"), "DZ"),
}
DOZEN = Decimal(12)
_PACK_SIZE = re.compile(r"^(?P<unit>[^\W\d]+)\s*(?:OF|/|X)\s*(?P<size>\d+)$")


class UnitConversion(Result):
    """An ordered quantity in base units, or why it could not be converted."""

    sku: str
    quantity: Decimal
    uom: str | None  # as written
    uom_code: str | None  # the canonical code it resolved to
    base_uom: str | None
    factor: Decimal | None  # base units per ordered unit
    base_quantity: Decimal | None
    uom_mismatch: bool
    issues: tuple[Issue, ...] = ()
    explanation: str


def canonical_uom(uom: str) -> str:
    """The canonical code of a written unit (upper case, synonyms folded)."""
    code = uom.strip().upper().rstrip(".")
    return UOM_SYNONYMS.get(code, code)


def to_base_units(md: MasterData, sku: str, quantity: Decimal, uom: str | None) -> UnitConversion:
    """Convert `quantity` `uom` of `sku` to base units using the SKU's UomConversion records."""
    product = md.products.get(sku)
    if product is None:
        issue = Issue(code="unknown_sku", detail=f"SKU {sku!r} is not in the catalogue")
        return _failed(sku, quantity, uom, None, (issue,))
    if uom is None or not uom.strip():
        issue = Issue(code="uom_assumed", detail=f"no unit written; assumed {product.base_uom}")
        return _converted(product, quantity, uom, product.base_uom, Decimal(1), (issue,))
    written = uom.strip().upper().rstrip(".")
    pack = _PACK_SIZE.match(written)
    unit = pack["unit"] if pack else written
    code, factor = _factor(md, product, unit)
    if factor is None:
        detail = f"{uom!r} is not a known unit of {sku} (base {product.base_uom})"
        return _failed(sku, quantity, uom, product, (Issue(code="uom_mismatch", detail=detail),))
    if pack and Decimal(pack["size"]) != factor:
        detail = f"{uom!r} states {pack['size']} per {code}, master data has {factor}"
        return _failed(sku, quantity, uom, product, (Issue(code="uom_mismatch", detail=detail),))
    return _converted(product, quantity, uom, code, factor, ())


def _factor(md: MasterData, product: Product, unit: str) -> tuple[str, Decimal | None]:
    """The canonical code of `unit` and its base units per unit, when master data knows it."""
    code = UOM_SYNONYMS.get(unit, unit)
    if unit == product.base_uom.upper() or code == canonical_uom(product.base_uom):
        return code, Decimal(1)
    for key in (unit, code):
        conversion = md.conversions.get((product.sku, key))
        if conversion is not None:
            return code, conversion.factor
    for (sku, stored), conversion in md.conversions.items():
        if sku == product.sku and canonical_uom(stored) == code:
            return code, conversion.factor
    if code == "DZ" and canonical_uom(product.base_uom) == "EA":
        return code, DOZEN
    return code, None


def _converted(
    product: Product,
    quantity: Decimal,
    uom: str | None,
    code: str,
    factor: Decimal,
    issues: tuple[Issue, ...],
) -> UnitConversion:
    base_quantity = quantity * factor
    if quantity <= 0:
        issues += (Issue(code="invalid_quantity", detail=f"quantity {quantity} is not positive"),)
    return UnitConversion(
        sku=product.sku,
        quantity=quantity,
        uom=uom,
        uom_code=code,
        base_uom=product.base_uom,
        factor=factor,
        base_quantity=base_quantity,
        uom_mismatch=False,
        issues=issues,
        explanation=f"{quantity} {code} x {factor} = {base_quantity} {product.base_uom}",
    )


def _failed(
    sku: str,
    quantity: Decimal,
    uom: str | None,
    product: Product | None,
    issues: tuple[Issue, ...],
) -> UnitConversion:
    return UnitConversion(
        sku=sku,
        quantity=quantity,
        uom=uom,
        uom_code=None,
        base_uom=product.base_uom if product else None,
        factor=None,
        base_quantity=None,
        uom_mismatch=product is not None,
        issues=issues,
        explanation="; ".join(issue.detail for issue in issues),
    )
