"""Run every case of a dataset through the real graph, each in a throwaway database.

The database is migrated and loaded with the dataset's master data once (a template SQLite file);
each case gets a copy of that file. No human steps: a case ends where the graph waits for review,
or with the order the policy auto-approved.
"""

from __future__ import annotations

import json
import shutil
import tempfile
import time
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import Future, ThreadPoolExecutor
from concurrent.futures import TimeoutError as FutureTimeout
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import datetime
from email import policy as email_policy
from email.parser import BytesHeaderParser
from pathlib import Path
from typing import Any

from opentelemetry.sdk.trace import TracerProvider

from app.core.config import Exporter, Settings
from app.core.context import AppContext
from app.core.db import make_engine, session_scope, upgrade
from app.core.time import utcnow
from app.drafts import service as drafts
from app.extraction.base import Extractor
from app.ingest_cli import compose_loose_message, draft_answer
from app.intake.service import store_inbound
from app.intake.tables import MessageSource
from app.masterdata.service import load_directory, load_masterdata
from app.pipeline import GraphRunner, RunMasterData
from app.routing.facts import RoutingFacts
from app.routing.policy import RoutingPolicy
from graphs.checkpoint import checkpoint_path, make_checkpointer
from graphs.context import GraphContext
from tools.masterdata import MasterData

JsonObject = dict[str, Any]
MASTERDATA_FOLDER = "_masterdata"
DEFAULT_TIMEOUT_S = 300.0


@dataclass(frozen=True)
class EvalCase:
    """One case folder: its id, source files (name order) and expected.json."""

    case_id: str
    folder: Path
    sources: tuple[Path, ...]
    expected: JsonObject

    @property
    def tags(self) -> list[str]:
        raw = self.expected.get("tags")
        return [str(t) for t in raw] if isinstance(raw, list) else []

    def raw_message(self) -> bytes:
        """What arrived: the .eml as it is, or the loose files composed into one message."""
        if len(self.sources) == 1 and self.sources[0].suffix.lower() == ".eml":
            return self.sources[0].read_bytes()
        return compose_loose_message(self.sources)


@dataclass
class CaseRun:
    """What the system produced for one case (or why it failed)."""

    case: EvalCase
    predicted: JsonObject | None = None
    facts: RoutingFacts | None = None
    latency_ms: float | None = None
    error: str | None = None
    draft: JsonObject = field(default_factory=dict)


def load_cases(dataset: Path, *, limit: int | None = None) -> list[EvalCase]:
    """The case folders of a dataset, by name; `.`/`_` names are ignored."""
    if not dataset.is_dir():
        raise FileNotFoundError(f"{dataset} is not a directory")
    cases: list[EvalCase] = []
    for folder in sorted(p for p in dataset.iterdir() if p.is_dir() and _visible(p)):
        expected_file = folder / "expected.json"
        if not expected_file.is_file():
            continue
        sources = tuple(
            sorted(
                (
                    p
                    for p in folder.iterdir()
                    if p.is_file() and _visible(p) and p.name != "expected.json"
                ),
                key=lambda p: p.name,
            )
        )
        cases.append(EvalCase(folder.name, folder, sources, json.loads(expected_file.read_text())))
    return cases[:limit] if limit is not None else cases


def _visible(path: Path) -> bool:
    return not path.name.startswith((".", "_"))


# ---------------------------------------------------------------- databases


def case_settings(base: Settings, database_url: str, data_dir: Path) -> Settings:
    """The base settings on a throwaway database, without exporters or an embedded worker."""
    return base.model_copy(
        update={
            "database_url": database_url,
            "data_dir": data_dir,
            "otel_exporter": Exporter.NONE,
            "worker_embedded": False,
        }
    )


class TemplateDatabase:
    """A migrated SQLite file with the master data loaded, copied for every case."""

    def __init__(self, workdir: Path, masterdata: Path | None, *, base_currency: str) -> None:
        self.workdir = workdir
        self.path = workdir / "_template" / "intake.db"
        self.path.parent.mkdir(parents=True)
        url = f"sqlite:///{self.path}"
        upgrade(url)
        engine = make_engine(url)
        try:
            if masterdata is not None:
                with session_scope(engine) as session:
                    load_directory(session, masterdata, base_currency=base_currency)
            else:
                from app.demo import load_demo_masterdata

                load_demo_masterdata(engine, base_currency=base_currency)
            with session_scope(engine) as session:
                self.masterdata = load_masterdata(session, base_currency=base_currency)
        finally:
            engine.dispose()
        _close_checkpointer(make_checkpointer(url))  # its tables, copied with the file

    def copy_for(self, name: str) -> str:
        """A fresh copy of the template (and its checkpoint file); its database URL."""
        folder = self.workdir / name
        folder.mkdir(parents=True, exist_ok=True)
        target = folder / "intake.db"
        shutil.copyfile(self.path, target)
        checkpoints = Path(checkpoint_path(f"sqlite:///{self.path}"))
        if checkpoints.is_file():
            shutil.copyfile(checkpoints, checkpoint_path(f"sqlite:///{target}"))
        return f"sqlite:///{target}"


def _close_checkpointer(saver: object) -> None:
    conn = getattr(saver, "conn", None)
    close = getattr(conn, "close", None)
    if callable(close):
        close()


def dataset_masterdata(dataset: Path) -> Path | None:
    """The dataset's own master data (`_masterdata/` CSVs), else None for the demo company."""
    folder = dataset / MASTERDATA_FOLDER
    return folder if folder.is_dir() else None


