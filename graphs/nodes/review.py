"""review: wait for a person. interrupt() stands alone: anything before it re-runs on resume."""

from __future__ import annotations

from typing import Any

from langgraph.types import interrupt

from app.review.schemas import ReviewDecision
from graphs.state import OrderState

# Given a model class, interrupt() builds its JSON Schema on every call (a few ms per draft
# sent to review); given the schema, it surfaces it as is and the node validates the answer.
DECISION_SCHEMA = ReviewDecision.model_json_schema()


def review(state: OrderState) -> dict[str, Any]:
    answer = interrupt(
        {"draft_id": state.draft_id, "route": state.route}, response_schema=DECISION_SCHEMA
    )
    return {"decision": ReviewDecision.model_validate(answer)}
