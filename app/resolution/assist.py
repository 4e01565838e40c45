"""Model-assisted lookup: a chat model with read-only search tools proposes items for uncertain
lines (and the buyer when unknown); proposals are checked against master data and never certain.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

import openai
from langchain_core.language_models import BaseChatModel, LanguageModelInput
from langchain_core.messages import AIMessage, BaseMessage, HumanMessage, SystemMessage, ToolMessage
from langchain_core.messages.tool import ToolCall
from langchain_core.runnables import Runnable
from langchain_core.tools import BaseTool
from langchain_openai.chat_models.base import OpenAIRefusalError
from opentelemetry.trace import Status, StatusCode, Tracer, get_current_span
from pydantic import BaseModel, Field, ValidationError

from app.core.config import Settings
from app.extraction.base import ExtractionFailed
from app.extraction.llm import ChatModelFactory, LlmUsage, classify_failure
from app.extraction.llm_document import estimate_tokens
from app.extraction.llm_trace import chat_span, record_failure, record_response
from app.extraction.schema import ExtractedOrder, TokenUsage
from app.resolution.models import Candidate, LineFlag, LineResolution, Resolution, ResolvedOrder
from app.resolution.order import PRICE_PLACES
from app.resolution.uom import resolve_uom
from prompts import RenderedPrompt, render
from tools.masterdata import MasterData, Product

PROMPT_NAME = "resolve_items"
MAX_STEPS = 3  # model calls per order, tool-calling turns included
MAX_CALLS_PER_STEP = 4
LOOKUP_TOOLS = frozenset({"search_catalog", "search_customers"})
PROPOSED_CONFIDENCE = 0.6  # below resolution.models.CERTAIN and below a clear fuzzy favourite
PROPOSED_EVIDENCE = "proposed by model after lookup"
REASON_CHARS = 200
UNCERTAIN_FLAGS: frozenset[LineFlag] = frozenset({"unknown_item", "ambiguous_item"})

ToolModel = Runnable[LanguageModelInput, AIMessage]


class LineProposal(BaseModel):
    """The model's pick for one uncertain line."""

    index: int  # LineResolution.index
    sku: str | None = None
    reason: str = ""


class CustomerProposal(BaseModel):
    """The model's pick for an unknown buyer."""

    customer_id: str | None = None
    reason: str = ""


class LookupAnswer(BaseModel):
    """The model's final answer after its lookups."""

    lines: list[LineProposal] = Field(default_factory=list)
    customer: CustomerProposal | None = None


@dataclass
class LookupResult:
    """What a conversation produced: its answer (None on failure), tokens and warnings."""

    answer: LookupAnswer | None = None
    usage: LlmUsage = field(default_factory=LlmUsage)
    warnings: list[str] = field(default_factory=list)
    scores: dict[str, float] = field(default_factory=dict)  # best search score per id


class LookupStopped(Exception):
    """The conversation ended without an answer; `warning` says why."""

    def __init__(self, warning: str) -> None:
        super().__init__(warning)
        self.warning = warning


def is_uncertain(line: LineResolution) -> bool:
    """Whether the line's item is unknown or ambiguous."""
    return bool(UNCERTAIN_FLAGS.intersection(line.flags))


def needs_lookup(resolved: ResolvedOrder) -> bool:
    """Whether a lookup could help: an uncertain line or an unknown customer."""
    return resolved.customer.value is None or any(is_uncertain(ln) for ln in resolved.lines)


def propose(
    chat_model_factory: ChatModelFactory,
    *,
    settings: Settings,
    tracer: Tracer,
    tools: Sequence[BaseTool],
    order: ExtractedOrder,
    resolved: ResolvedOrder,
    sender: str | None,
) -> LookupResult:
    """Run the lookup conversation about `resolved`; every failure comes back as a warning."""
    try:
        chat = chat_model_factory(settings)
    except ExtractionFailed as failure:
        return LookupResult(warnings=[f"lookup_failed: {failure.reason}"])
    spent = order.usage.input_tokens + order.usage.output_tokens if order.usage else 0
    conversation = LookupConversation(chat, tools, settings, tracer, spent_before=spent)
    conversation.run(order, resolved, sender)
    return conversation.result