# ---------------------------------------------------------------- running


def message_clock(raw: bytes) -> Callable[[], datetime]:
    """The message's Date as "now" (the gold is judged as of arrival), else the real clock."""
    try:
        headers = BytesHeaderParser(policy=email_policy.default).parsebytes(raw)
        sent = getattr(headers["date"], "datetime", None)
    except (ValueError, TypeError, IndexError, AttributeError):
        sent = None
    if isinstance(sent, datetime) and sent.tzinfo is not None:
        return lambda: sent
    return utcnow


@dataclass
class CaseGraphRunner(GraphRunner):
    """The service's runner, with the template's master data read once for all cases.

    Master data does not change during a case; stock does (reservations), so a run reads its
    SKUs' stock fresh, as `app.pipeline.RunMasterData` does.
    """

    masterdata: MasterData | None = None

    def graph_context(self) -> GraphContext:
        context = super().graph_context()
        if self.masterdata is not None:
            context.masterdata = RunMasterData(
                self.ctx.engine, self.ctx.settings.base_currency, base=self.masterdata
            )
        return context


@dataclass
class CaseEnvironment:
    """What every case shares: settings, the template, the extractor and the policy."""

    settings: Settings
    template: TemplateDatabase
    extractor: Extractor
    policy: RoutingPolicy
    tracer_provider: TracerProvider = field(default_factory=TracerProvider)


def run_case(env: CaseEnvironment, case: EvalCase) -> CaseRun:
    """Store the case's message in a fresh copy of the template and run the graph on it."""
    run = CaseRun(case=case)
    try:
        raw = case.raw_message()
    except OSError as exc:
        run.error = f"unreadable source: {exc}"
        return run
    url = env.template.copy_for(case.case_id)
    settings = case_settings(env.settings, url, env.template.workdir / case.case_id / "data")
    ctx = AppContext(
        settings=settings, engine=make_engine(url), tracer_provider=env.tracer_provider
    )
    runner: GraphRunner | None = None
    try:
        runner = CaseGraphRunner(
            ctx=ctx,
            extractor=env.extractor,
            policy=env.policy,
            clock=message_clock(raw),
            masterdata=env.template.masterdata,
        )
        with session_scope(ctx.engine) as session:
            message, _ = store_inbound(session, raw=raw, source=MessageSource.CLI)
            message_id = message.id
        started = time.perf_counter()
        runner.process(message_id)
        run.latency_ms = (time.perf_counter() - started) * 1000
        _read_draft(ctx, message_id, run)
    except Exception as exc:
        run.error = f"{type(exc).__name__}: {exc}"[:500]
    finally:
        if runner is not None:
            _close_checkpointer(runner.graph.checkpointer)
        ctx.engine.dispose()
        shutil.rmtree(env.template.workdir / case.case_id, ignore_errors=True)
    return run


def _read_draft(ctx: AppContext, message_id: str, run: CaseRun) -> None:
    with session_scope(ctx.engine) as session:
        draft = drafts.get_draft(session, drafts.draft_id_for(message_id))
        answer = draft_answer(draft)
        run.facts = RoutingFacts.model_validate(draft.facts) if draft.facts else None
    run.predicted = {k: answer[k] for k in ("extraction", "route", "confidence")}
    run.draft = {
        k: answer[k]
        for k in (
            "draft_id",
            "status",
            "document_confidence",
            "customer_id",
            "total",
            "currency",
            "order_id",
        )
    }


@contextmanager
def case_environment(
    dataset: Path, settings: Settings, extractor: Extractor, policy: RoutingPolicy
) -> Iterator[CaseEnvironment]:
    """The template database for `dataset` in a temporary folder, removed afterwards."""
    with tempfile.TemporaryDirectory(prefix="intake-eval-") as tmp:
        template = TemplateDatabase(
            Path(tmp), dataset_masterdata(dataset), base_currency=settings.base_currency
        )
        yield CaseEnvironment(
            settings=settings, template=template, extractor=extractor, policy=policy
        )


def run_cases(
    env: CaseEnvironment,
    cases: Sequence[EvalCase],
    *,
    workers: int = 1,
    timeout_s: float = DEFAULT_TIMEOUT_S,
    progress: Callable[[CaseRun], None] | None = None,
) -> list[CaseRun]:
    """Every case, in order; one that raises or runs past `timeout_s` is a failed case."""
    if workers <= 1 and timeout_s <= 0:
        runs = []
        for case in cases:
            runs.append(run_case(env, case))
            if progress is not None:
                progress(runs[-1])
        return runs
    pool = ThreadPoolExecutor(max_workers=max(1, workers), thread_name_prefix="eval")
    try:
        futures: list[Future[CaseRun]] = [pool.submit(run_case, env, c) for c in cases]
        runs = []
        for future, case in zip(futures, cases, strict=True):
            runs.append(_result(future, case, timeout_s))
            if progress is not None:
                progress(runs[-1])
        return runs
    finally:
        pool.shutdown(wait=False, cancel_futures=True)


def _result(future: Future[CaseRun], case: EvalCase, timeout_s: float) -> CaseRun:
    try:
        return future.result(timeout=timeout_s if timeout_s > 0 else None)
    except FutureTimeout:
        future.cancel()
        return CaseRun(case=case, error=f"timeout after {timeout_s:.0f} s")
