"""The LLM extractor: one structured-output call per message, one repair at most, verified."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

import httpx2
import openai
from langchain_core.language_models import BaseChatModel, LanguageModelInput
from langchain_core.messages import AIMessage, BaseMessage, HumanMessage, SystemMessage
from langchain_core.runnables import Runnable
from langchain_openai import ChatOpenAI
from langchain_openai.chat_models.base import OpenAIRefusalError
from opentelemetry.trace import TracerProvider
from pydantic import BaseModel, SecretStr, ValidationError

from app.core.config import Settings
from app.core.telemetry import tracer
from app.documents.model import ParsedMessage
from app.extraction.base import ExtractionFailed
from app.extraction.llm_cassette import REPLAY_MISS_CODE, CassetteMode, CassetteTransport
from app.extraction.llm_document import estimate_tokens, render_message
from app.extraction.llm_mapping import to_extracted_order
from app.extraction.llm_schema import OrderAnswer, response_format
from app.extraction.llm_trace import TEMPERATURE, chat_span, record_failure, record_response
from app.extraction.schema import ExtractedOrder, TokenUsage
from prompts import RenderedPrompt, render

PROMPT_NAME = "extract_po"
REPAIR_PROMPT_NAME = "repair_schema"
PROMPT_OVERHEAD_TOKENS = 1_500  # instructions + schema + delimiters stay under this
TRUNCATED_WARNING = "llm_input_truncated"

ChatModelFactory = Callable[[Settings], BaseChatModel]
StructuredModel = Runnable[LanguageModelInput, dict[str, Any] | BaseModel]


class LlmUsage(BaseModel):
    """Tokens spent on one message, over all its model calls."""

    input_tokens: int = 0
    output_tokens: int = 0
    calls: int = 0

    @property
    def total_tokens(self) -> int:
        return self.input_tokens + self.output_tokens

    def add(self, raw: AIMessage) -> None:
        self.calls += 1
        if raw.usage_metadata is not None:
            self.input_tokens += raw.usage_metadata["input_tokens"]
            self.output_tokens += raw.usage_metadata["output_tokens"]


def openai_chat_model(
    settings: Settings, *, http_client: httpx2.Client | None = None
) -> ChatOpenAI:
    """ChatOpenAI from the llm_* settings: temperature 0, bounded timeout and retries."""
    if not settings.llm_model:
        raise ExtractionFailed("not_configured", "INTAKE_LLM_MODEL is not set")
    return ChatOpenAI(
        model=settings.llm_model,
        base_url=settings.llm_base_url,
        api_key=_api_key(settings),
        temperature=TEMPERATURE,
        timeout=settings.llm_timeout_s,
        max_retries=settings.llm_max_retries,
        http_client=http_client,
    )


def cassette_chat_model_factory(directory: Path, mode: CassetteMode) -> ChatModelFactory:
    """A factory whose models record to, or replay from, `directory` (no network in replay)."""

    def build(settings: Settings) -> BaseChatModel:
        if mode is CassetteMode.REPLAY:
            settings = settings.model_copy(
                update={
                    "llm_base_url": settings.llm_base_url or "http://replay.invalid/v1",
                    "llm_api_key": settings.llm_api_key or SecretStr("replay"),
                    "llm_max_retries": 0,
                }
            )
        client = httpx2.Client(transport=CassetteTransport(directory, mode))
        return openai_chat_model(settings, http_client=client)

    return build


class LlmExtractor:
    """Reads a message with a chat model into an ExtractedOrder (Extractor protocol)."""

    name = "llm"

    def __init__(
        self,
        settings: Settings,
        *,
        chat_model_factory: ChatModelFactory | None = None,
        tracer_provider: TracerProvider | None = None,
    ) -> None:
        self._settings = settings
        self._factory = chat_model_factory or openai_chat_model
        self._tracer = tracer(tracer_provider)
        self._model: StructuredModel | None = None
        self.last_usage: LlmUsage | None = None  # of the latest extract(), also after a failure

    def extract(self, message: ParsedMessage) -> ExtractedOrder:
        """Read the message into an order; a value the message does not state stays None."""
        return self.extract_with_usage(message)[0]

    def extract_with_usage(self, message: ParsedMessage) -> tuple[ExtractedOrder, LlmUsage]:
        """Like extract, also returning the tokens spent."""
        usage = LlmUsage()
        self.last_usage = usage
        prompt = render(PROMPT_NAME, message_year=_message_year(message))
        document = render_message(message, max_tokens=self._document_budget())
        if document.withheld and not document.documents:
            raise ExtractionFailed(
                "document_withheld",
                "no document the model may read: " + ", ".join(document.withheld),
            )
        conversation = [SystemMessage(prompt.text), HumanMessage(document.text)]
        answer = self._answer(conversation, prompt, usage)
        order = to_extracted_order(answer, message)
        if document.truncated:
            order.warnings.append(TRUNCATED_WARNING)
        order.usage = TokenUsage(
            input_tokens=usage.input_tokens, output_tokens=usage.output_tokens, calls=usage.calls
        )
        return order, usage

    def _answer(
        self, conversation: list[BaseMessage], prompt: RenderedPrompt, usage: LlmUsage
    ) -> OrderAnswer:
        content = self._call(conversation, prompt, usage, attempt="extract")
        try:
            return OrderAnswer.model_validate_json(content)
        except ValidationError as first:
            repair = render(REPAIR_PROMPT_NAME, errors=_error_summary(first))
            retry = [*conversation, AIMessage(content=content), HumanMessage(repair.text)]
            content = self._call(retry, prompt, usage, attempt="repair")
            try:
                return OrderAnswer.model_validate_json(content)
            except ValidationError as second:
                raise ExtractionFailed("schema", _error_summary(second)) from second

    def _call(
        self,
        conversation: Sequence[BaseMessage],
        prompt: RenderedPrompt,
        usage: LlmUsage,
        *,
        attempt: str,
    ) -> str:
        self._check_budget(conversation, usage)
        model = self._structured_model()
        capture = self._settings.llm_capture_content
        with chat_span(self._tracer, self._settings, prompt, conversation, attempt=attempt) as span:
            try:
                result = model.invoke(conversation)
            except (openai.OpenAIError, OpenAIRefusalError) as exc:
                failure = classify_failure(exc)
                record_failure(span, failure.reason)
                raise failure from exc
            raw = result.get("raw") if isinstance(result, dict) else None
            if not isinstance(raw, AIMessage):
                raise ExtractionFailed("llm_error", f"unexpected model output {type(raw)}")
            record_response(span, raw, capture_content=capture)
        usage.add(raw)
        if refusal := raw.additional_kwargs.get("refusal"):
            raise ExtractionFailed("refusal", str(refusal)[:200])
        return str(raw.text)

    def _check_budget(self, conversation: Sequence[BaseMessage], usage: LlmUsage) -> None:
        """Stop before a call that would take the message past llm_token_budget."""
        budget = self._settings.llm_token_budget
        needed = sum(estimate_tokens(str(m.content)) for m in conversation)
        if usage.total_tokens + needed > budget:
            raise ExtractionFailed(
                "budget",
                f"{usage.total_tokens} tokens spent and {needed} more needed: over "
                f"the budget of {budget} for one message",
            )

    def _structured_model(self) -> StructuredModel:
        if self._model is None:  # built on first use, never at import
            chat = self._factory(self._settings)
            self._model = chat.with_structured_output(
                response_format(), method="json_schema", include_raw=True
            )
        return self._model

    def _document_budget(self) -> int:
        budget = self._settings.llm_token_budget
        return max(budget - PROMPT_OVERHEAD_TOKENS - budget // 8, 256)


def classify_failure(exc: Exception) -> ExtractionFailed:
    """The ExtractionFailed reason for a client error that survived the client's retries."""
    reason = _failure_reason(exc)
    return ExtractionFailed(reason, f"model call failed ({reason}): {type(exc).__name__}")


