"""enrich: ask the deterministic core about the draft, as LangChain tool calls, in rounds.

Round 1 prices and checks stock for each resolved line and looks for a duplicate PO; round 2,
once the lines are priced, plans fulfilment and checks credit for the order total. The tool
node executes the calls; this node runs again after it and plans the next round, if any.
The answers live on in `enrichment`, so the transcript is dropped once read: the checkpoint
does not carry every result twice.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any
from uuid import uuid4

from langchain_core.messages import AIMessage, BaseMessage, RemoveMessage
from langchain_core.messages.tool import ToolCall
from langgraph.graph.message import REMOVE_ALL_MESSAGES
from langgraph.runtime import Runtime

from app.drafts.enrichment import Enrichment
from graphs.context import GraphContext
from graphs.state import OrderState


def enrich(state: OrderState, runtime: Runtime[GraphContext]) -> dict[str, Any]:
    enrichment = state.enrichment or Enrichment()
    calls = _next_round(state, enrichment, runtime.context)
    messages: list[BaseMessage] = [RemoveMessage(id=REMOVE_ALL_MESSAGES)] if state.messages else []
    if calls:
        messages.append(AIMessage(content="", tool_calls=calls))
    return {"enrichment": enrichment, "messages": messages}


def has_pending_calls(state: OrderState) -> bool:
    """Whether the last message asks for tool calls the tool node has not answered yet."""
    last = state.messages[-1] if state.messages else None
    return isinstance(last, AIMessage) and bool(last.tool_calls)


def _next_round(state: OrderState, done: Enrichment, ctx: GraphContext) -> list[ToolCall]:
    resolved, extracted = state.resolved, state.extracted
    if resolved is None or extracted is None or resolved.customer.value is None:
        return []
    if not done.outcomes:
        return _round_one(state)
    if done.find("plan_fulfillment") is None and done.find("check_credit") is None:
        return _round_two(state, done, ctx)
    return []


def _call(name: str, args: dict[str, Any]) -> ToolCall:
    return ToolCall(name=name, args=args, id=f"call_{uuid4().hex[:12]}", type="tool_call")


def _round_one(state: OrderState) -> list[ToolCall]:
    assert state.resolved is not None and state.extracted is not None
    customer_id = state.resolved.customer.value
    need_by = state.extracted.requested_delivery_date.value
    order_date = state.extracted.order_date.value
    calls: list[ToolCall] = []
    for line in state.resolved.lines:
        if line.item.value is None or line.quantity is None or line.quantity <= 0:
            continue
        calls.append(
            _call(
                "quote_price",
                {
                    "customer_id": customer_id,
                    "sku": line.item.value,
                    "quantity": str(line.quantity),
                    "uom": line.uom.value or line.uom.as_written,
                    "stated_unit_price": _str(line.unit_price),
                    "order_date": order_date.isoformat() if order_date else None,
                },
            )
        )
        if line.base_quantity is not None and line.base_quantity > 0:
            calls.append(
                _call(
                    "available_to_promise",
                    {
                        "sku": line.item.value,
                        "quantity": str(line.base_quantity),
                        "need_by": need_by.isoformat() if need_by else None,
                    },
                )
            )
    po = state.extracted.customer_po_number.value
    if po:
        calls.append(_call("find_duplicate_po", {"customer_id": customer_id, "po_number": po}))
    return calls


def _destination(state: OrderState, ctx: GraphContext) -> tuple[str, str] | None:
    """Postal code and country to ship to: the known ship-to's, else the stated address."""
    assert state.resolved is not None
    ship = state.resolved.ship_to
    known = ctx.masterdata().ship_tos.get(ship.value) if ship.value and not ship.is_new else None
    if known is not None:
        return known.postal_code, known.country
    if ship.address and ship.address.postal_code:
        return ship.address.postal_code, ship.address.country or "US"
    return None


def _round_two(state: OrderState, done: Enrichment, ctx: GraphContext) -> list[ToolCall]:
    assert state.resolved is not None and state.extracted is not None
    customer_id = state.resolved.customer.value
    calls: list[ToolCall] = []
    total = done.order_total()
    if total is not None:
        calls.append(_call("check_credit", {"customer_id": customer_id, "order_total": str(total)}))
    plan_lines = [
        {"line_no": ln.index + 1, "sku": ln.item.value, "quantity": str(ln.base_quantity)}
        for ln in state.resolved.lines
        if ln.item.value is not None and ln.base_quantity is not None and ln.base_quantity > 0
    ]
    destination = _destination(state, ctx)
    if plan_lines and destination:
        need_by = state.extracted.requested_delivery_date.value
        calls.append(
            _call(
                "plan_fulfillment",
                {
                    "customer_id": customer_id,
                    "postal_code": destination[0],
                    "country": destination[1],
                    "lines": plan_lines,
                    "need_by": need_by.isoformat() if need_by else None,
                },
            )
        )
    return calls


def _str(value: Decimal | None) -> str | None:
    return None if value is None else str(value)
