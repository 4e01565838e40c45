"""Contexts on databases built by the real migrations, as the service builds them."""

from __future__ import annotations

from typing import Any

from opentelemetry.sdk.trace import TracerProvider
from sqlalchemy import text

import app.models  # noqa: F401  (registers the tables)
from app.core.config import Settings
from app.core.context import AppContext
from app.core.db import upgrade
from tests.support import postgres_schema, sqlite_url, test_settings

__all__ = ["clear_tables", "make_context", "postgres_schema", "settings_for", "sqlite_url"]

MY_TABLES = ("raw_messages", "inbound_messages", "mailgun_tokens_seen", "jobs")


def settings_for(url: str, **overrides: Any) -> Settings:
    return test_settings(url, log_level="WARNING", **overrides)


def make_context(settings: Settings, provider: TracerProvider | None = None) -> AppContext:
    upgrade(settings.database_url)
    return AppContext.create(settings, tracer_provider=provider or TracerProvider())


def clear_tables(ctx: AppContext) -> None:
    with ctx.engine.begin() as conn:
        if ctx.engine.dialect.name == "postgresql":  # jobs there are procrastinate's
            conn.execute(text("DELETE FROM procrastinate_events"))
            conn.execute(text("DELETE FROM procrastinate_jobs"))
        for table in MY_TABLES:
            conn.execute(text(f"DELETE FROM {table}"))
