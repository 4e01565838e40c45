"""Order header fields by their labels: PO number, order date, delivery date, total, currency."""

from __future__ import annotations

import re
from datetime import date
from decimal import Decimal

from app.extraction.rules.dates import DayOrder, find_dates
from app.extraction.rules.labels import Candidate, LabelRule, ValueParser, find_labelled, rule
from app.extraction.rules.layout import Layout, Token
from app.extraction.rules.numbers import has_non_ascii_digits, parse_number

_NO = r"(?:number|numb|num|no\.?|nr\.?|n°|nº|#)"
PO_RULES: list[LabelRule] = [
    rule(
        rf"\b(?:p\.?\s?o\.?|purchase\s*order|customer\s*order|order)\s*{_NO}(?:\s*/\s*date)?\s*:?",
        0.95,
    ),
    rule(
        r"\b(?:bestell(?:ung)?\s*-?\s*(?:nummer|nr\.?)|auftragsnummer|auftrags-?nr\.?)\s*:?", 0.95
    ),
    rule(
        r"\b(?:commande\s*n[°º]|n[°º]\s*de\s*commande|num[ée]ro\s*de\s*commande|bon de commande"
        r"\s*n[°º]?|n[úu]mero\s*de\s*pedido|pedido\s*n[º°o]\.?|orden\s*de\s*compra\s*n?[º°o]?\.?)"
        r"\s*:?",
        0.9,
    ),
    rule(r"\bp\.?o\.?\s*[:#]", 0.9),
    rule(r"\b(?:document|doc\.?)\s*(?:number|no\.?|#)\s*:?", 0.75),
    rule(r"\bp\.?o\.?(?=\s+[A-Z]{0,4}-?\d)", 0.8, below=False),
    rule(r"\bpurchase\s+order\b\s*:?", 0.65),
]
ORDER_DATE_RULES: list[LabelRule] = [
    rule(r"\b(?:p\.?o\.?|purchase\s*order|order|document|doc\.?)\s*(?:issue\s*)?date\b\s*:?", 0.95),
    rule(r"\bnumber\s*/\s*date\b\s*:?", 0.95),
    rule(
        r"\b(?:bestelldatum|auftragsdatum|date\s*de\s*(?:la\s*)?commande|fecha\s*(?:del\s*)?"
        r"pedido)\b\s*:?",
        0.95,
    ),
    rule(r"\b(?:dated|issued|date\s*issued)\b\s*(?:as|on)?\s*:?", 0.85),
    rule(
        r"\b(?:date|datum|fecha)\b\s*:?",
        0.7,
        reject=r"\b(?:due|deliver|delivery|ship|required|need|printed|invoice|requested|approved|"
        r"promise|valid|expir|lieferung|liefer|livraison|entrega|birth|start|end|effective)\W*"
        r"(?:\w+\W+)?(?:date|datum|fecha)",
    ),
]
DELIVERY_RULES: list[LabelRule] = [
    rule(r"\b(?:requested|required|req\.?)\s*(?:delivery|ship|arrival)?\s*(?:date|by)\b\s*:?", 0.9),
    rule(r"\bdeliver(?:y|ed)?\s*(?:date|by|before|on|no later than)\b\s*:?", 0.9),
    rule(
        r"\b(?:need|needed|required)\s*(?:it|them|this|these|delivery)?\s*(?:by|before|on)\b\s*:?",
        0.85,
    ),
    rule(r"\b(?:due\s*date|ship\s*by|ship\s*date|arrive\s*by|in\s*house\s*by)\b\s*:?", 0.8),
    rule(
        r"\b(?:liefertermin|lieferdatum|wunschtermin|liefern\s*bis|date\s*de\s*livraison|"
        r"livraison\s*(?:le|pour|avant)|livrer\s*(?:le|avant)|fecha\s*de\s*entrega|"
        r"entregar\s*(?:el|antes\s*del?))\b\s*:?",
        0.9,
    ),
]
_NOT_GRAND = (
    r"(?!\s*(?:before|tax|qty|quantity|items|weight|units|excl|net|ht\b|pieces|lines|"
    r"discount|savings))"
)
TOTAL_RULES: list[LabelRule] = [
    rule(
        r"\b(?:grand\s*total|order\s*total|total\s*order|total\s*amount|total\s*due|"
        r"total\s*(?:po|purchase\s*order)\s*(?:value|amount)?|po\s*total|total\s*value|"
        r"gesamtbetrag|gesamtsumme|endbetrag|montant\s*total|total\s*ttc|importe\s*total|"
        r"total\s*general)\b\s*:?",
        0.9,
    ),
    rule(rf"^\W*(?:total|summe|gesamt)\b{_NOT_GRAND}\s*:?", 0.75),
    rule(rf"(?<!sub)(?<!sub-)(?<!sub\s)\btotal\b{_NOT_GRAND}\s*:?", 0.6, below=False),
]
_ID = re.compile(r"^[#:]?([A-Za-z0-9][A-Za-z0-9\-/_.]*[A-Za-z0-9])[.,;:]?$")
_FRACTION = re.compile(r"^\d{1,2}/\d{1,2}$")
_PHONE = re.compile(r"^\(?\d{3}\)?[-. ]\d{3}[-. ]\d{4}$")
CURRENCY_SYMBOLS = {
    "US$": "USD",
    "USD$": "USD",
    "C$": "CAD",
    "CA$": "CAD",
    "A$": "AUD",
    "AU$": "AUD",
    "NZ$": "NZD",
    "HK$": "HKD",
    "S$": "SGD",
    "R$": "BRL",
    "€": "EUR",
    "£": "GBP",
    "¥": "JPY",
    "₹": "INR",
    "CHF": "CHF",
    "Fr.": "CHF",
    "zł": "PLN",
    "kr": "SEK",
    "$": "USD",
}
ISO_CURRENCIES = (
    "USD",
    "EUR",
    "GBP",
    "CAD",
    "AUD",
    "CHF",
    "JPY",
    "CNY",
    "MXN",
    "SEK",
    "NOK",
    "DKK",
    "PLN",
    "INR",
    "NZD",
    "SGD",
    "HKD",
    "BRL",
    "ZAR",
    "CZK",
    "HUF",
    "RMB",
)


