"""Column header labels of line-item tables, in several languages, mapped to column roles."""

from __future__ import annotations

import re
from typing import Literal

Role = Literal[
    "line",
    "code",
    "item",
    "description",
    "quantity",
    "uom",
    "price",
    "amount",
    "date",
    "discount",
    "tax",
    "other",
]
# Units of measure as written after a quantity, in EN/DE/FR/ES.
UNIT_WORDS = (
    r"(?:ea|each|pcs?\.?|pieces?|units?|cases?|cs|boxes|box|bx|cartons?|ctns?|packs?|pk|"
    r"packages?|pallets?|plts?|rolls?|bags?|bottles?|cans?|drums?|kits?|sets?|pairs?|dozen|"
    r"doz|dz|reams?|tubes?|sheets?|meters?|metres?|m|kg|lbs?|ft|feet|lf|liters?|litres?|"
    r"gallons?|gal|stk\.?|stück|st\.|pièces?|unités?|unidades?|cajas?|bo[iî]tes?|kartons?|"
    r"pakete?|rollen|flaschen|sacks?|spools?|pares|paires|paar|bx|pr|prs|rl|dr|ctn|kart\.?|"
    r"pkgs?|bundles?|bdl|coils?|tins?|jars?|cartridges?)"
)
VALUE_ROLES: tuple[Role, ...] = (
    "code",
    "description",
    "quantity",
    "uom",
    "price",
    "amount",
    "date",
)

_LABELS: dict[Role, tuple[str, ...]] = {
    "line": (
        "ln",
        "line",
        "line no",
        "line #",
        "pos",
        "pos.",
        "position",
        "lfd nr",
        "nr",
        "no",
        "#",
        "s/n",
        "sr no",
        "sl no",
    ),
    "item": (
        "item",
        "item no",
        "item #",
        "item number",
        "article",
        "art no",
        "art.-nr",
        "artikel",
        "artikel-nr",
        "artikelnr",
        "artikelnummer",
        "n°",
        "article no",
    ),
    "code": (
        "part",
        "part no",
        "part #",
        "part number",
        "part num",
        "pn",
        "p/n",
        "sku",
        "code",
        "item code",
        "product code",
        "product no",
        "product #",
        "material",
        "material no",
        "mat no",
        "catalog",
        "catalog no",
        "cat no",
        "cat. no",
        "model",
        "model no",
        "ref",
        "ref.",
        "référence",
        "reference",
        "referencia",
        "réf",
        "your part",
        "our part",
        "customer part",
        "item/sku",
        "mfr part",
        "vendor part",
        "supplier part",
        "codigo",
        "código",
        "product id",
        "item id",
        "sachnummer",
        "part/description",
        "part / description",
        "item/description",
        "part number/description",
        "part no/description",
    ),
    "description": (
        "description",
        "desc",
        "item description",
        "product description",
        "product",
        "details",
        "bezeichnung",
        "beschreibung",
        "artikelbezeichnung",
        "désignation",
        "designation",
        "libellé",
        "descripción",
        "descripcion",
        "description/f.s.n.",
        "item / description",
        "product name",
        "name",
        "leistung",
        "text",
    ),
    "quantity": (
        "qty",
        "qty.",
        "quantity",
        "qty ordered",
        "quantity ordered",
        "ordered",
        "order qty",
        "menge",
        "anzahl",
        "bestellmenge",
        "quantité",
        "qté",
        "cantidad",
        "cant.",
        "pcs",
        "units",
        "qty/units",
    ),
    "uom": (
        "uom",
        "u/m",
        "um",
        "u m",
        "unit",
        "unit of measure",
        "units of measure",
        "me",
        "einheit",
        "unité",
        "unidad",
        "measure",
        "pack",
        "pack size",
    ),
    "price": (
        "unit price",
        "price",
        "price each",
        "each",
        "rate",
        "unit cost",
        "cost",
        "price/unit",
        "unit rate",
        "net price",
        "einzelpreis",
        "preis",
        "stückpreis",
        "e-preis",
        "prix unitaire",
        "prix",
        "p.u.",
        "pu",
        "precio",
        "precio unitario",
        "price per unit",
        "unit price ($)",
        "unit price (€)",
    ),
    "amount": (
        "amount",
        "ext",
        "ext.",
        "extended",
        "extended price",
        "ext price",
        "extended cost",
        "extension",
        "total",
        "line total",
        "net amount",
        "net value",
        "value",
        "gesamtpreis",
        "gesamt",
        "betrag",
        "summe",
        "montant",
        "total ht",
        "importe",
        "subtotal",
        "total price",
        "amount ($)",
        "total (€)",
    ),
    "date": (
        "due date",
        "delivery date",
        "date",
        "due",
        "req date",
        "required date",
        "need by",
        "ship date",
        "delivery",
        "liefertermin",
        "lieferdatum",
        "date de livraison",
        "fecha de entrega",
        "requested date",
        "promise date",
    ),
    "discount": (
        "discount",
        "disc",
        "disc %",
        "discount %",
        "discount amount",
        "rabatt",
        "remise",
        "descuento",
    ),
    "tax": ("tax", "tax %", "vat", "vat %", "mwst", "ust", "tva", "iva"),
    "other": (
        "f.s.n.",
        "fsn",
        "category",
        "rev",
        "revision",
        "weight",
        "notes",
        "note",
        "remarks",
        "item details",
    ),
}

# Labels that name the quantity alone but the unit when another column holds the quantity.
QUANTITY_OR_UNIT = frozenset({"units", "pcs"})

LABEL_ROLE: dict[str, Role] = {label: role for role, labels in _LABELS.items() for label in labels}
MAX_LABEL_WORDS = 3


def normalise_label(text: str) -> str:
    """A header phrase as a vocabulary key: lower case, single spaces, no trailing ':' or '.'."""
    text = re.sub(r"\s+", " ", text.casefold().replace("\u00a0", " ")).strip()
    return text.strip(":").strip()


def role_of(text: str) -> Role | None:
    """The role a header phrase names, or None."""
    key = normalise_label(text)
    role = LABEL_ROLE.get(key) or LABEL_ROLE.get(key.rstrip("."))
    if role is None:
        role = LABEL_ROLE.get(re.sub(r"[.()$€£:]", "", key).strip())
    return role


def second_quantity_is_unit(labels: list[str], roles: list[Role | None]) -> list[Role | None]:
    """With two quantity labels and no unit column, a 'Units'/'Pcs' label names the unit."""
    quantities = [i for i, r in enumerate(roles) if r == "quantity"]
    if len(quantities) < 2 or "uom" in roles:
        return roles
    out = list(roles)
    for i in quantities:
        if normalise_label(labels[i]) in QUANTITY_OR_UNIT:
            out[i] = "uom"
            break
    return out
