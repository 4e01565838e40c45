"""Contexts and runners shared by the security tests."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from app.core.context import AppContext
from app.core.db import session_scope
from app.extraction.base import Extractor
from app.intake.service import store_inbound
from app.intake.tables import MessageSource
from app.pipeline import GraphRunner
from app.routing.policy import default_policy
from graphs.state import OrderState
from tests.support import in_memory_tracing, migrated_context, sqlite_url

ContextFactory = Callable[..., AppContext]


@pytest.fixture
def make_ctx(tmp_path: Path) -> Iterator[ContextFactory]:
    """Demo-loaded SQLite contexts with setting overrides (parse limits, LLM settings...)."""
    made: list[AppContext] = []

    def factory(**overrides: Any) -> AppContext:
        provider, exporter = in_memory_tracing()
        directory = tmp_path / f"db{len(made)}"
        directory.mkdir()
        ctx = migrated_context(
            sqlite_url(directory), provider=provider, data_dir=directory / "data", **overrides
        )
        ctx.extras["spans"] = exporter
        made.append(ctx)
        return ctx

    yield factory
    for ctx in made:
        ctx.engine.dispose()


def store(ctx: AppContext, raw: bytes) -> str:
    """Store a message as the intake does (and queue its job); its id."""
    with session_scope(ctx.engine) as session:
        message, _ = store_inbound(session, raw=raw, source=MessageSource.CLI)
        return message.id


def process(ctx: AppContext, raw: bytes, extractor: Extractor) -> OrderState:
    """Store and run one message through the real graph with `extractor`."""
    runner = GraphRunner(ctx=ctx, extractor=extractor, policy=default_policy())
    return runner.process(store(ctx, raw))


def admin_headers(ctx: AppContext) -> dict[str, str]:
    """A bearer header of a fresh admin API token."""
    from app.auth.service import issue_token
    from app.auth.tables import Role

    with session_scope(ctx.engine) as session:
        token = issue_token(session, name=f"admin-{len(ctx.extras)}", role=Role.ADMIN)
    return {"Authorization": f"Bearer {token}"}
