"""The routing facts of a draft, gathered from parsing, extraction, resolution and the core."""

from __future__ import annotations

import re
import unicodedata
from decimal import Decimal
from typing import Any

from app.documents.model import ParsedMessage
from app.drafts.enrichment import Enrichment
from app.extraction.schema import ExtractedOrder
from app.resolution.models import ResolvedOrder
from app.routing.facts import CreditStatus, LinePriceCheck, RoutingFacts

# Problems that say a document could not be read as it should have been.
_CREDIT: dict[str, CreditStatus] = {"ok": "ok", "on_hold": "hold", "over_limit": "over_limit"}


def document_confidence(extracted: ExtractedOrder) -> float:
    """How sure we are of the order as a whole: its weakest field or line.

    A field read as absent counts too when the extractor says how sure it is of that (a missed
    PO number must lower the score); one with no opinion (confidence 0) is left out. Units are
    judged by resolution against the product's conversions, not here. An order with no lines
    has no confidence at all.
    """
    if not extracted.lines:
        return 0.0
    scores = [
        f.confidence
        for f in (
            extracted.customer_po_number,
            extracted.order_date,
            extracted.requested_delivery_date,
            extracted.currency,
            extracted.total,
        )
        if f.value is not None or f.confidence > 0
    ]
    for line in extracted.lines:
        item = max(
            line.customer_item_code.confidence if line.customer_item_code.value else 0.0,
            line.description.confidence if line.description.value else 0.0,
        )
        scores.append(min(line.quantity.confidence, item))
        if line.unit_price.value is not None:
            scores.append(line.unit_price.confidence)
    return round(min(scores), 4)


def parse_problems(parsed: ParsedMessage) -> list[str]:
    """Every problem parsing met, message-level and per document (prefixed by the document)."""
    found = list(parsed.problems)
    for doc in parsed.documents:
        found += [f"{p.split(':')[0]}: {doc.filename or doc.document_id}" for p in doc.problems]
    return found


SUSPICIOUS_CHARACTERS = "suspicious_characters"
_CHARACTER_WARNINGS = ("non_ascii_digits", "confusable_chars")


def character_problems(parsed: ParsedMessage, extracted: ExtractedOrder) -> list[str]:
    """Digits that are not ASCII and codes with invisible or look-alike characters: a person
    reads them, nothing converts them silently (Decimal("١٢") is 12)."""
    found = [w for w in _CHARACTER_WARNINGS if w in extracted.warnings]
    texts = [
        parsed.subject,
        *(doc.text for doc in parsed.documents),
        *(
            cell
            for doc in parsed.documents
            for table in doc.tables
            for row in table.rows
            for cell in row
        ),
    ]
    if "non_ascii_digits" not in found and any(_foreign_digit(t) for t in texts):
        found.append("non_ascii_digits")
    codes = [
        extracted.customer_po_number.value,
        *(line.customer_item_code.value for line in extracted.lines),
    ]
    if "confusable_chars" not in found and any(_confusable(c) for c in codes if c):
        found.append("confusable_chars")
    return [f"{SUSPICIOUS_CHARACTERS}: {problem}" for problem in found]


# A decimal digit (Unicode category Nd, which is what \d matches in a str pattern) but 0-9.
_FOREIGN_DIGIT = re.compile(r"[^\D0-9]")


def _foreign_digit(text: str) -> bool:
    return not text.isascii() and _FOREIGN_DIGIT.search(text) is not None


_LOOKALIKE_SCRIPTS = ("CYRILLIC", "GREEK", "ARMENIAN")


def _confusable(code: str) -> bool:
    """A code with a format character (zero-width, bidi), a compatibility form (fullwidth
    letters, ligatures), or Latin mixed with a script whose letters pass for Latin ones."""
    if any(unicodedata.category(ch) == "Cf" for ch in code):
        return True
    if unicodedata.normalize("NFKC", code) != code:
        return True
    scripts = {unicodedata.name(ch, "?").split(" ")[0] for ch in code if ch.isalpha()}
    return "LATIN" in scripts and any(s in scripts for s in _LOOKALIKE_SCRIPTS)


