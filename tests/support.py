"""Shared test plumbing: databases (SQLite files, PostgreSQL schemas) and a demo-loaded context."""

from __future__ import annotations

import os
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from opentelemetry.sdk.trace import TracerProvider
from opentelemetry.sdk.trace.export import SimpleSpanProcessor
from opentelemetry.sdk.trace.export.in_memory_span_exporter import InMemorySpanExporter

from app.core.config import Exporter, Settings
from app.core.context import AppContext
from app.core.db import temporary_schema, upgrade

PG_ENV = "INTAKE_TEST_DATABASE_URL"
PG_SKIP_REASON = (
    f"PostgreSQL tests need {PG_ENV} (e.g. postgresql+psycopg://postgres@127.0.0.1/test)"
)
REPO = Path(__file__).resolve().parents[1]
SHARED = REPO.parent / "shared"


def postgres_base_url() -> str | None:
    return os.environ.get(PG_ENV) or None


@contextmanager
def postgres_schema() -> Iterator[str]:
    """A URL whose connections use a fresh schema, dropped afterwards; skips without PostgreSQL."""
    base = postgres_base_url()
    if base is None:
        pytest.skip(PG_SKIP_REASON)
    with temporary_schema(base, prefix="t_") as url:
        yield url


def sqlite_url(directory: Path, name: str = "intake.db") -> str:
    return f"sqlite:///{directory / name}"


def test_settings(database_url: str, **overrides: object) -> Settings:
    values: dict[str, object] = {
        "database_url": database_url,
        "otel_exporter": Exporter.NONE,
        "log_json": False,
        "worker_embedded": False,
    }
    values.update(overrides)
    return Settings(**values)  # type: ignore[arg-type]


def in_memory_tracing() -> tuple[TracerProvider, InMemorySpanExporter]:
    exporter = InMemorySpanExporter()
    provider = TracerProvider()
    provider.add_span_processor(SimpleSpanProcessor(exporter))
    return provider, exporter


def migrated_context(
    database_url: str,
    *,
    demo: bool = True,
    provider: TracerProvider | None = None,
    **overrides: object,
) -> AppContext:
    """A context on a migrated database, with the demo company loaded when asked."""
    settings = test_settings(database_url, **overrides)
    upgrade(database_url)
    ctx = AppContext.create(settings, tracer_provider=provider or in_memory_tracing()[0])
    if demo:
        from app.demo import load_demo_masterdata
        from app.masterdata.service import clear_cache

        clear_cache()
        load_demo_masterdata(ctx.engine, base_currency=settings.base_currency)
    return ctx


def errors_in_threads(work: Callable[[int], None], count: int, timeout_s: float = 60) -> list[str]:
    """Run work(0) .. work(count - 1) in as many threads at once; what each one raised."""
    errors: list[str] = []

    def run(n: int) -> None:
        try:
            work(n)
        except BaseException as exc:
            errors.append(repr(exc))

    threads = [threading.Thread(target=run, args=(n,)) for n in range(count)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout_s)
    return errors
