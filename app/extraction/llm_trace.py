"""One span per model call, named and attributed per the OpenTelemetry GenAI conventions.

Message content goes on the span only when settings.llm_capture_content is on; the API key
never does (nothing here reads it).
"""

from __future__ import annotations

import json
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from urllib.parse import urlsplit

from langchain_core.messages import AIMessage, BaseMessage
from opentelemetry.trace import Span, SpanKind, Status, StatusCode, Tracer

from app.core.config import Settings
from prompts import RenderedPrompt

PROVIDER = "openai"
TEMPERATURE = 0.0


@contextmanager
def chat_span(
    tracer: Tracer,
    settings: Settings,
    prompt: RenderedPrompt,
    conversation: Sequence[BaseMessage],
    *,
    attempt: str,
) -> Iterator[Span]:
    """A CLIENT span `chat {model}` around one model call."""
    model = settings.llm_model or "unknown"
    attributes: dict[str, str | float | int] = {
        "gen_ai.operation.name": "chat",
        "gen_ai.provider.name": PROVIDER,
        "gen_ai.request.model": model,
        "gen_ai.request.temperature": TEMPERATURE,
        "gen_ai.output.type": "json",
        "gen_ai.prompt.name": prompt.name,
        "intake.prompt.name": prompt.name,
        "intake.prompt.version": prompt.version,
        "intake.prompt.file": prompt.file,
        "intake.llm.attempt": attempt,  # "extract" or "repair"
        **_server_attributes(settings.llm_base_url),
    }
    with tracer.start_as_current_span(
        f"chat {model}", kind=SpanKind.CLIENT, attributes=attributes
    ) as span:
        if settings.llm_capture_content:
            span.set_attribute("gen_ai.input.messages", _messages_json(conversation))
        yield span


def record_response(span: Span, raw: AIMessage, *, capture_content: bool) -> None:
    """Response model, id, finish reason and token usage; the output only when capturing."""
    metadata = raw.response_metadata
    if model := metadata.get("model_name"):
        span.set_attribute("gen_ai.response.model", str(model))
    if response_id := metadata.get("id"):
        span.set_attribute("gen_ai.response.id", str(response_id))
    if finish := metadata.get("finish_reason"):
        span.set_attribute("gen_ai.response.finish_reasons", [str(finish)])
    if raw.usage_metadata is not None:
        span.set_attribute("gen_ai.usage.input_tokens", raw.usage_metadata["input_tokens"])
        span.set_attribute("gen_ai.usage.output_tokens", raw.usage_metadata["output_tokens"])
    if capture_content:
        span.set_attribute("gen_ai.output.messages", _messages_json([raw]))


def record_failure(span: Span, reason: str) -> None:
    span.set_attribute("error.type", reason)
    span.set_status(Status(StatusCode.ERROR, reason))


def _server_attributes(base_url: str | None) -> dict[str, str | int]:
    if not base_url:
        return {"server.address": "api.openai.com", "server.port": 443}
    parts = urlsplit(base_url)  # no credentials: userinfo is dropped below
    out: dict[str, str | int] = {"server.address": parts.hostname or ""}
    if parts.port is not None:
        out["server.port"] = parts.port
    return out


def _messages_json(messages: Sequence[BaseMessage]) -> str:
    return json.dumps(
        [{"role": m.type, "parts": [{"type": "text", "content": str(m.text)}]} for m in messages],
        ensure_ascii=False,
    )
