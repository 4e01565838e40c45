"""`eval run --extractor llm`: record the model's answers from the fake server, replay offline."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from pydantic import SecretStr

from app.core.config import Settings
from app.routing.policy import load_policy
from evals.cli import make_extractor
from evals.report import build_report
from evals.runner import case_environment, load_cases, run_cases
from tests.evals.evalcases import tiny_dataset
from tests.fakes.openai_server import FakeOpenAIServer, Reply
from tests.fakes.sample_po import po_answer

VOLATILE = {"generated_at", "runtime_s", "latency_ms", "per_case"}


def _settings(base_url: str) -> Settings:
    return Settings(
        _env_file=None,
        llm_model="gpt-test-mini",
        llm_base_url=base_url,
        llm_api_key=SecretStr("sk-record"),
        llm_max_retries=0,
        llm_timeout_s=5.0,
    )


def _run(dataset: Path, settings: Settings, **dirs: Path) -> dict[str, Any]:
    extractor = make_extractor(
        "llm", settings, record=dirs.get("record"), replay=dirs.get("replay")
    )
    policy = load_policy()
    with case_environment(dataset, settings, extractor, policy) as env:
        runs = run_cases(env, load_cases(dataset), timeout_s=0)
    return build_report(dataset=str(dataset), extractor=extractor.name, runs=runs, policy=policy)


def _stable(report: dict[str, Any]) -> dict[str, Any]:
    out = {k: v for k, v in report.items() if k not in VOLATILE}
    out["per_case"] = [
        {k: c[k] for k in ("id", "exact", "errors", "fields", "predicted")}
        for c in report["per_case"]
    ]
    return out


def test_record_then_replay_gives_the_same_report(
    tmp_path: Path,
    openai_server: FakeOpenAIServer,
) -> None:
    dataset = tiny_dataset(tmp_path / "dataset", loose=False)
    openai_server.handler = lambda request: Reply.answer(po_answer(), usage=(500, 80))
    settings = _settings(openai_server.base_url)

    recorded = _run(dataset, settings, record=tmp_path / "cassettes")
    calls = len(openai_server.chat_requests)
    openai_server.stop()
    replayed = _run(dataset, settings, replay=tmp_path / "cassettes")

    assert calls >= 2 and list((tmp_path / "cassettes").glob("*.json"))
    assert recorded["extractor"] == "llm+rules" and recorded["errors"] == 0
    assert _stable(replayed) == _stable(recorded)
    # the model's answer (the sample PO) is what the draft holds: it really was used
    assert "HM-7781" in str(recorded["per_case"][0]["predicted"]["extraction"])
