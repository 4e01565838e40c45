"""tools: execute the tool calls of the last message against the deterministic core."""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

from langchain_core.messages import AIMessage, ToolMessage
from langchain_core.tools import BaseTool
from langgraph.runtime import Runtime
from opentelemetry.trace import Status, StatusCode
from pydantic import ValidationError

from app import flows
from app.drafts.enrichment import Enrichment, ToolOutcome
from graphs.context import GraphContext
from graphs.state import OrderState
from tools.credit import ExistingPo
from tools.langchain_tools import build_core_tools, run_tool


def run_tools(state: OrderState, runtime: Runtime[GraphContext]) -> dict[str, Any]:
    last = state.messages[-1]
    assert isinstance(last, AIMessage) and last.tool_calls
    skus = {sku for call in last.tool_calls for sku in _skus_in(call["args"])}
    by_name = {t.name: t for t in _core_tools(state, runtime.context, skus)}
    outcomes = list((state.enrichment or Enrichment()).outcomes)
    replies: list[ToolMessage] = []
    for call in last.tool_calls:
        reply, outcome = _execute(runtime.context, by_name.get(call["name"]), call)
        replies.append(reply)
        outcomes.append(outcome)
    return {"messages": replies, "enrichment": Enrichment(outcomes=outcomes)}


def _skus_in(value: object) -> Iterator[str]:
    """Every "sku" argument of a tool call, however deep (plan_fulfillment's lines)."""
    if isinstance(value, dict):
        for key, item in value.items():
            if key == "sku" and isinstance(item, str):
                yield item
            else:
                yield from _skus_in(item)
    elif isinstance(value, list):
        for item in value:
            yield from _skus_in(item)


def _core_tools(state: OrderState, ctx: GraphContext, skus: set[str]) -> list[BaseTool]:
    def existing(customer_id: str) -> list[ExistingPo]:
        return flows.existing_purchase_orders(
            ctx.engine, customer_id=customer_id, exclude_draft=state.draft_id
        )

    return build_core_tools(
        ctx.masterdata(skus), today=ctx.today(), now=ctx.now(), existing_pos=existing
    )


def _execute(
    ctx: GraphContext, tool: BaseTool | None, call: Any
) -> tuple[ToolMessage, ToolOutcome]:
    name, args = call["name"], call["args"]
    with ctx.tracer.start_as_current_span(f"execute_tool {name}") as span:
        span.set_attribute("gen_ai.operation.name", "execute_tool")
        span.set_attribute("gen_ai.tool.name", name)
        span.set_attribute("gen_ai.tool.call.id", call["id"])
        span.set_attribute("gen_ai.tool.call.arguments", json.dumps(args, default=str))
        if tool is None:
            result: dict[str, Any] = {"error": f"unknown tool {name}"}
        else:
            try:
                result = run_tool(tool, args)
            except (ValidationError, ValueError) as exc:
                result = {"error": f"{type(exc).__name__}: {exc}"}
        ok = "error" not in result
        span.set_attribute("intake.tool.result_summary", _summary(result))
        if not ok:
            span.set_status(Status(StatusCode.ERROR, str(result["error"])[:200]))
    reply = ToolMessage(
        content=json.dumps(result, default=str),
        tool_call_id=call["id"],
        name=name,
        status="success" if ok else "error",
    )
    return reply, ToolOutcome(name=name, args=args, result=result, ok=ok)


def _summary(result: dict[str, Any]) -> str:
    explanation = result.get("explanation") or result.get("error") or ""
    issues = [i.get("code") for i in result.get("issues", []) if isinstance(i, dict)]
    return (str(explanation)[:300] + (f" issues={issues}" if issues else "")).strip()
