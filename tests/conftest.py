"""Fixtures every test folder can use."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest
from hypothesis import settings

from app.core.context import AppContext
from tests.support import in_memory_tracing, migrated_context, postgres_schema, sqlite_url

# The local OpenAI-compatible server (fixture `openai_server`) for every test that needs it.
pytest_plugins = ("tests.fakes.openai_server",)

# On CI, property and fuzz tests run a fixed set of examples, so a landing is decided by the
# code alone; locally they keep exploring new inputs (and remember failures).
settings.register_profile("ci", derandomize=True, database=None, print_blob=True)
if os.environ.get("CI"):
    settings.load_profile("ci")


@pytest.fixture
def demo_ctx(tmp_path: Path) -> Iterator[AppContext]:
    """A migrated SQLite database in tmp_path with the demo company loaded."""
    provider, exporter = in_memory_tracing()
    ctx = migrated_context(sqlite_url(tmp_path), provider=provider, data_dir=tmp_path / "data")
    ctx.extras["spans"] = exporter
    yield ctx
    ctx.engine.dispose()


@pytest.fixture
def pg_demo_ctx() -> Iterator[AppContext]:
    """The same on a fresh PostgreSQL schema; skipped with a reason without PostgreSQL."""
    with postgres_schema() as url:
        provider, exporter = in_memory_tracing()
        ctx = migrated_context(url, provider=provider)
        ctx.extras["spans"] = exporter
        yield ctx
        ctx.engine.dispose()
