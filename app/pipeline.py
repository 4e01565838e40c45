"""Runs the order graph for the job worker: one thread per inbound message, resumable anywhere."""

from __future__ import annotations

import threading
from collections.abc import Collection
from dataclasses import dataclass, replace
from typing import Any

from langchain_core.runnables import RunnableConfig
from langgraph.types import Command
from opentelemetry import trace
from opentelemetry.trace import Link, SpanContext, TraceFlags
from sqlalchemy.engine import Engine
from sqlmodel import select

from app.audit import service as audit
from app.core.context import AppContext
from app.core.db import read_scope, session_scope
from app.core.time import utcnow
from app.documents.isolation import prestart_parse_children
from app.drafts import service as drafts
from app.extraction.base import Extractor
from app.extraction.factory import build_extractor
from app.extraction.llm import ChatModelFactory, openai_chat_model
from app.intake import repository as inbound
from app.intake import service as intake_service
from app.intake.service import PROCESS_MESSAGE_JOB
from app.intake.tables import InboundMessage, MessageStatus
from app.jobs.handlers import HandlerRegistry
from app.jobs.tables import Job, JobStatus
from app.masterdata.service import current_stock, load_masterdata
from app.review.schemas import ReviewDecision
from app.routing.policy import RoutingPolicy, load_policy
from graphs.checkpoint import make_checkpointer
from graphs.context import GraphContext
from graphs.graph import build_graph
from graphs.state import OrderState
from tools.masterdata import MasterData

RESUME_DRAFT_JOB = "resume_draft"  # payload: {"draft_id": str, "decision": ReviewDecision}


class RunMasterData:
    """A run's master data: loaded once, with the stock of each SKU read the first time a
    node asks for it and kept for the rest of the run (every node sees the same figures)."""

    def __init__(
        self, engine: Engine, base_currency: str, *, base: MasterData | None = None
    ) -> None:
        self.engine, self.base_currency = engine, base_currency
        self.snapshot = None if base is None else replace(base, stock={})
        self.read: set[str] = set()

    def __call__(self, skus: Collection[str] = ()) -> MasterData:
        new = set(skus) - self.read
        if self.snapshot is not None and not new:
            return self.snapshot
        with read_scope(self.engine) as session:
            md = self.snapshot or load_masterdata(session, base_currency=self.base_currency)
            stock = {**(md.stock if self.snapshot else {}), **current_stock(session, new)}
        self.snapshot = replace(md, stock=stock)  # never the cached copy's stale figures
        self.read |= new
        return self.snapshot


@dataclass
class GraphRunner:
    """What a process builds once: the compiled graph, its checkpointer, extractor and policy."""

    ctx: AppContext
    extractor: Extractor
    policy: RoutingPolicy
    clock: Any = utcnow
    chat_model_factory: ChatModelFactory | None = None  # the lookup node's model; None: offline

    def __post_init__(self) -> None:
        self.graph = build_graph(make_checkpointer(self.ctx.settings.database_url))

    @classmethod
    def for_context(cls, ctx: AppContext) -> GraphRunner:
        """The process's runner, built on first use and kept in the context."""
        with _lock:
            runner = ctx.extras.get("graph_runner")
            if not isinstance(runner, GraphRunner):
                settings = ctx.settings
                runner = cls(
                    ctx=ctx,
                    extractor=build_extractor(settings, ctx.tracer_provider),
                    policy=load_policy(settings.policy_file),
                    chat_model_factory=openai_chat_model if settings.llm_enabled else None,
                )
                ctx.extras["graph_runner"] = runner
        return runner

    def warm_up(self, threads: int = 1) -> None:
        """Start what a first message would otherwise wait for: the parse forkserver and a
        parse child per worker thread (about 0.8 s here, once per process)."""
        prestart_parse_children(threads, memory_mb=self.ctx.settings.parse_memory_mb)

    def graph_context(self) -> GraphContext:
        settings = self.ctx.settings
        return GraphContext(
            settings=settings,
            engine=self.ctx.engine,
            tracer=self.ctx.tracer_provider.get_tracer("order-intake.graph"),
            extractor=self.extractor,
            masterdata=RunMasterData(self.ctx.engine, settings.base_currency),
            policy=self.policy,
            now=self.clock,
            chat_model_factory=self.chat_model_factory,
        )

    def process(self, message_id: str) -> OrderState:
        """Run a message from parsing to an order or a review task (idempotent on retries)."""
        with session_scope(self.ctx.engine) as session:
            message = inbound.get(session, message_id)
            if message is not None and message.trace_id is None:
                _adopt_current_trace(message)  # stored without a trace (CLI): the job's is it
            trace_id = message.trace_id if message else None
            draft = drafts.ensure_draft(
                session, message_id=message_id, trace_id=trace_id or _current_trace_id()
            )
            if message is not None and message.status == MessageStatus.RECEIVED:
                message.status = MessageStatus.PROCESSING
                session.add(message)
            draft_id = draft.id
        span = trace.get_current_span()
        span.set_attribute("intake.message_id", message_id)
        span.set_attribute("intake.draft_id", draft_id)
        config = _config(message_id)
        snapshot = self.graph.get_state(config)
        if snapshot.next:  # a checkpoint exists: waiting for review, or a crash mid-run
            if snapshot.interrupts:
                return OrderState.model_validate(snapshot.values)
            return self._invoke(None, config)
        if snapshot.values:
            return OrderState.model_validate(snapshot.values)  # finished before
        return self._invoke(OrderState(message_id=message_id, draft_id=draft_id), config)

    def resume(self, draft_id: str, decision: ReviewDecision) -> OrderState:
        """Continue a draft's graph after a person decided, in whatever process runs this."""
        with read_scope(self.ctx.engine) as session:
            draft = drafts.get_draft(session, draft_id)
            thread, origin = draft.thread_id, draft.trace_id
            message = inbound.get(session, draft.inbound_message_id)
            origin_span = message.span_id if message else None
        config = _config(thread)
        snapshot = self.graph.get_state(config)
        if not snapshot.interrupts:
            return OrderState.model_validate(snapshot.values)  # resumed before: nothing twice
        tracer = self.ctx.tracer_provider.get_tracer("order-intake.graph")
        with tracer.start_as_current_span(
            "resume_review",
            links=_link_to(origin, origin_span),
            attributes={
                "intake.draft_id": draft_id,
                "intake.actor": decision.actor,
                "intake.origin_trace_id": origin or "",
            },
        ):
            return self._invoke(Command(resume=decision.model_dump(mode="json")), config)

    def _invoke(
        self, value: OrderState | Command[Any] | None, config: RunnableConfig
    ) -> OrderState:
        result = self.graph.invoke(value, config, context=self.graph_context(), durability="exit")
        if isinstance(result, dict):
            result = {k: v for k, v in result.items() if not k.startswith("__")}
        return OrderState.model_validate(result)


