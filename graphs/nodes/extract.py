"""extract: read the parsed message into an order with per-field confidence."""

from __future__ import annotations

from typing import Any

from langgraph.runtime import Runtime

from app.documents.model import ParsedMessage
from app.extraction.base import ExtractionFailed
from app.extraction.schema import ExtractedOrder
from graphs.context import GraphContext
from graphs.state import OrderState


def extract(state: OrderState, runtime: Runtime[GraphContext]) -> dict[str, Any]:
    assert state.parsed is not None
    try:
        extracted = runtime.context.extractor.extract(state.parsed)
    except ExtractionFailed as exc:
        return {
            "extracted": ExtractedOrder(warnings=[f"extractor_failure: {exc.reason}"]),
            "extractor_failure": exc.reason,
        }
    failure = next(
        (
            w.split(":", 1)[1].strip()
            for w in extracted.warnings
            if w.startswith("extractor_failure")
        ),
        None,
    )
    return {
        "extracted": extracted,
        "extractor_failure": failure,
        "parsed": without_words(state.parsed),
    }


def without_words(parsed: ParsedMessage) -> ParsedMessage:
    """The message without its word boxes: extraction is done and every value keeps its own
    box, so the state (validated and checkpointed at every step) stays small."""
    documents = [d.model_copy(update={"words": []}) for d in parsed.documents]
    return parsed.model_copy(update={"documents": documents})
