"""lookup: in LLM mode, a model with read-only search tools proposes items for uncertain lines.

The proposals become top candidates, never certain: the draft still goes to a person. Failures
leave the resolution as it was and add a warning. No side effects, no database writes.
"""

from __future__ import annotations

from typing import Any

from langgraph.runtime import Runtime

from app.resolution.assist import add_usage, apply_proposals, needs_lookup, propose
from graphs.context import GraphContext
from graphs.state import OrderState
from tools.langchain_tools import build_lookup_tools


def lookup(state: OrderState, runtime: Runtime[GraphContext]) -> dict[str, Any]:
    """Ask the model to look up uncertain lines; keep only proposals master data confirms."""
    ctx = runtime.context
    assert state.parsed is not None and state.extracted is not None
    assert state.resolved is not None and ctx.chat_model_factory is not None
    master = ctx.masterdata()
    result = propose(
        ctx.chat_model_factory,
        settings=ctx.settings,
        tracer=ctx.tracer,
        tools=build_lookup_tools(master),
        order=state.extracted,
        resolved=state.resolved,
        sender=state.parsed.sender,
    )
    resolved, dropped = state.resolved, list[str]()
    if result.answer is not None:
        resolved, dropped = apply_proposals(
            state.resolved, result.answer, master, scores=result.scores
        )
    extracted = state.extracted
    update: dict[str, Any] = {"warnings": [*extracted.warnings, *result.warnings, *dropped]}
    if result.usage.calls:
        update["usage"] = add_usage(extracted.usage, result.usage)
    return {"resolved": resolved, "extracted": extracted.model_copy(update=update)}


def wants_lookup(state: OrderState, ctx: GraphContext) -> bool:
    """Whether a model is configured and the resolution has something uncertain to look up."""
    return (
        ctx.chat_model_factory is not None
        and state.resolved is not None
        and needs_lookup(state.resolved)
    )
