"""The lookup node: a real ChatOpenAI client against the fake server, with read-only tools only."""

from __future__ import annotations

from collections.abc import Mapping
from decimal import Decimal

import pytest
from langchain_core.language_models import BaseChatModel
from opentelemetry.sdk.trace.export.in_memory_span_exporter import InMemorySpanExporter
from sqlmodel import Session, select

from app.core.config import Settings
from app.core.context import AppContext
from app.core.db import session_scope
from app.drafts.tables import DraftOrder
from app.extraction.llm import ChatModelFactory, openai_chat_model
from app.extraction.schema import ExtractedLine, ExtractedOrder, TokenUsage
from app.intake.service import store_inbound
from app.intake.tables import MessageSource
from app.pipeline import GraphRunner
from app.resolution.assist import MAX_STEPS, PROPOSED_EVIDENCE
from app.resolution.models import CERTAIN, LineResolution
from app.routing.policy import default_policy
from graphs.state import OrderState
from tests.fakes.openai_server import FakeOpenAIServer, Reply
from tests.graphs.test_graph import CLEAN, FakeExtractor, email, field, line, order

UNKNOWN_CODE = "QX-77Z"
PROPOSED_SKU = "CHM-1020"  # a real demo SKU the model "finds"


def unknown_line() -> ExtractedLine:
    return ExtractedLine(
        customer_item_code=field(UNKNOWN_CODE),
        description=field("zqvx wmbr"),
        quantity=field(Decimal(4)),
        uom=field("EA"),
        unit_price=field(None),
    )


UNKNOWN = order(line("ABR-1015", 10), unknown_line())


def fake_model(server: FakeOpenAIServer) -> ChatModelFactory:
    """ChatOpenAI, the real client, pointed at the fake server without retries."""

    def build(settings: Settings) -> BaseChatModel:
        local = settings.model_copy(
            update={
                "llm_model": "fake-model",
                "llm_base_url": server.base_url,
                "llm_max_retries": 0,
                "llm_timeout_s": 5.0,
            }
        )
        return openai_chat_model(local)

    return build


def run(
    ctx: AppContext,
    extracted: ExtractedOrder,
    server: FakeOpenAIServer | None,
) -> OrderState:
    with session_scope(ctx.engine) as session:
        message, _ = store_inbound(session, raw=email(), source=MessageSource.CLI)
    runner = GraphRunner(
        ctx=ctx,
        extractor=FakeExtractor(extracted),
        policy=default_policy(),
        chat_model_factory=fake_model(server) if server is not None else None,
    )
    return runner.process(message.id)


def proposal(sku: str | None, index: int = 1) -> Reply:
    return Reply.answer(
        {"lines": [{"index": index, "sku": sku, "reason": "closest match"}], "customer": None},
        usage=(200, 20),
    )


def unknown(state: OrderState) -> LineResolution:
    assert state.resolved is not None
    return state.resolved.lines[1]


def spans(ctx: AppContext, prefix: str) -> list[str]:
    exporter = ctx.extras["spans"]
    assert isinstance(exporter, InMemorySpanExporter)
    return [s.name for s in exporter.get_finished_spans() if s.name.startswith(prefix)]


def lookup_tool_spans(ctx: AppContext) -> list[str]:
    """The execute_tool spans inside the lookup node (enrich runs its own core tools)."""
    exporter = ctx.extras["spans"]
    assert isinstance(exporter, InMemorySpanExporter)
    finished = exporter.get_finished_spans()
    node = {s.context.span_id for s in finished if s.name == "graph.node lookup"}
    return [
        s.name
        for s in finished
        if s.name.startswith("execute_tool") and s.parent is not None and s.parent.span_id in node
    ]


def tool_span_attributes(ctx: AppContext) -> Mapping[str, object]:
    exporter = ctx.extras["spans"]
    assert isinstance(exporter, InMemorySpanExporter)
    span = next(s for s in exporter.get_finished_spans() if s.name == "execute_tool search_catalog")
    attributes: Mapping[str, object] = span.attributes or {}
    assert attributes["gen_ai.operation.name"] == "execute_tool"
    return attributes


def lookup_warnings(state: OrderState) -> list[str]:
    assert state.extracted is not None
    return [w for w in state.extracted.warnings if w.startswith("lookup_")]


def test_the_model_searches_then_proposes_a_suggestion_that_still_goes_to_review(
    demo_ctx: AppContext, openai_server: FakeOpenAIServer
) -> None:
    openai_server.script(
        Reply.calls(("search_catalog", {"query": "zqvx wmbr"}), usage=(100, 10)),
        proposal(PROPOSED_SKU),
    )
    state = run(demo_ctx, UNKNOWN, openai_server)

    first, second = openai_server.chat_requests
    offered = {t["function"]["name"] for t in first.body["tools"]}
    assert offered == {"search_catalog", "search_customers"}
    assert UNKNOWN_CODE in first.messages[1]["content"]
    assert "ABR-1015" not in first.messages[1]["content"], "only uncertain lines are sent"
    assert second.messages[-1]["role"] == "tool" and '"hits"' in second.messages[-1]["content"]
    item = unknown(state).item
    assert item.candidates[0].id == PROPOSED_SKU and item.value == PROPOSED_SKU
    assert not item.certain and item.confidence < CERTAIN
    assert any(e.startswith(PROPOSED_EVIDENCE) for e in item.evidence)
    assert "unknown_item" in unknown(state).flags
    assert state.route is not None and state.route.decision == "review"
    assert "unknown_item" in state.route.reasons
    assert state.extracted is not None and state.extracted.usage == TokenUsage(
        input_tokens=300, output_tokens=30, calls=2
    )
    assert lookup_tool_spans(demo_ctx) == ["execute_tool search_catalog"]
    assert tool_span_attributes(demo_ctx)["gen_ai.tool.call.arguments"] == '{"query": "zqvx wmbr"}'
    with Session(demo_ctx.engine) as s:
        assert s.exec(select(DraftOrder.tokens_input)).one() == 300


