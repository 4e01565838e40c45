"""route: apply the routing policy, and record the draft (and its review task) for people."""

from __future__ import annotations

from typing import Any

from langgraph.runtime import Runtime

from app import flows
from app.routing.policy import RoutingPolicy
from app.routing.route import route as apply_policy
from graphs.context import GraphContext
from graphs.state import OrderState


def route(state: OrderState, runtime: Runtime[GraphContext]) -> dict[str, Any]:
    assert state.facts is not None
    policy = runtime.context.policy
    assert isinstance(policy, RoutingPolicy)
    decision = apply_policy(state.facts, policy)
    flows.record_routed_draft(runtime.context.engine, state.model_copy(update={"route": decision}))
    return {"route": decision}