_lock = threading.Lock()


def _config(thread_id: str) -> RunnableConfig:
    return {"configurable": {"thread_id": thread_id}}


def _adopt_current_trace(message: InboundMessage) -> None:
    ctx = trace.get_current_span().get_span_context()
    if ctx.is_valid:
        message.trace_id = format(ctx.trace_id, "032x")
        message.span_id = format(ctx.span_id, "016x")


def _current_trace_id() -> str | None:
    ctx = trace.get_current_span().get_span_context()
    return format(ctx.trace_id, "032x") if ctx.is_valid else None


def _link_to(trace_id: str | None, span_id: str | None) -> list[Link]:
    """A link from the resume to the intake request that started the message's trace."""
    if not (trace_id and span_id):
        return []
    origin = SpanContext(
        trace_id=int(trace_id, 16),
        span_id=int(span_id, 16),
        is_remote=True,
        trace_flags=TraceFlags(TraceFlags.SAMPLED),
    )
    return [Link(origin)]


def handle_process_message(ctx: AppContext, payload: dict[str, Any]) -> None:
    GraphRunner.for_context(ctx).process(str(payload["message_id"]))


def handle_resume_draft(ctx: AppContext, payload: dict[str, Any]) -> None:
    decision = ReviewDecision.model_validate(payload["decision"])
    GraphRunner.for_context(ctx).resume(str(payload["draft_id"]), decision)


DEAD_MESSAGE_SWEEP_S = 30.0


def quarantine_dead_messages(ctx: AppContext) -> None:
    """Quarantine each message whose processing job died (every attempt failed), with the job's
    last error as the reason, so an admin sees it (GET /v1/admin/quarantine)."""
    with session_scope(ctx.engine) as session:
        dead = session.exec(
            select(Job.payload, Job.last_error).where(
                Job.kind == PROCESS_MESSAGE_JOB, Job.status == JobStatus.DEAD
            )
        ).all()
        for payload, error in dead:
            message = inbound.get(session, str(payload.get("message_id")))
            if message is None or message.status in (
                MessageStatus.QUARANTINED,
                MessageStatus.PROCESSED,
            ):
                continue
            reason = f"processing_failed: {error or 'unknown error'}"[:500]
            intake_service.quarantine(session, message.id, reason)
            audit.record(
                session,
                actor="worker",
                action="message.quarantined",
                entity="message",
                entity_id=message.id,
                reason=reason,
            )


def register_jobs(registry: HandlerRegistry) -> None:
    registry.register(PROCESS_MESSAGE_JOB, handle_process_message)
    registry.register(RESUME_DRAFT_JOB, handle_resume_draft)
    registry.every("quarantine_dead_messages", DEAD_MESSAGE_SWEEP_S, quarantine_dead_messages)
