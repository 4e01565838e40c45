"""The routing decision: every reason an order needs a person, or auto-approval when none."""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal
from typing import Literal

from pydantic import BaseModel, Field

from app.routing.facts import LinePriceCheck, RoutingFacts
from app.routing.policy import REASON_CODES, ReasonCode, RoutingPolicy, Thresholds

Decision = Literal["auto", "review"]


class ReasonExplanation(BaseModel):
    """One reason, the queue it sends the order to, and what a reviewer should know."""

    code: ReasonCode
    queue: str
    priority: int
    text: str


class RouteDecision(BaseModel):
    """Auto-approve, or review in a queue with the reasons why."""

    decision: Decision
    not_an_order: bool = False  # terminal: close the message, no sales order will be made
    reasons: list[ReasonCode] = Field(default_factory=list)  # most urgent first
    queue: str | None = None
    priority: int | None = None
    sla_hours: int | None = None  # the strictest SLA of all reasons
    explanations: list[ReasonExplanation] = Field(default_factory=list)


Check = Callable[[RoutingFacts, Thresholds], str | None]

# Reasons that hold for any message; the rest only make sense for an order.
_MESSAGE_REASONS: tuple[ReasonCode, ...] = (
    "possible_injection",
    "parse_failure",
    "extractor_failure",
    "not_a_po",
)


def route(facts: RoutingFacts, policy: RoutingPolicy) -> RouteDecision:
    """Every reason that applies under `policy`; "auto" only when there is none."""
    codes = REASON_CODES if facts.is_order else _MESSAGE_REASONS
    found = [
        (code, text)
        for code in codes
        if (text := _CHECKS[code](facts, policy.thresholds)) is not None
    ]
    if not found:
        return RouteDecision(decision="auto")
    found.sort(key=lambda ct: (policy.reasons[ct[0]].priority, REASON_CODES.index(ct[0])))
    explanations = [
        ReasonExplanation(
            code=code,
            text=text,
            queue=policy.reasons[code].queue,
            priority=policy.reasons[code].priority,
        )
        for code, text in found
    ]
    top = policy.reasons[found[0][0]]
    return RouteDecision(
        decision="review",
        not_an_order=not facts.is_order,
        reasons=[c for c, _ in found],
        queue=top.queue,
        priority=top.priority,
        explanations=explanations,
        sla_hours=min(policy.reasons[c].sla_hours for c, _ in found),
    )


def _low_confidence(f: RoutingFacts, t: Thresholds) -> str | None:
    if f.document_confidence >= t.auto_min_confidence:
        return None
    return (
        f"The fields were read with confidence {f.document_confidence:.2f}, below the "
        f"{t.auto_min_confidence:.2f} needed to approve without a person."
    )


def _high_value(f: RoutingFacts, t: Thresholds) -> str | None:
    limit = t.max_auto_total.limit(f.currency)
    if f.order_total is None:
        return "The order total could not be computed, so it cannot be checked against the limit."
    if f.order_total <= limit:
        return None
    currency = f" {f.currency}" if f.currency else ""
    return (
        f"The order total {_money(f.order_total)}{currency} is above the "
        f"auto-approval limit of {_money(limit)}{currency}."
    )


def _unknown_customer(f: RoutingFacts, _: Thresholds) -> str | None:
    if f.customer_certain:
        return None
    return (
        "The buyer could not be matched to one known customer with certainty "
        "(unknown sender, or sender and document name disagree)."
    )


def _unknown_item(f: RoutingFacts, _: Thresholds) -> str | None:
    if f.items_certain:
        return None
    return "At least one line's item could not be matched to one product with certainty."


def _new_ship_to(f: RoutingFacts, _: Thresholds) -> str | None:
    if f.ship_to_known:
        return None
    return "The delivery address is not one of the customer's known ship-to addresses."


def _price_mismatch(f: RoutingFacts, t: Thresholds) -> str | None:
    bad = [c for c in f.price_checks if not _price_ok(c, t)]
    if not bad:
        return None
    return "Stated prices differ from ours beyond tolerance: " + "; ".join(map(_price_text, bad))


