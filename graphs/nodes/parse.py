"""parse: the raw message from the database, read into documents in a sandboxed child process."""

from __future__ import annotations

from typing import Any

from langgraph.runtime import Runtime

from app import flows
from graphs.context import GraphContext
from graphs.state import OrderState, Outcome

QUARANTINE_PROBLEMS = ("mime_depth", "mime_parts")


def parse(state: OrderState, runtime: Runtime[GraphContext]) -> dict[str, Any]:
    parsed = flows.parse_stored_message(
        runtime.context.engine, runtime.context.settings, state.message_id
    )
    bad = [p for p in parsed.problems if p.split(":")[0] in QUARANTINE_PROBLEMS]
    if bad:
        return {"parsed": parsed, "outcome": Outcome(kind="quarantined", reason=", ".join(bad))}
    return {"parsed": parsed}
