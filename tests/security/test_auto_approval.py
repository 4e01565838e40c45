"""Item 18: a new customer or an unknown ship-to is never approved automatically; a total
equal to the value limit auto-approves, one cent more goes to review (real graph, demo prices)."""

from __future__ import annotations

from decimal import Decimal

from app.extraction.schema import Address
from app.pipeline import GraphRunner
from app.routing.policy import RoutingPolicy, default_policy
from graphs.state import OrderState
from tests.graphs.test_graph import CLEAN, FakeExtractor, email, field, line, order
from tests.security.conftest import ContextFactory, store

UNKNOWN_SENDER = "Dana Fox <dana@brand-new-buyer.example>"
SOMEWHERE_NEW = Address(
    name="Great Lakes Fabrication Inc. - Plant 9",
    street="1 New Rd",
    city="Toledo",
    region="OH",
    postal_code="43604",
    country="US",
)


def _run(
    make_ctx: ContextFactory,
    extracted: object,
    *,
    sender: str | None = None,
    policy: RoutingPolicy | None = None,
) -> OrderState:
    ctx = make_ctx()
    raw = email(sender=sender) if sender else email()
    runner = GraphRunner(
        ctx=ctx,
        extractor=FakeExtractor(extracted),  # type: ignore[arg-type]
        policy=policy or default_policy(),
    )
    return runner.process(store(ctx, raw))


def _with_limit(limit: Decimal) -> RoutingPolicy:
    policy = default_policy().model_copy(deep=True)
    totals = policy.thresholds.max_auto_total
    totals.by_currency["USD"] = limit
    return policy


def test_a_new_customer_is_never_approved_automatically(make_ctx: ContextFactory) -> None:
    stranger = order(line("ABR-1015", 10), line("CHM-1020", 12), ship_to=SOMEWHERE_NEW).model_copy(
        update={"customer_name": field("Brand New Buyer LLC")}
    )
    state = _run(make_ctx, stranger, sender=UNKNOWN_SENDER)
    assert state.route is not None and state.route.decision == "review"
    assert "unknown_customer" in state.route.reasons
    assert state.outcome is None  # waiting for a person: no order


def test_an_unknown_ship_to_is_never_approved_automatically(make_ctx: ContextFactory) -> None:
    state = _run(make_ctx, order(line("ABR-1015", 10), line("CHM-1020", 12), ship_to=SOMEWHERE_NEW))
    assert state.route is not None and state.route.decision == "review"
    assert state.route.reasons == ["new_ship_to"]  # everything else about it is clean


def test_the_value_limit_is_inclusive_to_the_cent(make_ctx: ContextFactory) -> None:
    priced = _run(make_ctx, CLEAN)
    assert priced.facts is not None and priced.facts.order_total is not None
    total = priced.facts.order_total  # what the pricing tool made of the order

    at_limit = _run(make_ctx, CLEAN, policy=_with_limit(total))
    over_by_a_cent = _run(make_ctx, CLEAN, policy=_with_limit(total - Decimal("0.01")))

    assert at_limit.route is not None and at_limit.route.decision == "auto"
    assert at_limit.outcome is not None and at_limit.outcome.kind == "committed"
    assert over_by_a_cent.route is not None and over_by_a_cent.route.reasons == ["high_value"]


def test_the_shipped_policy_limit_is_ten_thousand() -> None:
    limits = default_policy().thresholds.max_auto_total
    assert limits.by_currency["USD"] == Decimal("10000.00")
