"""resolve: customer, ship-to and items against master data, each with its evidence."""

from __future__ import annotations

from typing import Any

from langgraph.runtime import Runtime

from app.resolution import resolve_order
from graphs.context import GraphContext
from graphs.state import OrderState


def resolve(state: OrderState, runtime: Runtime[GraphContext]) -> dict[str, Any]:
    assert state.parsed is not None and state.extracted is not None
    resolved = resolve_order(state.extracted, state.parsed, runtime.context.masterdata())
    return {"resolved": resolved}
