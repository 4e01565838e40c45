"""Record model calls against the fake server, then replay them with the server gone."""

from __future__ import annotations

from pathlib import Path

import pytest
from pydantic import SecretStr

from app.core.config import Settings
from app.extraction.base import ExtractionFailed
from app.extraction.llm import LlmExtractor, cassette_chat_model_factory
from app.extraction.llm_cassette import CassetteMode
from tests.fakes.openai_server import FakeOpenAIServer, Reply
from tests.fakes.sample_po import po_answer, po_message


def _settings(base_url: str) -> Settings:
    return Settings(
        _env_file=None,
        llm_model="gpt-test-mini",
        llm_base_url=base_url,
        llm_api_key=SecretStr("sk-record"),
        llm_max_retries=0,
        llm_timeout_s=2.0,
    )


def test_record_then_replay_without_network(tmp_path: Path) -> None:
    server = FakeOpenAIServer().start()
    settings = _settings(server.base_url)
    server.script(Reply.answer(po_answer(), usage=(700, 90)))
    recorder = LlmExtractor(
        settings, chat_model_factory=cassette_chat_model_factory(tmp_path, CassetteMode.RECORD)
    )
    recorded = recorder.extract(po_message())
    server.stop()

    [cassette] = list(tmp_path.glob("*.json"))
    assert "HMS-20931" in cassette.read_text()
    assert "sk-record" not in cassette.read_text()

    replayer = LlmExtractor(
        settings, chat_model_factory=cassette_chat_model_factory(tmp_path, CassetteMode.REPLAY)
    )
    replayed, usage = replayer.extract_with_usage(po_message())

    assert replayed == recorded
    assert (usage.input_tokens, usage.output_tokens) == (700, 90)


def test_replay_miss_fails_without_network(tmp_path: Path) -> None:
    settings = _settings("http://127.0.0.1:9/v1")  # nothing listens there
    replayer = LlmExtractor(
        settings, chat_model_factory=cassette_chat_model_factory(tmp_path, CassetteMode.REPLAY)
    )

    with pytest.raises(ExtractionFailed) as failure:
        replayer.extract(po_message())

    assert failure.value.reason == "replay_miss"


def test_failed_exchanges_are_not_recorded(tmp_path: Path) -> None:
    server = FakeOpenAIServer().start()
    try:
        server.script(Reply.error(400, "bad request"))
        recorder = LlmExtractor(
            _settings(server.base_url),
            chat_model_factory=(cassette_chat_model_factory(tmp_path, CassetteMode.RECORD)),
        )
        with pytest.raises(ExtractionFailed) as failure:
            recorder.extract(po_message())
    finally:
        server.stop()

    assert failure.value.reason == "http_400"
    assert list(tmp_path.glob("*.json")) == []