@dataclass
class LookupConversation:
    """One bounded tool-calling conversation with the lookup tools only."""

    chat: BaseChatModel
    tools: Sequence[BaseTool]
    settings: Settings
    tracer: Tracer
    spent_before: int = 0  # tokens the order spent already (extraction)
    result: LookupResult = field(default_factory=LookupResult)

    @property
    def lookups(self) -> dict[str, BaseTool]:
        """The tools the model may call: the read-only lookups among those given, nothing else."""
        return {t.name: t for t in self.tools if t.name in LOOKUP_TOOLS}

    def run(self, order: ExtractedOrder, resolved: ResolvedOrder, sender: str | None) -> None:
        """Converse until an answer, a refusal, the step budget or a failure; never raises."""
        prompt = render(PROMPT_NAME, max_steps=MAX_STEPS)
        data = lookup_data(order, resolved, sender)
        conversation: list[BaseMessage] = [
            SystemMessage(prompt.text),
            HumanMessage(f"<data>\n{data}\n</data>"),
        ]
        try:
            self.result.answer = self._converse(conversation, prompt)
        except LookupStopped as stop:
            self.result.warnings.append(stop.warning)

    def _converse(self, conversation: list[BaseMessage], prompt: RenderedPrompt) -> LookupAnswer:
        model: ToolModel = self.chat.bind_tools(list(self.lookups.values()))
        for step in range(1, MAX_STEPS + 1):
            reply = self._call(model, conversation, prompt, step)
            if not (reply.tool_calls or reply.invalid_tool_calls):
                return parse_answer(reply.text)
            self._check_calls(reply)
            if step < MAX_STEPS:
                conversation += [reply, *(self._execute(call) for call in reply.tool_calls)]
        raise LookupStopped(f"lookup_step_budget: still searching after {MAX_STEPS} steps")

    def _call(
        self, model: ToolModel, conversation: list[BaseMessage], prompt: RenderedPrompt, step: int
    ) -> AIMessage:
        self._check_budget(conversation)
        capture = self.settings.llm_capture_content
        attempt = f"lookup_{step}"
        with chat_span(self.tracer, self.settings, prompt, conversation, attempt=attempt) as span:
            try:
                reply = model.invoke(conversation)
            except (openai.OpenAIError, OpenAIRefusalError) as exc:
                failure = classify_failure(exc)
                record_failure(span, failure.reason)
                raise LookupStopped(f"lookup_failed: {failure.reason}") from exc
            record_response(span, reply, capture_content=capture)
        self.result.usage.add(reply)
        return reply

    def _check_budget(self, conversation: Sequence[BaseMessage]) -> None:
        budget = self.settings.llm_token_budget
        needed = sum(estimate_tokens(str(m.content)) for m in conversation)
        spent = self.spent_before + self.result.usage.total_tokens
        if spent + needed > budget:
            raise LookupStopped(f"lookup_budget: {spent} tokens spent, {needed} more needed")

    def _check_calls(self, reply: AIMessage) -> None:
        """Refuse the whole turn when a call is malformed, not a lookup, or one too many."""
        if reply.invalid_tool_calls:
            raise LookupStopped("lookup_failed: malformed_tool_call")
        refused = [c["name"] for c in reply.tool_calls if c["name"] not in self.lookups]
        if refused:
            get_current_span().add_event("lookup.tool_refused", {"gen_ai.tool.name": refused})
            raise LookupStopped(f"lookup_refused_tool: {', '.join(refused)}")
        if len(reply.tool_calls) > MAX_CALLS_PER_STEP:
            raise LookupStopped(f"lookup_failed: {len(reply.tool_calls)} tool calls in one step")

    def _execute(self, call: ToolCall) -> ToolMessage:
        """Run one lookup tool call in an `execute_tool {name}` span."""
        name, call_id = call["name"], call.get("id") or ""
        tool = self.lookups[name]
        with self.tracer.start_as_current_span(f"execute_tool {name}") as span:
            span.set_attribute("gen_ai.operation.name", "execute_tool")
            span.set_attribute("gen_ai.tool.name", name)
            span.set_attribute("gen_ai.tool.call.id", call_id)
            span.set_attribute("gen_ai.tool.call.arguments", json.dumps(call["args"], default=str))
            try:
                result = json.loads(tool.invoke(call).content)
            except (ValidationError, ValueError) as exc:
                span.set_status(Status(StatusCode.ERROR, f"{type(exc).__name__}"))
                raise LookupStopped(f"lookup_failed: malformed_tool_call {name}") from exc
            span.set_attribute("intake.tool.result_summary", f"{len(result.get('hits', []))} hits")
        self._remember_scores(result)
        return ToolMessage(content=json.dumps(result), tool_call_id=call_id, name=name)

    def _remember_scores(self, result: dict[str, Any]) -> None:
        for hit in result.get("hits", []):
            key = str(hit.get("sku") or hit.get("customer_id") or "")
            score = float(hit.get("score") or 0.0)
            self.result.scores[key] = max(score, self.result.scores.get(key, 0.0))


def lookup_data(order: ExtractedOrder, resolved: ResolvedOrder, sender: str | None) -> str:
    """The uncertain lines as written, the unknown buyer and the current candidates, as JSON."""
    lines = [_line_data(order, ln) for ln in resolved.lines if is_uncertain(ln)]
    data: dict[str, object] = {"lines": lines}
    if resolved.customer.value is None:
        data["customer"] = {
            "name": order.customer_name.value,
            "sender": sender,
            "candidates": _candidates(resolved.customer.candidates),
        }
    return json.dumps(data, ensure_ascii=False, default=str, indent=1)


def _line_data(order: ExtractedOrder, line: LineResolution) -> dict[str, object]:
    written = order.lines[line.index]
    return {
        "index": line.index,
        "code": written.customer_item_code.value,
        "description": written.description.value,
        "quantity": written.quantity.value,
        "uom": written.uom.value,
        "candidates": _candidates(line.item.candidates),
    }