def _failure_reason(exc: Exception) -> str:
    if isinstance(exc, openai.APITimeoutError):
        return "timeout"
    if isinstance(exc, openai.APIConnectionError):
        return "connection"
    if isinstance(exc, openai.RateLimitError):
        return "rate_limited"
    if isinstance(exc, openai.APIStatusError):
        if exc.code == REPLAY_MISS_CODE:
            return "replay_miss"
        return "http_5xx" if exc.status_code >= 500 else f"http_{exc.status_code}"
    if isinstance(exc, openai.LengthFinishReasonError):
        return "length"
    if isinstance(exc, openai.ContentFilterFinishReasonError):
        return "content_filter"
    if isinstance(exc, OpenAIRefusalError):
        return "refusal"
    return "llm_error"


def _api_key(settings: Settings) -> SecretStr | None:
    if settings.llm_api_key is not None:
        return settings.llm_api_key
    # OpenAI-compatible local servers need no key, but the client insists on one.
    return SecretStr("unused") if settings.llm_base_url else None


def _message_year(message: ParsedMessage) -> str:
    sent = message.sent_at or ""
    return sent[:4] if sent[:4].isdigit() else "unknown"


def _error_summary(error: ValidationError, limit: int = 12) -> str:
    lines = [
        f"- {'.'.join(str(p) for p in e['loc']) or '(root)'}: {e['msg']}"
        for e in error.errors(include_url=False, include_input=False)[:limit]
    ]
    more = error.error_count() - limit
    return "\n".join(lines + ([f"- ... and {more} more"] if more > 0 else []))
