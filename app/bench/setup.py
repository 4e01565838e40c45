"""A throwaway database with the demo company, and a context whose spans are kept in memory."""

from __future__ import annotations

from pathlib import Path

from opentelemetry.sdk.trace import TracerProvider
from opentelemetry.sdk.trace.export import SimpleSpanProcessor
from opentelemetry.sdk.trace.export.in_memory_span_exporter import InMemorySpanExporter

from app.core.config import Exporter, Settings, get_settings
from app.core.context import AppContext
from app.core.db import upgrade


def bench_settings(database_url: str, data_dir: Path, **overrides: object) -> Settings:
    """The process settings on another database, with no exporter and no embedded worker."""
    values: dict[str, object] = {
        "database_url": database_url,
        "data_dir": data_dir,
        "otel_exporter": Exporter.NONE,
        "worker_embedded": False,
    }
    values.update(overrides)
    return get_settings().model_copy(update=values)


def demo_context(settings: Settings) -> tuple[AppContext, InMemorySpanExporter]:
    """Migrate, load the demo company, and record spans in memory."""
    from app.demo import load_demo_masterdata
    from app.masterdata.service import clear_cache

    upgrade(settings.database_url)
    exporter = InMemorySpanExporter()
    provider = TracerProvider()
    provider.add_span_processor(SimpleSpanProcessor(exporter))
    ctx = AppContext.create(settings, tracer_provider=provider)
    clear_cache()
    load_demo_masterdata(ctx.engine, base_currency=settings.base_currency)
    return ctx, exporter
