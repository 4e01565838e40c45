"""What a process holds once: settings, engine, tracer provider. Passed explicitly, never global."""

from __future__ import annotations

from dataclasses import dataclass, field

from opentelemetry.sdk.trace import TracerProvider
from sqlalchemy.engine import Engine

from app.core.config import Exporter, Settings
from app.core.db import make_engine
from app.core.telemetry import build_tracer_provider


@dataclass
class AppContext:
    settings: Settings
    engine: Engine
    tracer_provider: TracerProvider
    extras: dict[str, object] = field(default_factory=dict)

    @classmethod
    def create(
        cls, settings: Settings, tracer_provider: TracerProvider | None = None
    ) -> AppContext:
        """Engine, tracer provider (the span store once the engine exists) and metrics.

        A provider passed in (tests) is used as given, with only the metrics processor added.
        """
        engine = make_engine(settings.database_url)
        provider = tracer_provider or build_tracer_provider(settings)
        ctx = cls(settings=settings, engine=engine, tracer_provider=provider)
        from app.metrics.setup import install_metrics
        from app.telemetry.exporter import install_span_store

        if tracer_provider is None and settings.otel_exporter == Exporter.DATABASE:
            install_span_store(ctx)
        install_metrics(ctx)
        return ctx
