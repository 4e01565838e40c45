"""Which extractor a run uses: rules alone, or the LLM checked against (and backed by) rules."""

from __future__ import annotations

from importlib import import_module
from pathlib import Path

from opentelemetry.trace import TracerProvider

from app.core.config import Settings
from app.documents.model import ParsedMessage
from app.extraction.base import ExtractionFailed, Extractor
from app.extraction.combine import COMBINED_EXTRACTOR, combine
from app.extraction.llm import ChatModelFactory, LlmExtractor, cassette_chat_model_factory
from app.extraction.llm_cassette import CassetteMode
from app.extraction.schema import ExtractedOrder

FAILURE_WARNING = "extractor_failure"


class LlmWithRulesExtractor:
    """LLM first; rules as the fallback when it fails and as a second opinion when it does not."""

    name = COMBINED_EXTRACTOR

    def __init__(self, llm: Extractor, rules: Extractor) -> None:
        self.llm = llm
        self.rules = rules

    def extract(self, message: ParsedMessage) -> ExtractedOrder:
        """The combined order, or the rules' order marked with why the LLM failed."""
        try:
            primary = self.llm.extract(message)
        except ExtractionFailed as failure:
            fallback = self.rules.extract(message)
            return _with_warning(fallback, f"{FAILURE_WARNING}: {failure.reason}")
        try:
            secondary = self.rules.extract(message)
        except ExtractionFailed as failure:
            return _with_warning(primary, f"{FAILURE_WARNING}: rules {failure.reason}")
        return combine(primary, secondary)


def build_extractor(
    settings: Settings,
    tracer_provider: TracerProvider | None = None,
    *,
    record_dir: Path | None = None,
    replay_dir: Path | None = None,
    chat_model_factory: ChatModelFactory | None = None,
) -> Extractor:
    """Rules when no model is configured; else LLM + rules, recording or replaying if asked."""
    rules = rules_extractor()
    if not settings.llm_enabled:
        return rules
    factory = chat_model_factory
    if replay_dir is not None:
        factory = cassette_chat_model_factory(replay_dir, CassetteMode.REPLAY)
    elif record_dir is not None:
        factory = cassette_chat_model_factory(record_dir, CassetteMode.RECORD)
    llm = LlmExtractor(settings, chat_model_factory=factory, tracer_provider=tracer_provider)
    return LlmWithRulesExtractor(llm, rules)


def rules_extractor() -> Extractor:
    """The offline extractor, imported on use so this module loads without it."""
    module = import_module("app.extraction.rules")
    extractor: Extractor = module.RulesExtractor()
    return extractor


def _with_warning(order: ExtractedOrder, warning: str) -> ExtractedOrder:
    return order.model_copy(update={"warnings": [*order.warnings, warning]})
