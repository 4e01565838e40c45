"""Calibrated confidences: how often a value read with a given kind of evidence is right.

The label rules rank candidates with raw scores; this module turns the evidence behind the
chosen value into a probability. The tables were fitted on the generated and hand-written eval
sets (rounded down, never above what was observed) and are deliberately coarse.
"""

from __future__ import annotations

import re
from decimal import Decimal

from app.extraction.rules.header import ISO_CURRENCIES
from app.extraction.rules.lines_model import DraftLine
from app.extraction.schema import ExtractedOrder

# Raw rule score -> probability the value is right, per header field (first step at or below).
_PRESENT: dict[str, tuple[tuple[float, float], ...]] = {
    "customer_po_number": ((0.95, 0.97), (0.9, 0.9), (0.8, 0.9), (0.0, 0.85)),
    "order_date": ((0.9, 0.96), (0.8, 0.93), (0.0, 0.8)),
    "requested_delivery_date": ((0.8, 0.94), (0.0, 0.85)),
    "currency": ((0.9, 0.97), (0.75, 0.95), (0.0, 0.9)),
    "total": ((0.95, 0.97), (0.0, 0.93)),
    "customer_name": ((0.8, 0.88), (0.0, 0.8)),
    "ship_to": ((0.0, 0.6),),
}
# Probability that a field the rules did not find is really not stated.
_ABSENT: dict[str, float] = {
    "customer_po_number": 0.55,
    "order_date": 0.7,
    "requested_delivery_date": 0.8,
    "currency": 0.85,
    "total": 0.93,
    "customer_name": 0.5,
    "ship_to": 0.7,
}
VERIFIED = 0.95  # lines that add up to the stated total or subtotal
ARITHMETIC = 0.93  # quantity x unit price = the printed line amount
UNVERIFIED: dict[str, float] = {"grid": 0.85, "layout": 0.8, "prose": 0.7}
CHANGE_CAP = 0.75  # an amended order restates only part of the order
CENT = Decimal("0.01")


# Wording without which a document cannot state the field. When none of it appears anywhere
# in the message, "not stated" is near-certain; when some does, a miss is possible and the
# field keeps the prior of _ABSENT.
_CUES: dict[str, re.Pattern[str]] = {
    "customer_po_number": re.compile(
        r"\b(?:p\.?\s?o\b|purchase|order|ord\b|ref|bestell|auftrag|commande|pedido|"
        r"orden|n[°ºo]\.?\s?\d)",
        re.IGNORECASE,
    ),
    "order_date": re.compile(
        r"\d{1,4}\s?[./-]\s?\d{1,2}\s?[./-]\s?\d{1,4}|\b\d{1,2}\s?[./-]\s?\d{1,2}\b|"
        r"\b(?:jan|feb|m[aä]r|apr|ma[iy]|jun|jul|aug|sep|o[ck]t|nov|d[ée][cz]|ene|abr|dic|"
        r"janv|f[ée]v|avr|juil|ao[uû]t|sept|date|datum|fecha)",
        re.IGNORECASE,
    ),
    "requested_delivery_date": re.compile(
        r"\b(?:deliver|delivery|need|needed|required|requir|due|arriv|ship\s+by|by\s+\w+day|"
        r"before|no later|asap|urgent|liefer|livr|entrega|antes|avant)",
        re.IGNORECASE,
    ),
    "currency": re.compile(
        rf"[$€£¥₹]|\b(?:{'|'.join(sorted(ISO_CURRENCIES))})\b|\b(?i:dollar|euro|pound)"
    ),
    "total": re.compile(
        r"\b(?:total|sum|gesamt|summe|montant|importe|betrag|amount)", re.IGNORECASE
    ),
}
NOT_STATED = 0.96  # nothing in the message could state the field


def calibrate_header(order: ExtractedOrder, text: str = "") -> None:
    """Replace the raw rule scores of the header fields by calibrated probabilities."""
    for name, steps in _PRESENT.items():
        field = getattr(order, name)
        if field.value is None:
            cue = _CUES.get(name)
            no_wording = cue is not None and cue.search(text) is None
            field.confidence = NOT_STATED if no_wording else _ABSENT[name]
            continue
        field.confidence = next(p for floor, p in steps if field.confidence >= floor)


def lines_verified(
    drafts: list[DraftLine], order: ExtractedOrder, subtotal: Decimal | None
) -> bool:
    """The lines add up to the stated subtotal, or with the stated charges to the total."""
    amounts = [d.amount if d.amount is not None else _extended(d) for d in drafts]
    if not amounts or any(a is None for a in amounts):
        return False
    summed = sum((a for a in amounts if a is not None), Decimal(0))
    charges = sum(
        (c.value for c in (order.tax, order.freight, order.other_charges) if c.value is not None),
        Decimal(0),
    )
    total = order.total.value
    return any(
        stated is not None and abs(stated - value) <= CENT
        for stated, value in ((subtotal, summed), (total, summed + charges), (total, summed))
    )


def _extended(draft: DraftLine) -> Decimal | None:
    if draft.quantity is None or draft.unit_price is None:
        return None
    return (draft.quantity * draft.unit_price).quantize(CENT)


def line_confidence(draft: DraftLine, method: str, *, verified: bool, change: bool) -> float:
    """How sure we are of one line's quantity, identity and price."""
    if draft.warnings:
        conf = 0.5
    elif draft.amount is not None and draft.unit_price is None:
        conf = min(UNVERIFIED.get(method, 0.7), 0.8)  # a price column that was not read
    elif verified:
        conf = VERIFIED
    elif draft.arithmetic_ok():
        conf = ARITHMETIC
    else:
        conf = UNVERIFIED.get(method, 0.7)
    return min(conf, CHANGE_CAP) if change else conf
