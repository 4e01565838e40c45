"""validate: gather the routing facts from everything the graph has learned."""

from __future__ import annotations

from typing import Any

from app.drafts.enrichment import Enrichment
from app.drafts.facts import gather_facts
from app.routing.injection import detect_injection
from graphs.state import OrderState


def validate(state: OrderState) -> dict[str, Any]:
    assert state.parsed is not None and state.extracted is not None
    facts = gather_facts(
        parsed=state.parsed,
        extracted=state.extracted,
        extractor_failure=state.extractor_failure,
        resolved=state.resolved,
        enrichment=state.enrichment or Enrichment(),
        injection_found=bool(detect_injection(state.parsed)),
    )
    return {"facts": facts}
