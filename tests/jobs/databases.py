"""Contexts on databases whose tables come from SQLModel.metadata.create_all (no migrations)."""

from __future__ import annotations

from typing import Any

from opentelemetry.sdk.trace import TracerProvider
from sqlalchemy import text
from sqlmodel import SQLModel

import app.models  # noqa: F401  (registers the tables)
from app.core.config import Settings
from app.core.context import AppContext
from tests.support import postgres_schema, sqlite_url, test_settings

__all__ = ["clear_tables", "make_context", "postgres_schema", "settings_for", "sqlite_url"]

MY_TABLES = ("raw_messages", "inbound_messages", "mailgun_tokens_seen", "jobs")


def settings_for(url: str, **overrides: Any) -> Settings:
    return test_settings(url, log_level="WARNING", **overrides)


def make_context(settings: Settings, provider: TracerProvider | None = None) -> AppContext:
    ctx = AppContext.create(settings, tracer_provider=provider or TracerProvider())
    SQLModel.metadata.create_all(ctx.engine)
    return ctx


def clear_tables(ctx: AppContext) -> None:
    with ctx.engine.begin() as conn:
        for table in MY_TABLES:
            conn.execute(text(f"DELETE FROM {table}"))