@pytest.mark.parametrize(
    "calls",
    [
        [("reserve_stock", {"sku": PROPOSED_SKU, "quantity": 4})],
        [("search_catalog", {"query": "x"}), ("quote_price", {"sku": PROPOSED_SKU})],
    ],
)
def test_a_tool_that_is_not_a_lookup_is_refused_and_ends_the_conversation(
    demo_ctx: AppContext,
    openai_server: FakeOpenAIServer,
    calls: list[tuple[str, dict[str, object]]],
) -> None:
    openai_server.script(Reply.calls(*calls), proposal(PROPOSED_SKU))
    state = run(demo_ctx, UNKNOWN, openai_server)

    assert len(openai_server.chat_requests) == 1
    assert "graph.node lookup" in spans(demo_ctx, "graph.node")
    assert lookup_tool_spans(demo_ctx) == [], "nothing is executed, not even the search"
    assert lookup_warnings(state) == [f"lookup_refused_tool: {calls[-1][0]}"]
    assert unknown(state).item.value is None
    assert state.route is not None and state.route.decision == "review"


def test_a_model_that_keeps_searching_stops_after_the_step_budget(
    demo_ctx: AppContext, openai_server: FakeOpenAIServer
) -> None:
    openai_server.handler = lambda _: Reply.calls(("search_catalog", {"query": "again"}))
    state = run(demo_ctx, UNKNOWN, openai_server)

    assert len(openai_server.chat_requests) == MAX_STEPS
    assert len(lookup_tool_spans(demo_ctx)) == MAX_STEPS - 1
    assert lookup_warnings(state) == [
        f"lookup_step_budget: still searching after {MAX_STEPS} steps"
    ]
    assert unknown(state).item.value is None
    assert state.extracted is not None and state.extracted.usage is not None
    assert state.extracted.usage.calls == MAX_STEPS


def test_a_proposed_sku_that_does_not_exist_is_dropped(
    demo_ctx: AppContext, openai_server: FakeOpenAIServer
) -> None:
    openai_server.script(proposal("NOPE-0000"))
    state = run(demo_ctx, UNKNOWN, openai_server)

    assert lookup_warnings(state) == ["lookup_dropped: line 1 SKU 'NOPE-0000'"]
    item = unknown(state).item
    assert item.value is None and all(c.id != "NOPE-0000" for c in item.candidates)
    assert not any(e.startswith(PROPOSED_EVIDENCE) for e in item.evidence)


@pytest.mark.parametrize(
    "reply, warning",
    [
        (Reply.server_error(), "lookup_failed: http_5xx"),
        (Reply.answer("here is my answer: CHM-1020"), "lookup_failed: malformed_answer"),
    ],
)
def test_a_failed_lookup_leaves_the_resolution_and_warns(
    demo_ctx: AppContext, openai_server: FakeOpenAIServer, reply: Reply, warning: str
) -> None:
    openai_server.script(reply)
    state = run(demo_ctx, UNKNOWN, openai_server)

    assert lookup_warnings(state) == [warning]
    assert unknown(state).item.value is None
    assert state.route is not None and state.route.decision == "review"


def test_the_token_budget_is_respected(
    demo_ctx: AppContext, openai_server: FakeOpenAIServer
) -> None:
    budget = demo_ctx.settings.llm_token_budget
    spent = UNKNOWN.model_copy(update={"usage": TokenUsage(input_tokens=budget, calls=1)})
    state = run(demo_ctx, spent, openai_server)

    assert openai_server.chat_requests == []
    assert lookup_warnings(state)[0].startswith("lookup_budget:")


def test_an_unknown_customer_gets_a_proposed_candidate_but_stays_unknown(
    demo_ctx: AppContext, openai_server: FakeOpenAIServer
) -> None:
    stranger = CLEAN.model_copy(update={"customer_name": field("Grt Lks Fab")})
    openai_server.script(
        Reply.calls(("search_customers", {"query": "Great Lakes"})),
        Reply.answer({"lines": [], "customer": {"customer_id": "C1001", "reason": "name"}}),
    )
    with session_scope(demo_ctx.engine) as session:
        message, _ = store_inbound(
            session, raw=email(sender="someone@example.org"), source=MessageSource.CLI
        )
    runner = GraphRunner(
        ctx=demo_ctx,
        extractor=FakeExtractor(stranger),
        policy=default_policy(),
        chat_model_factory=fake_model(openai_server),
    )
    state = runner.process(message.id)

    assert state.resolved is not None
    customer = state.resolved.customer
    assert customer.value is None and customer.candidates[0].id == "C1001"
    assert "unknown_customer" in state.resolved.flags
    assert state.route is not None and state.route.decision == "review"


@pytest.mark.parametrize("with_model", [False, True])
def test_no_lookup_offline_or_when_everything_is_certain(
    demo_ctx: AppContext, openai_server: FakeOpenAIServer, with_model: bool
) -> None:
    extracted = CLEAN if with_model else UNKNOWN
    state = run(demo_ctx, extracted, openai_server if with_model else None)

    assert openai_server.requests == []
    assert "graph.node lookup" not in spans(demo_ctx, "graph.node")
    assert "graph.node resolve" in spans(demo_ctx, "graph.node")
    assert lookup_warnings(state) == []
