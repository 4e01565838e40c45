"""What a process holds once: settings, engine, tracer provider. Passed explicitly, never global."""

from __future__ import annotations

from dataclasses import dataclass, field

from opentelemetry.sdk.trace import TracerProvider
from sqlalchemy.engine import Engine

from app.core.config import Settings
from app.core.db import make_engine
from app.core.telemetry import build_tracer_provider


@dataclass
class AppContext:
    settings: Settings
    engine: Engine
    tracer_provider: TracerProvider
    extras: dict[str, object] = field(default_factory=dict)

    @classmethod
    def create(cls, settings: Settings, tracer_provider: TracerProvider | None = None) -> AppContext:
        engine = make_engine(settings.database_url)
        provider = tracer_provider or build_tracer_provider(settings)
        return cls(settings=settings, engine=engine, tracer_provider=provider)
