"""finish: the terminal for rejected, not-an-order and quarantined messages."""

from __future__ import annotations

from typing import Any

from langgraph.runtime import Runtime

from app import flows
from graphs.context import GraphContext
from graphs.state import OrderState, Outcome


def finish(state: OrderState, runtime: Runtime[GraphContext]) -> dict[str, Any]:
    outcome = state.outcome
    if outcome is None and state.decision is not None and state.decision.action == "reject":
        outcome = Outcome(kind="rejected", reason=state.decision.reason)
    assert outcome is not None, "finish reached without an outcome"
    flows.finish_draft(runtime.context.engine, state, outcome)
    return {"outcome": outcome}
