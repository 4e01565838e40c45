"""Stated amounts outside the lines: subtotal, tax, freight and other charges or discounts."""

from __future__ import annotations

import re
from decimal import Decimal

from app.extraction.rules.labels import Candidate
from app.extraction.rules.layout import Layout, Line, Token
from app.extraction.rules.numbers import has_non_ascii_digits, parse_number

SUBTOTAL = re.compile(
    r"(?i)^\W*(?:sub-?\s?total|merchandise\s+total|goods\s+total|net\s+total|total\s+net|"
    r"items?\s+total|zwischensumme|nettobetrag|warenwert|sous-total|total\s+ht|subtotal\s+neto|"
    r"base\s+imponible)\b"
)
TAX = re.compile(
    r"(?i)^\W*(?:(?:sales\s+|state\s+|county\s+|city\s+)?tax(?:es)?|vat|gst|hst|pst|qst|"
    r"mwst\.?|ust\.?|umsatzsteuer|mehrwertsteuer|tva|iva|impuesto)\b(?!\s*(?:id|no|number|exempt|"
    r"#|nr|code|reg))"
)
FREIGHT = re.compile(
    r"(?i)^\W*(?:freight|shipping|shipping\s*(?:&|and)\s*handling|s\s*&\s*h|delivery\s+(?:charge|"
    r"fee|cost)s?|carriage|postage|fracht(?:kosten)?|versand(?:kosten)?|transportkosten|"
    r"frais\s+de\s+(?:port|livraison|transport)|port|transport|env[íi]o|flete|gastos\s+de\s+"
    r"env[íi]o)\b(?!\s*(?:collect|prepaid|terms|via|method|account|to\b|date|address))"
)
OTHER = re.compile(
    r"(?i)^\W*(?:handling(?:\s+fee)?|surcharge|fuel\s+surcharge|(?:small\s+order|service|"
    r"environmental|setup|set-up)\s+(?:fee|charge)|other\s+charges?|misc\.?\s*charges?|"
    r"charges)\b"
)
DISCOUNT = re.compile(
    r"(?i)^\W*(?:(?:order\s+|volume\s+)?discount|rabatt|remise|descuento|nachlass)\b"
)
_PERCENT = re.compile(r"%")


def _last_amount(tokens: list[Token], decimal_comma: bool | None) -> tuple[Decimal, Token] | None:
    """The rightmost money amount on the line (percentages and rates skipped)."""
    for tok in reversed(tokens):
        text = tok.text.strip(":")
        if _PERCENT.search(text) or has_non_ascii_digits(text):
            continue
        value = parse_number(text, decimal_comma=decimal_comma)
        if value is not None:
            return value, tok
    return None


def find_charge(
    layout: Layout, label: re.Pattern[str], decimal_comma: bool | None, skip: set[int]
) -> Candidate[Decimal] | None:
    """The amount of the last line that starts with the label and ends with an amount."""
    found: Candidate[Decimal] | None = None
    for line in layout.lines:
        if line.index in skip or not label.match(line.text):
            continue
        amount = _last_amount(_after_label(line, label), decimal_comma)
        if amount is not None:
            found = Candidate(amount[0], [amount[1]], 0.9, line.index)
    return found


def other_charges(
    layout: Layout, decimal_comma: bool | None, skip: set[int]
) -> Candidate[Decimal] | None:
    """Other stated charges, less a stated order discount (printed with or without a sign)."""
    other = find_charge(layout, OTHER, decimal_comma, skip)
    discount = find_charge(layout, DISCOUNT, decimal_comma, skip)
    if discount is not None:
        discount.value = -abs(discount.value)
    if other is None or discount is None:
        return other or discount
    return Candidate(other.value + discount.value, other.tokens + discount.tokens, 0.85, other.line)


def _after_label(line: Line, label: re.Pattern[str]) -> list[Token]:
    m = label.match(line.text)
    end = m.end() if m else 0
    pos, out = 0, []
    for tok in line.tokens:
        if pos >= end:
            out.append(tok)
        pos += len(tok.text) + 1
    return out
