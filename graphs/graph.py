"""The order graph: nodes and edges only."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from langgraph.checkpoint.base import BaseCheckpointSaver
from langgraph.graph import END, START, StateGraph
from langgraph.graph.state import CompiledStateGraph

from graphs import routing
from graphs.context import GraphContext
from graphs.nodes.apply_edits import apply_edits
from graphs.nodes.commit import commit
from graphs.nodes.enrich import enrich
from graphs.nodes.extract import extract
from graphs.nodes.finish import finish
from graphs.nodes.lookup import lookup
from graphs.nodes.parse import parse
from graphs.nodes.resolve import resolve
from graphs.nodes.review import review
from graphs.nodes.route import route
from graphs.nodes.tools import run_tools
from graphs.nodes.validate import validate
from graphs.state import OrderState
from graphs.tracing import traced

NODES: dict[str, Callable[..., Any]] = {
    "parse": parse,
    "extract": extract,
    "resolve": resolve,
    "lookup": lookup,
    "enrich": enrich,
    "tools": run_tools,
    "validate": validate,
    "route": route,
    "review": review,
    "apply_edits": apply_edits,
    "commit": commit,
    "finish": finish,
}


def build_graph(
    checkpointer: BaseCheckpointSaver[Any] | None = None,
) -> CompiledStateGraph[OrderState, GraphContext, OrderState, OrderState]:
    builder = StateGraph(OrderState, context_schema=GraphContext)
    for name, fn in NODES.items():
        builder.add_node(name, traced(name, fn))
    builder.add_edge(START, "parse")
    builder.add_conditional_edges("parse", routing.after_parse)
    builder.add_edge("extract", "resolve")
    builder.add_conditional_edges("resolve", routing.after_resolve)
    builder.add_edge("lookup", "enrich")
    builder.add_conditional_edges("enrich", routing.after_enrich)
    builder.add_edge("tools", "enrich")
    builder.add_edge("validate", "route")
    builder.add_conditional_edges("route", routing.after_route)
    builder.add_conditional_edges("review", routing.after_review)
    builder.add_edge("apply_edits", "enrich")
    builder.add_edge("commit", END)
    builder.add_edge("finish", END)
    return builder.compile(checkpointer=checkpointer)
