"""review: wait for a person. interrupt() stands alone: anything before it re-runs on resume."""

from __future__ import annotations

from typing import Any

from langgraph.types import interrupt

from app.review.schemas import ReviewDecision
from graphs.state import OrderState


def review(state: OrderState) -> dict[str, Any]:
    decision = interrupt(
        {"draft_id": state.draft_id, "route": state.route},
        response_schema=ReviewDecision,
    )
    return {"decision": decision}