def gather_facts(
    *,
    parsed: ParsedMessage,
    extracted: ExtractedOrder,
    extractor_failure: str | None,
    resolved: ResolvedOrder | None,
    enrichment: Enrichment,
    injection_found: bool,
) -> RoutingFacts:
    lines_total = _stated_lines_total(extracted)
    # A change to an earlier order is order business even when it restates no lines.
    is_order = bool(extracted.is_change.value) or (
        extracted.is_order.value is not False and bool(extracted.lines)
    )
    return RoutingFacts(
        is_order=is_order,
        document_confidence=document_confidence(extracted),
        order_total=enrichment.order_total(),
        currency=_currency(extracted, enrichment),
        customer_certain=bool(resolved and resolved.customer.certain),
        items_certain=bool(resolved and resolved.all_items_certain),
        ship_to_known=bool(resolved and resolved.ship_to.value and not resolved.ship_to.is_new),
        price_checks=_price_checks(extracted, resolved, enrichment),
        atp_full_by_date=_atp_ok(enrichment),
        carrier_available=_carrier_ok(enrichment),
        credit=_credit(enrichment),
        duplicate_po=_duplicate(enrichment),
        discontinued=_flagged(resolved, enrichment, "discontinued_item", "discontinued"),
        uom_mismatch=_flagged(resolved, enrichment, "uom_mismatch", "uom_mismatch"),
        stated_total=extracted.total.value,
        lines_total=lines_total,
        is_change=bool(extracted.is_change.value),
        injection_suspected=injection_found
        or any(w.startswith("possible_injection") for w in extracted.warnings),
        parse_problems=parse_problems(parsed) + character_problems(parsed, extracted),
        extractor_failure=extractor_failure is not None,
    )


def _stated_lines_total(extracted: ExtractedOrder) -> Decimal | None:
    """What the document's own lines add up to, with its stated tax and charges."""
    amounts: list[Decimal] = []
    for line in extracted.lines:
        qty, price = line.quantity.value, line.unit_price.value
        if qty is None or price is None:
            return None
        amounts.append((qty * price).quantize(Decimal("0.01")))
    charges = [
        c.value
        for c in (extracted.tax, extracted.freight, extracted.other_charges)
        if c.value is not None
    ]
    return sum(amounts, Decimal("0")) + sum(charges, Decimal("0")) if amounts else None


def _currency(extracted: ExtractedOrder, enrichment: Enrichment) -> str | None:
    quote = next((q for q in enrichment.all("quote_price") if q.ok), None)
    stated = extracted.currency.value
    return (quote.result.get("currency") if quote else None) or stated


def _price_checks(
    extracted: ExtractedOrder, resolved: ResolvedOrder | None, enrichment: Enrichment
) -> list[LinePriceCheck]:
    checks: list[LinePriceCheck] = []
    if resolved is None:
        return checks
    for line in resolved.lines:
        stated = extracted.lines[line.index].unit_price.value
        if stated is None or line.item.value is None or line.quantity is None:
            continue
        quote = enrichment.quote_for(line.item.value, line.quantity)
        ours = (quote or {}).get("unit_price_ordered") or {}
        expected = Decimal(str(ours["amount"])) if ours.get("amount") is not None else None
        checks.append(
            LinePriceCheck(line=line.index, stated_unit_price=stated, expected_unit_price=expected)
        )
    return checks


def _atp_ok(enrichment: Enrichment) -> bool | None:
    plan = enrichment.find("plan_fulfillment")
    if plan is not None and plan.ok:
        return not plan.result.get("unmet") and bool(plan.result.get("meets_need_by", True))
    atps = enrichment.all("available_to_promise")
    if not atps:
        return None
    return all(a.ok and a.result.get("can_meet_need_by") for a in atps)


def _carrier_ok(enrichment: Enrichment) -> bool | None:
    plan = enrichment.find("plan_fulfillment")
    if plan is None or not plan.ok:
        return None
    shipments: list[dict[str, Any]] = plan.result.get("shipments", [])
    unmet: list[dict[str, Any]] = plan.result.get("unmet", [])
    no_carrier = any(
        r.get("code") in ("no_carrier", "no_hazmat_warehouse")
        for u in unmet
        for r in u.get("reasons", [])
    )
    # Lines unmet for stock are the ATP check's business, not the carrier's.
    return not no_carrier and all(s.get("carrier") for s in shipments)


def _credit(enrichment: Enrichment) -> CreditStatus | None:
    credit = enrichment.find("check_credit")
    return _CREDIT.get(str(credit.result.get("status"))) if credit and credit.ok else None


def _duplicate(enrichment: Enrichment) -> bool:
    dup = enrichment.find("find_duplicate_po")
    return bool(dup and dup.ok and dup.result.get("is_duplicate"))


def _flagged(resolved: ResolvedOrder | None, enrichment: Enrichment, flag: str, issue: str) -> bool:
    if resolved is not None and flag in resolved.line_flags():
        return True
    return any(
        i.get("code") == issue
        for q in enrichment.all("quote_price")
        for i in q.result.get("issues", [])
    )
