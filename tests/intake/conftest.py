from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

from app.core.context import AppContext
from app.main import create_app
from tests.jobs.databases import (
    clear_tables,
    make_context,
    postgres_schema,
    settings_for,
    sqlite_url,
)

ClientFactory = Callable[..., TestClient]


@pytest.fixture
def make_client(tmp_path: Path) -> Iterator[ClientFactory]:
    """Builds the app on a fresh SQLite file with the given setting overrides."""
    yield from _client_factory(sqlite_url(tmp_path), clear=False)


@pytest.fixture
def make_pg_client(pg_url: str) -> Iterator[ClientFactory]:
    """Builds the app on the shared PostgreSQL schema, emptied first."""
    yield from _client_factory(pg_url, clear=True)


def _client_factory(url: str, *, clear: bool) -> Iterator[ClientFactory]:
    opened: list[tuple[TestClient, AppContext]] = []

    def factory(**overrides: Any) -> TestClient:
        settings = settings_for(url, **overrides)
        ctx = make_context(settings)
        if clear:
            clear_tables(ctx)
        client = TestClient(create_app(settings, context=ctx, migrate=False, start_worker=False))
        client.__enter__()
        opened.append((client, ctx))
        return client

    yield factory
    for client, ctx in opened:
        client.__exit__(None, None, None)
        ctx.engine.dispose()


@pytest.fixture
def client(make_client: ClientFactory) -> TestClient:
    return make_client()


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


@pytest.fixture
def ctx(tmp_path: Path) -> Iterator[AppContext]:
    context = make_context(settings_for(sqlite_url(tmp_path)))
    yield context
    context.engine.dispose()
