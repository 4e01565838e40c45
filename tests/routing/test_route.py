"""The routing decision: every reason code, the value boundary, ordering and queues."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest

from app.routing import REASON_CODES, LinePriceCheck, RoutingFacts, default_policy, route


def facts(**changes: Any) -> RoutingFacts:
    """A clean order that auto-approves, with `changes` applied."""
    clean: dict[str, Any] = {
        "is_order": True,
        "document_confidence": 0.97,
        "order_total": Decimal("840.00"),
        "currency": "USD",
        "customer_certain": True,
        "items_certain": True,
        "ship_to_known": True,
        "atp_full_by_date": True,
        "carrier_available": True,
        "credit": "ok",
        "price_checks": [
            LinePriceCheck(
                line=0, stated_unit_price=Decimal("0.42"), expected_unit_price=Decimal("0.42")
            )
        ],
        "stated_total": Decimal("840.00"),
        "lines_total": Decimal("840.00"),
    }
    return RoutingFacts(**(clean | changes))


def test_clean_order_is_auto() -> None:
    d = route(facts(), default_policy())
    assert (d.decision, d.reasons, d.queue, d.explanations) == ("auto", [], None, [])


TRIGGERS: dict[str, dict[str, Any]] = {
    "low_confidence": {"document_confidence": 0.89},
    "high_value": {"order_total": Decimal("25000")},
    "unknown_customer": {"customer_certain": False},
    "unknown_item": {"items_certain": False},
    "new_ship_to": {"ship_to_known": False},
    "price_mismatch": {
        "price_checks": [
            LinePriceCheck(
                line=0, stated_unit_price=Decimal("0.40"), expected_unit_price=Decimal("0.42")
            )
        ]
    },
    "atp_shortage": {"atp_full_by_date": False},
    "carrier_unavailable": {"carrier_available": False},
    "credit_hold": {"credit": "hold"},
    "duplicate_po": {"duplicate_po": True},
    "discontinued_item": {"discontinued": True},
    "uom_mismatch": {"uom_mismatch": True},
    "total_mismatch": {"stated_total": Decimal("900.00")},
    "order_change": {"is_change": True},
    "possible_injection": {"injection_suspected": True},
    "not_a_po": {"is_order": False},
    "parse_failure": {"parse_problems": ["encrypted"]},
    "extractor_failure": {"extractor_failure": True},
}


def test_every_reason_code_has_a_trigger() -> None:
    assert set(TRIGGERS) == set(REASON_CODES)


@pytest.mark.parametrize("code", REASON_CODES)
def test_each_reason_alone(code: str) -> None:
    policy = default_policy()
    d = route(facts(**TRIGGERS[code]), policy)
    assert d.decision == "review"
    assert d.reasons == [code]
    assert d.queue == policy.reasons[code].queue  # type: ignore[index]
    assert d.explanations[0].code == code
    assert len(d.explanations[0].text) > 20


def test_expected_queues_by_group() -> None:
    policy = default_policy()
    queue = {code: r.queue for code, r in policy.reasons.items()}
    assert queue["parse_failure"] == queue["extractor_failure"] == "exceptions"
    assert queue["possible_injection"] == queue["not_a_po"] == "exceptions"
    assert queue["unknown_customer"] == queue["new_ship_to"] == queue["credit_hold"] == "customer"
    assert queue["unknown_item"] == queue["uom_mismatch"] == queue["discontinued_item"] == "items"
    assert queue["price_mismatch"] == queue["total_mismatch"] == queue["high_value"] == "pricing"
    assert queue["atp_shortage"] == queue["carrier_unavailable"] == "fulfilment"
    assert queue["order_change"] == queue["duplicate_po"] == "changes"


@pytest.mark.parametrize(
    ("total", "decision"),
    [("10000.00", "auto"), ("10000", "auto"), ("10000.01", "review"), ("9999.99", "auto")],
)
def test_value_threshold_boundary(total: str, decision: str) -> None:
    d = route(facts(order_total=Decimal(total)), default_policy())
    assert d.decision == decision
    assert d.reasons == ([] if decision == "auto" else ["high_value"])


def test_value_limit_per_currency_and_default() -> None:
    policy = default_policy()
    assert route(facts(order_total=Decimal("8000.01"), currency="GBP"), policy).reasons == [
        "high_value"
    ]
    assert route(facts(order_total=Decimal("10000.00"), currency="CHF"), policy).decision == "auto"
    assert route(facts(order_total=Decimal("10000.01"), currency=None), policy).reasons == [
        "high_value"
    ]


def test_confidence_threshold_is_inclusive() -> None:
    assert route(facts(document_confidence=0.90), default_policy()).decision == "auto"


def test_high_model_confidence_does_not_hide_resolution_facts() -> None:
    d = route(
        facts(document_confidence=1.0, items_certain=False, customer_certain=False),
        default_policy(),
    )
    assert d.decision == "review"
    assert set(d.reasons) == {"unknown_item", "unknown_customer"}


def test_price_tolerance() -> None:
    policy = default_policy()  # 0.5 % or 0.01, whichever is more

    def check(stated: str, expected: str | None) -> list[str]:
        pc = LinePriceCheck(
            line=0,
            stated_unit_price=Decimal(stated),
            expected_unit_price=Decimal(expected) if expected else None,
        )
        return list(route(facts(price_checks=[pc]), policy).reasons)

    assert check("0.43", "0.42") == []
    assert check("100.50", "100.00") == []
    assert check("100.51", "100.00") == ["price_mismatch"]
    assert check("1.00", None) == ["price_mismatch"]
    no_price = LinePriceCheck(line=0, stated_unit_price=None, expected_unit_price=Decimal(1))
    assert route(facts(price_checks=[no_price]), policy).decision == "auto"


def test_unknown_facts_never_count_as_good() -> None:
    d = route(
        facts(atp_full_by_date=None, carrier_available=None, credit=None, order_total=None),
        default_policy(),
    )
    assert set(d.reasons) == {"atp_shortage", "carrier_unavailable", "credit_hold", "high_value"}


def test_over_limit_is_a_credit_hold() -> None:
    d = route(facts(credit="over_limit"), default_policy())
    assert d.reasons == ["credit_hold"]
    assert "credit limit" in d.explanations[0].text


def test_all_reasons_ordered_most_urgent_first_and_strictest_sla() -> None:
    policy = default_policy()
    d = route(
        facts(
            order_total=Decimal("20000"),
            injection_suspected=True,
            items_certain=False,
            is_change=True,
        ),
        policy,
    )
    assert d.reasons[0] == "possible_injection"
    assert set(d.reasons) == {"possible_injection", "order_change", "unknown_item", "high_value"}
    priorities = [policy.reasons[c].priority for c in d.reasons]
    assert priorities == sorted(priorities)
    assert (d.queue, d.priority) == ("exceptions", 1)
    assert d.sla_hours == min(policy.reasons[c].sla_hours for c in d.reasons)


def test_not_a_po_is_terminal_review_without_order_reasons() -> None:
    d = route(
        facts(is_order=False, items_certain=False, order_total=None, credit=None), default_policy()
    )
    assert (d.decision, d.not_an_order, d.reasons, d.queue) == (
        "review",
        True,
        ["not_a_po"],
        "exceptions",
    )


def test_not_a_po_keeps_message_level_reasons() -> None:
    d = route(facts(is_order=False, injection_suspected=True), default_policy())
    assert d.reasons == ["possible_injection", "not_a_po"]


def test_ignored_parse_problems() -> None:
    policy = default_policy()
    thresholds = policy.thresholds.model_copy(update={"ignored_parse_problems": ["mime_depth"]})
    lenient = policy.model_copy(update={"thresholds": thresholds})
    assert route(facts(parse_problems=["mime_depth"]), lenient).decision == "auto"
    assert route(facts(parse_problems=["unreadable: att-1"]), lenient).reasons == ["parse_failure"]


def test_total_within_tolerance_is_fine() -> None:
    assert route(facts(stated_total=Decimal("840.04")), default_policy()).decision == "auto"
    assert route(facts(stated_total=None), default_policy()).decision == "auto"


def test_decision_round_trips_through_json() -> None:
    d = route(facts(is_change=True), default_policy())
    assert type(d).model_validate_json(d.model_dump_json()) == d
