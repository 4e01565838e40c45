"""Is the message an order at all, and does it change or cancel an earlier one?"""

from __future__ import annotations

import re

_ORDER_REF = r"(?:(?:our|the|this|my|purchase)\s+)?(?:order|po|p\.o\.|purchase\s+order)"
# Wording that only an amended order prints about itself.
AMENDMENT = re.compile(
    r"(?i)\b(not\s+a\s+new\s+order|revised\s+(?:po|p\.o\.|purchase\s+order|order)|"
    r"(?:po|order)\s+(?:revision|amendment)|amended\s+(?:po|order|purchase\s+order)|"
    r"amendment\s+(?:no\b|#)|updated\s+(?:po|order)|bestelländerung|änderung\s+(?:der|zur|"
    r"unserer)\s+bestellung|modification\s+de\s+(?:la\s+|notre\s+)?commande|modificación\s+"
    r"del\s+pedido)"
)
# Wording that printed terms also use ('buyer may cancel ...'): searched outside them only.
CHANGE = re.compile(
    r"(?i)\b(change\s+order|order\s+change|po\s+change|purchase\s+order\s+change|please\s+cancel|"
    rf"(?:we\s+(?:would\s+like|want|need)\s+to|kindly)\s+cancel|cancell?ation\s+of\s+{_ORDER_REF}|"
    r"order\s+cancell?ation|(?:po|order)\s+cancell?ed|stornierung\s+(?:der|unserer)\s+bestellung|"
    r"bitte\s+stornieren|annulation\s+de\s+(?:la\s+|notre\s+)?commande|annuler\s+(?:la|notre)\s+"
    r"commande|cancelar\s+(?:el|nuestro)\s+pedido)\b"
)
# A request to alter an order already placed ('please change PO 123: qty should be 24, not 12').
ALTER = re.compile(
    rf"(?i)\b(?:(?:please|pls|kindly|we\s+need\s+to|we\s+would\s+like\s+to)\s+(?:change|amend|"
    rf"modify|revise|update|correct|adjust|increase|reduce|decrease)\s+{_ORDER_REF}|"
    rf"changes?\s+to\s+{_ORDER_REF}|this\s+is\s+a\s+change\b|"
    r"(?:qty|quantity|menge|cantidad|quantité)\b[^.\n]{0,60}\bshould\s+(?:be|read)\s+\d[\d.,]*"
    r"\s*(?:\w+\s+)?(?:,?\s*not|instead\s+of|rather\s+than)\s+\d|"
    r"(?:bitte|wir\s+möchten)\s+(?:die\s+|unsere\s+)?bestellung\b[^.\n]{0,40}\b(?:ändern|"
    r"ergänzen|korrigieren)|zur\s+bestellung\s+\S+\s+ergänzen|merci\s+de\s+modifier\s+"
    r"(?:la\s+|notre\s+)?commande|(?:por\s+favor|favor\s+de)\s+(?:modificar|cambiar)\s+"
    r"(?:el\s+|nuestro\s+)?pedido)"
)
ORDER_WORDS = re.compile(
    r"(?i)\b(purchase\s+order|p\.?o\.?\s*(?:#|no|number|:)|order\s+(?:no|number|#)|bestellung|"
    r"bestellnummer|bon\s+de\s+commande|commande|pedido|orden\s+de\s+compra|please\s+(?:send|ship|"
    r"supply|deliver)|we\s+(?:need|would like to order|want to order)|order\s+for|place\s+an?\s+"
    r"order)"
)
NOT_ORDER = re.compile(
    r"(?i)\b(newsletter|unsubscribe|request\s+for\s+(?:a\s+)?quot(?:e|ation)|rfq|quotation\s+"
    r"request|please\s+quote|price\s+inquiry|trade\s+confirmation|invoice\s+(?:no|number|#|date)|"
    r"rechnung(?:snummer)?|facture\s+n|statement\s+of\s+account|remittance|payment\s+advice|"
    r"out\s+of\s+office|delivery\s+notification|shipping\s+confirmation|tracking\s+number)\b"
)


_TERMS = re.compile(
    r"(?i)\b(?:terms\s+(?:and|&)\s+conditions|general\s+terms|allgemeine\s+"
    r"(?:einkaufs|geschäfts)bedingungen|conditions\s+générales)\b"
)


def without_terms(text: str) -> str:
    """The text before a terms-and-conditions heading (that wording is not about this order)."""
    m = _TERMS.search(text, 200)
    return text[: m.start()] if m else text


def is_change(texts: list[str]) -> tuple[bool, float]:
    """Amendment, alteration or cancellation wording in the message, outside printed terms."""
    kinds = [
        bool(
            AMENDMENT.search(t) or CHANGE.search(without_terms(t)) or ALTER.search(without_terms(t))
        )
        for t in texts
    ]
    signals = sum(kinds)
    explicit = any(CHANGE.search(without_terms(t)) or AMENDMENT.search(t) for t in texts)
    if signals and explicit and any(ALTER.search(without_terms(t)) for t in texts):
        return True, 0.96  # asked to change, and said it is a change order
    if signals:
        return True, 0.9
    return False, 0.93


STRONG_ORDER = re.compile(
    r"(?i)\b(purchase\s+order|bestellung|bon\s+de\s+commande|orden\s+de\s+"
    r"compra|pedido\s+de\s+compra)\b"
)


def is_order(texts: list[str], *, lines: int, has_po_number: bool) -> tuple[bool, float]:
    """An order has order signals and lines; non-order signals without a PO title say no."""
    joined = "\n".join(texts)
    order_hits = len(ORDER_WORDS.findall(joined))
    negative = bool(NOT_ORDER.search(joined))
    if negative and not STRONG_ORDER.search(joined):
        return False, 0.75
    if lines and (has_po_number or order_hits):
        return True, 0.6 if negative else 0.9
    if lines:
        return True, 0.6
    if has_po_number and order_hits:
        return True, 0.55
    return False, 0.7
