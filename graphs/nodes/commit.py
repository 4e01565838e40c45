"""commit: create the order, its reservations and shipments, exactly once."""

from __future__ import annotations

from typing import Any

from langgraph.runtime import Runtime

from app import flows
from graphs.context import GraphContext
from graphs.state import OrderState, Outcome


def commit(state: OrderState, runtime: Runtime[GraphContext]) -> dict[str, Any]:
    order_id = flows.commit_order(runtime.context.engine, state, now=runtime.context.now())
    return {"outcome": Outcome(kind="committed", order_id=order_id)}