def _candidates(candidates: Sequence[Candidate]) -> list[dict[str, object]]:
    return [{"id": c.id, "score": c.score, "label": c.label} for c in candidates]


def parse_answer(text: str) -> LookupAnswer:
    """The final answer from the model's text, tolerating a code fence around the JSON."""
    body = text.strip().removeprefix("```json").removeprefix("```").removesuffix("```")
    try:
        return LookupAnswer.model_validate_json(body.strip())
    except ValidationError as exc:
        raise LookupStopped("lookup_failed: malformed_answer") from exc


def add_usage(usage: TokenUsage | None, spent: LlmUsage) -> TokenUsage:
    """The order's token usage with the lookup's calls added."""
    base = usage or TokenUsage()
    return TokenUsage(
        input_tokens=base.input_tokens + spent.input_tokens,
        output_tokens=base.output_tokens + spent.output_tokens,
        calls=base.calls + spent.calls,
    )


def apply_proposals(
    resolved: ResolvedOrder,
    answer: LookupAnswer,
    master: MasterData,
    *,
    scores: dict[str, float],
) -> tuple[ResolvedOrder, list[str]]:
    """Checked proposals as top candidates, never certain; invalid ones dropped with a warning."""
    warnings: list[str] = []
    lines = {ln.index: ln for ln in resolved.lines}
    for proposal in answer.lines:
        line = lines.get(proposal.index)
        if proposal.sku is None:
            continue
        product = master.products.get(proposal.sku)
        if line is None or not is_uncertain(line) or product is None:
            warnings.append(f"lookup_dropped: line {proposal.index} SKU {proposal.sku!r}")
            continue
        lines[line.index] = _with_item(line, product, proposal.reason, master, scores)
    customer, dropped = _with_customer(resolved.customer, answer.customer, master, scores)
    update = {"lines": [lines[ln.index] for ln in resolved.lines], "customer": customer}
    return resolved.model_copy(update=update), warnings + dropped


def _with_item(
    line: LineResolution,
    product: Product,
    reason: str,
    master: MasterData,
    scores: dict[str, float],
) -> LineResolution:
    """The line with the proposed product first, its unit resolved, flagged as still unknown."""
    sku = product.sku
    item = _proposed(line.item, sku, product.description, reason, scores)
    uom = resolve_uom(written=line.uom.as_written, product=product, master=master)
    flags = list(dict.fromkeys([*line.flags, "unknown_item"]))
    if uom.reason == "uom_mismatch" and "uom_mismatch" not in flags:
        flags.append("uom_mismatch")
    if product.discontinued and "discontinued_item" not in flags:
        flags.append("discontinued_item")
    factor = uom.factor
    base_quantity = line.quantity * factor if line.quantity is not None and factor else None
    return line.model_copy(
        update={
            "item": item,
            "uom": uom,
            "base_quantity": base_quantity,
            "base_unit_price": _per_base(line.unit_price, factor),
            "flags": flags,
        }
    )


def _proposed(
    current: Resolution[str], sku: str, label: str, reason: str, scores: dict[str, float]
) -> Resolution[str]:
    known = next((c for c in current.candidates if c.id == sku), None)
    score = known.score if known is not None else scores.get(sku, 0.0)
    others = [c for c in current.candidates if c.id != sku]
    return current.model_copy(
        update={
            "value": sku,
            "confidence": PROPOSED_CONFIDENCE,
            "method": "fuzzy",
            "candidates": [Candidate(id=sku, score=score, label=label), *others],
            "evidence": [*current.evidence, _evidence(sku, reason)],
            "reason": current.reason or "unknown_item",
        }
    )


def _with_customer(
    current: Resolution[str],
    proposal: CustomerProposal | None,
    master: MasterData,
    scores: dict[str, float],
) -> tuple[Resolution[str], list[str]]:
    """An unknown customer with the proposed one as top candidate; its value stays unset."""
    if proposal is None or proposal.customer_id is None:
        return current, []
    customer = master.customers.get(proposal.customer_id)
    if current.value is not None or customer is None:
        return current, [f"lookup_dropped: customer {proposal.customer_id!r}"]
    cid = customer.customer_id
    others = [c for c in current.candidates if c.id != cid]
    score = next((c.score for c in current.candidates if c.id == cid), scores.get(cid, 0.0))
    update = {
        "candidates": [Candidate(id=cid, score=score, label=customer.name), *others],
        "evidence": [*current.evidence, _evidence(cid, proposal.reason)],
    }
    return current.model_copy(update=update), []


def _evidence(record_id: str, reason: str) -> str:
    return f"{PROPOSED_EVIDENCE}: {record_id} ({reason.strip()[:REASON_CHARS] or 'no reason'})"


def _per_base(price: Decimal | None, factor: Decimal | None) -> Decimal | None:
    if price is None or not factor:
        return None
    return (price / factor).quantize(PRICE_PLACES).normalize()
