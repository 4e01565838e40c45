from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from app.core.context import AppContext

from .databases import clear_tables, make_context, postgres_schema, settings_for, sqlite_url


@pytest.fixture
def ctx(tmp_path: Path) -> Iterator[AppContext]:
    """An AppContext on a SQLite file with every table created."""
    context = make_context(settings_for(sqlite_url(tmp_path)))
    yield context
    context.engine.dispose()


@pytest.fixture(scope="session")
def pg_url() -> Iterator[str]:
    with postgres_schema() as url:
        yield url


@pytest.fixture
def pg_ctx(pg_url: str) -> Iterator[AppContext]:
    context = make_context(settings_for(pg_url))
    clear_tables(context)
    yield context
    context.engine.dispose()