def _price_ok(check: LinePriceCheck, t: Thresholds) -> bool:
    if check.stated_unit_price is None:
        return True  # the buyer left the price to us
    if check.expected_unit_price is None:
        return False
    allowed = max(
        t.price_tolerance_amount, abs(check.expected_unit_price) * t.price_tolerance_percent / 100
    )
    return abs(check.stated_unit_price - check.expected_unit_price) <= allowed


def _price_text(check: LinePriceCheck) -> str:
    if check.expected_unit_price is None:
        return f"line {check.line + 1}: no price of ours found"
    return (
        f"line {check.line + 1}: stated {check.stated_unit_price}, ours {check.expected_unit_price}"
    )


def _atp_shortage(f: RoutingFacts, _: Thresholds) -> str | None:
    if f.atp_full_by_date is True:
        return None
    if f.atp_full_by_date is None:
        return "Availability could not be checked."
    return "Not every line is available in full by the requested date."


def _carrier_unavailable(f: RoutingFacts, _: Thresholds) -> str | None:
    if f.carrier_available is True:
        return None
    if f.carrier_available is None:
        return "No carrier check was made for this shipment."
    return "No carrier service can deliver this shipment by the requested date."


def _credit_hold(f: RoutingFacts, _: Thresholds) -> str | None:
    match f.credit:
        case "ok":
            return None
        case "hold":
            return "The customer's account is on credit hold."
        case "over_limit":
            return "This order would take the customer over their credit limit."
        case None:
            return "The customer's credit could not be checked."


def _duplicate_po(f: RoutingFacts, _: Thresholds) -> str | None:
    return "This PO number was already received from this customer." if f.duplicate_po else None


def _discontinued_item(f: RoutingFacts, _: Thresholds) -> str | None:
    return "At least one ordered item is discontinued." if f.discontinued else None


def _uom_mismatch(f: RoutingFacts, _: Thresholds) -> str | None:
    if not f.uom_mismatch:
        return None
    return "A line's unit of measure is unknown for its item, or its pack size disagrees."


def _total_mismatch(f: RoutingFacts, t: Thresholds) -> str | None:
    if f.stated_total is None or f.lines_total is None:
        return None
    if abs(f.stated_total - f.lines_total) <= t.total_tolerance_amount:
        return None
    return (
        f"The document states a total of {_money(f.stated_total)} but its lines add up to "
        f"{_money(f.lines_total)}."
    )


def _order_change(f: RoutingFacts, _: Thresholds) -> str | None:
    if not f.is_change:
        return None
    return "The message amends or cancels an earlier order; match it to that order."


def _possible_injection(f: RoutingFacts, _: Thresholds) -> str | None:
    if not f.injection_suspected:
        return None
    return (
        "The message contains text addressed to an automated system (e.g. 'ignore previous "
        "instructions'); check it was not written to manipulate the order."
    )


def _not_a_po(f: RoutingFacts, _: Thresholds) -> str | None:
    return None if f.is_order else "The message does not look like a purchase order."


def _parse_failure(f: RoutingFacts, t: Thresholds) -> str | None:
    problems = [
        p for p in f.parse_problems if p.split(":", 1)[0].strip() not in t.ignored_parse_problems
    ]
    if not problems:
        return None
    return "Parts of the message could not be read: " + ", ".join(problems) + "."


def _extractor_failure(f: RoutingFacts, _: Thresholds) -> str | None:
    if not f.extractor_failure:
        return None
    return "The extractor failed on this message; its fields may be missing or partial."


def _money(amount: Decimal) -> str:
    return f"{amount:,.2f}"


_CHECKS: dict[ReasonCode, Check] = {
    "low_confidence": _low_confidence,
    "high_value": _high_value,
    "unknown_customer": _unknown_customer,
    "unknown_item": _unknown_item,
    "new_ship_to": _new_ship_to,
    "price_mismatch": _price_mismatch,
    "atp_shortage": _atp_shortage,
    "carrier_unavailable": _carrier_unavailable,
    "credit_hold": _credit_hold,
    "duplicate_po": _duplicate_po,
    "discontinued_item": _discontinued_item,
    "uom_mismatch": _uom_mismatch,
    "total_mismatch": _total_mismatch,
    "order_change": _order_change,
    "possible_injection": _possible_injection,
    "not_a_po": _not_a_po,
    "parse_failure": _parse_failure,
    "extractor_failure": _extractor_failure,
}
