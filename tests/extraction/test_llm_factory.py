"""build_extractor: rules without a model, LLM + rules with one."""

from __future__ import annotations

import importlib
from decimal import Decimal
from pathlib import Path

import pytest
from pydantic import SecretStr

from app.core.config import Settings
from app.documents.model import ParsedMessage
from app.extraction import factory
from app.extraction.factory import LlmWithRulesExtractor, build_extractor
from app.extraction.schema import ExtractedOrder
from tests.fakes.openai_server import FakeOpenAIServer, Reply
from tests.fakes.sample_po import po_answer, po_message


def _rules_ready() -> bool:
    try:
        return hasattr(importlib.import_module("app.extraction.rules"), "RulesExtractor")
    except ImportError:
        return False


needs_rules = pytest.mark.skipif(
    not _rules_ready(), reason="app.extraction.rules.RulesExtractor is not written yet"
)


def _settings(**values: object) -> Settings:
    return Settings(_env_file=None, **values)  # type: ignore[arg-type]


@needs_rules
def test_without_a_model_the_rules_extractor_is_used() -> None:
    assert build_extractor(_settings()).name == "rules"


@needs_rules
def test_with_a_model_llm_and_rules_are_combined(
    openai_server: FakeOpenAIServer,
) -> None:
    settings = _settings(
        llm_model="gpt-test",
        llm_base_url=openai_server.base_url,
        llm_api_key=SecretStr("sk-x"),
        llm_max_retries=0,
    )
    openai_server.script(Reply.answer(po_answer()))

    extractor = build_extractor(settings)
    order = extractor.extract(po_message())

    assert isinstance(extractor, LlmWithRulesExtractor)
    assert order.extractor == "llm+rules"
    assert order.total.value == Decimal("84")
    assert len(openai_server.chat_requests) == 1


@needs_rules
def test_with_a_failing_model_the_real_rules_extractor_answers(
    openai_server: FakeOpenAIServer,
) -> None:
    settings = _settings(
        llm_model="gpt-test",
        llm_base_url=openai_server.base_url,
        llm_api_key=SecretStr("sk-x"),
        llm_max_retries=0,
    )
    openai_server.script(Reply.server_error())

    order = build_extractor(settings).extract(po_message())

    assert order.extractor == "rules"
    assert "extractor_failure: http_5xx" in order.warnings


class _StubRules:
    name = "rules"

    def extract(self, message: ParsedMessage) -> ExtractedOrder:
        order = ExtractedOrder(extractor="rules")
        order.customer_po_number.value = "HMS-20931"
        order.customer_po_number.confidence = 0.6
        return order


def test_record_and_replay_are_wired_through_the_factory(
    openai_server: FakeOpenAIServer,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(factory, "rules_extractor", _StubRules)
    settings = _settings(
        llm_model="gpt-test",
        llm_base_url=openai_server.base_url,
        llm_api_key=SecretStr("sk-x"),
        llm_max_retries=0,
    )
    openai_server.script(Reply.answer(po_answer()))

    recorded = build_extractor(settings, record_dir=tmp_path).extract(po_message())
    openai_server.stop()
    replayed = build_extractor(settings, replay_dir=tmp_path).extract(po_message())

    assert recorded == replayed
    assert replayed.extractor == "llm+rules"
    assert replayed.customer_po_number.confidence > 0.9  # both readers agree
