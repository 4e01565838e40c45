"""apply_edits: fold a reviewer's approved edits into the draft, so the core prices them anew."""

from __future__ import annotations

from typing import Any

from langgraph.runtime import Runtime

from app.drafts.edits import apply_review_edits
from graphs.context import GraphContext
from graphs.state import OrderState


def apply_edits(state: OrderState, runtime: Runtime[GraphContext]) -> dict[str, Any]:
    assert state.decision is not None and state.resolved is not None
    assert state.extracted is not None
    if state.decision.edits.is_empty():
        return {}
    extracted, resolved = apply_review_edits(
        state.extracted, state.resolved, state.decision.edits, runtime.context.masterdata()
    )
    # A fresh enrichment: every tool call runs again on the edited order.
    return {"extracted": extracted, "resolved": resolved, "enrichment": None}