def parse_po_value(tokens: list[Token]) -> tuple[str, list[Token]] | None:
    """The first token that reads as an order number (has a digit, not a date or phone)."""
    for tok in tokens[:4]:
        text = tok.text.strip()
        if text in {"#", ":", "-", "No.", "No", "Number", "/", "Date:", "Nr.", "n°"}:
            continue
        m = _ID.match(text)
        if not m or not any(c.isdigit() for c in m.group(1)):
            return None
        value = m.group(1)
        if _FRACTION.match(value) or _PHONE.match(value) or find_dates(value):
            return None
        return value, [tok]
    return None


def date_parser(order: DayOrder, year: int | None) -> ValueParser[date]:
    """A parser of the first date in a token run."""

    def parse(tokens: list[Token]) -> tuple[date, list[Token]] | None:
        text = " ".join(t.text for t in tokens[:6])
        found = find_dates(text, order=order, default_year=year, allow_no_year=year is not None)
        if not found or len(text[: found[0].start].split()) > 2:
            return None
        first = found[0]
        used = [t for t in tokens[:6] if first.start <= text.find(t.text) < first.end] or tokens[:1]
        return first.value, used

    return parse


def amount_parser(decimal_comma: bool | None) -> ValueParser[Decimal]:
    """A parser of the first money amount in a token run (currency marks and rules skipped)."""

    def parse(tokens: list[Token]) -> tuple[Decimal, list[Token]] | None:
        for tok in tokens[:6]:
            text = tok.text.strip(":")
            if has_non_ascii_digits(text):
                return None
            value = parse_number(text, decimal_comma=decimal_comma)
            if value is not None:
                return value, [tok]
            if (
                not any(c.isalnum() for c in text)
                or text.upper() in ISO_CURRENCIES
                or text in CURRENCY_SYMBOLS
            ):
                continue
            return None
        return None

    return parse


def find_po_number(layout: Layout, skip: set[int]) -> Candidate[str] | None:
    """The buyer's order number."""
    found = find_labelled(layout, PO_RULES, parse_po_value, skip=skip)
    return found[0] if found else None


def find_order_date(
    layout: Layout, skip: set[int], order: DayOrder, year: int | None
) -> Candidate[date] | None:
    """The date the document states as its order date."""
    found = find_labelled(layout, ORDER_DATE_RULES, date_parser(order, year), skip=skip)
    return found[0] if found else None


def find_delivery_date(
    layout: Layout, skip: set[int], order: DayOrder, year: int | None
) -> Candidate[date] | None:
    """The delivery date when the order states one (and only one) outside its lines."""
    found = find_labelled(layout, DELIVERY_RULES, date_parser(order, year), skip=skip)
    values = {c.value for c in found}
    if len(values) != 1:
        return None
    return found[0]


def find_total(
    layout: Layout, decimal_comma: bool | None, skip: set[int] | None = None
) -> Candidate[Decimal] | None:
    """The grand total as printed: the strongest label, the last such line in the document."""
    found = find_labelled(layout, TOTAL_RULES, amount_parser(decimal_comma), skip=skip)
    if not found:
        return None
    best = max(c.confidence for c in found)
    return [c for c in found if c.confidence == best][-1]
