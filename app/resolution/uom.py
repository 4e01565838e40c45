"""Units of measure as written ("cs", "box of 12", "Stk") mapped to a product's units."""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal

from app.resolution.models import UomResolution
from app.resolution.normalise import words
from tools.masterdata import MasterData, Product

_SYNONYMS: dict[str, tuple[str, ...]] = {
    "EA": (
        "ea",
        "each",
        "pc",
        "pcs",
        "pce",
        "pces",
        "piece",
        "pieces",
        "unit",
        "units",
        "stk",
        "stuck",
        "stueck",
        "st",
        "un",
        "unite",
        "unites",
        "pieza",
        "piezas",
        "ud",
        "uds",
        "u",
        "no",
        "nos",
        "item",
        "items",
    ),
    "CS": ("cs", "case", "cases", "cse", "caja", "cajas"),
    "BX": ("bx", "box", "boxes", "bxs", "karton", "boite", "boites"),
    "CT": ("ct", "ctn", "ctns", "carton", "cartons"),
    "PK": ("pk", "pack", "packs", "pkg", "pkgs", "package", "packages", "pck", "pckg"),
    "DZ": ("dz", "doz", "dozen", "dozens"),
    "PR": ("pr", "pair", "pairs", "paar"),
    "SET": ("set", "sets", "satz"),
    "RL": ("rl", "roll", "rolls", "rolle", "rollen"),
    "BG": ("bg", "bag", "bags", "sack"),
    "PL": ("pl", "plt", "pallet", "pallets", "palette"),
    "DR": ("dr", "drum", "drums"),
    "FT": ("ft", "feet", "foot"),
    "IN": ("in", "inch", "inches"),
    "M": ("m", "mtr", "meter", "meters", "metre", "metres"),
    "KG": ("kg", "kgs", "kilo", "kilos", "kilogram", "kilograms"),
    "LB": ("lb", "lbs", "pound", "pounds"),
    "L": ("l", "ltr", "liter", "liters", "litre", "litres"),
    "GAL": ("gal", "gallon", "gallons"),
}
CANONICAL: dict[str, str] = {syn: code for code, syns in _SYNONYMS.items() for syn in syns}

# Units whose size is fixed by definition, in base units of "EA".
_INTRINSIC = {"DZ": Decimal(12)}

_PACK_OF = re.compile(r"^(?P<unit>[a-z]+) (?:of|a|x|mit|de|with) (?P<n>\d+)(?: [a-z]+)?$")
_N_PER = re.compile(r"^(?P<n>\d+) (?:per |pro |par |por |a |x )?(?P<unit>[a-z]+)$")
_UNIT_N = re.compile(r"^(?P<unit>[a-z]+) (?P<n>\d+)$")


@dataclass(frozen=True)
class WrittenUnit:
    """A written unit read as a canonical code, with a pack size when one is written."""

    code: str | None  # None when the unit is not known at all
    pack: Decimal | None = None


def parse_unit(written: str) -> WrittenUnit:
    """ "Box of 12" -> BX/12, "cs" -> CS, "12/case" -> CS/12, "Stück" -> EA."""
    text = " ".join(words(written))
    if text in CANONICAL:
        return WrittenUnit(CANONICAL[text])
    for pattern in (_PACK_OF, _N_PER, _UNIT_N):
        m = pattern.match(text)
        if m and m["unit"] in CANONICAL:
            return WrittenUnit(CANONICAL[m["unit"]], Decimal(m["n"]))
    m = re.match(r"^(?P<n>\d+) ?pack$", text)
    if m:
        return WrittenUnit("PK", Decimal(m["n"]))
    return WrittenUnit(None)


def canonical(unit: str) -> str:
    """The canonical code of a master-data unit ("Case" -> CS); unknown units upper-cased."""
    return CANONICAL.get(" ".join(words(unit)), unit.strip().upper())


def resolve_uom(*, written: str | None, product: Product, master: MasterData) -> UomResolution:
    """The product unit meant by `written`, with base units per written unit."""
    base = canonical(product.base_uom)
    if not written or not written.strip():
        return _missing(product, base, master)
    unit = parse_unit(written)
    if unit.code is None:
        return _mismatch(written, f"unit {written!r} is not a known unit")
    factor, source = _factor(unit.code, base, product, master)
    if factor is None:
        return _mismatch(written, f"{product.sku} is not sold in {unit.code} (base {base})")
    if unit.pack is not None and unit.pack != factor and factor != 1:
        return _mismatch(
            written,
            f"written pack of {unit.pack} but {unit.code} of {product.sku} holds {factor} {base}",
        )
    method = "base" if factor == 1 and unit.code == base else "conversion"
    return UomResolution(
        value=unit.code,
        as_written=written,
        factor=factor,
        method=method,
        confidence=0.98 if source == "master" else 0.9,
        evidence=[f"{written!r} = {unit.code} = {factor} {base} ({source})"],
    )


def _factor(
    code: str, base: str, product: Product, master: MasterData
) -> tuple[Decimal | None, str]:
    if code == base:
        return Decimal(1), "master"
    for (sku, uom), conversion in master.conversions.items():
        if sku == product.sku and canonical(uom) == code:
            return conversion.factor, "master"
    if base == "EA" and code in _INTRINSIC:
        return _INTRINSIC[code], "by definition"
    return None, ""


def _units_of(product: Product, master: MasterData) -> list[str]:
    return [uom for (sku, uom) in master.conversions if sku == product.sku]


def _missing(product: Product, base: str, master: MasterData) -> UomResolution:
    others = _units_of(product, master)
    # With no other unit to choose from, the base unit is all the buyer can have meant.
    confidence = 0.95 if not others else 0.7
    note = f"also sold in {', '.join(others)}" if others else "sold only in its base unit"
    return UomResolution(
        value=base,
        factor=Decimal(1),
        method="missing",
        confidence=confidence,
        evidence=[f"no unit written: base unit {base} assumed ({note})"],
    )


def _mismatch(written: str, why: str) -> UomResolution:
    return UomResolution(as_written=written, reason="uom_mismatch", evidence=[why])
