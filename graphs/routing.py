"""Where the graph goes next: typed routing functions over the state."""

from __future__ import annotations

from typing import Literal

from langgraph.runtime import Runtime

from graphs.context import GraphContext
from graphs.nodes.enrich import has_pending_calls
from graphs.nodes.lookup import wants_lookup
from graphs.state import OrderState


def after_parse(state: OrderState) -> Literal["extract", "finish"]:
    return "finish" if state.outcome is not None else "extract"


def after_resolve(state: OrderState, runtime: Runtime[GraphContext]) -> Literal["lookup", "enrich"]:
    return "lookup" if wants_lookup(state, runtime.context) else "enrich"


def after_enrich(state: OrderState) -> Literal["tools", "validate", "commit"]:
    if has_pending_calls(state):
        return "tools"
    return "commit" if state.decision is not None else "validate"


def after_route(state: OrderState) -> Literal["commit", "review"]:
    assert state.route is not None
    return "commit" if state.route.decision == "auto" else "review"


def after_review(state: OrderState) -> Literal["apply_edits", "finish"]:
    assert state.decision is not None
    return "apply_edits" if state.decision.action == "approve" else "finish"
