"""Fixtures for the reviewer UI: a seeded database (built once per session), a client, logins."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from app.core.context import AppContext
from app.main import create_app
from tests.support import in_memory_tracing, migrated_context, sqlite_url
from tests.ui.seed import PASSWORD, Seeded, copy_seeded, seed

TOKEN = re.compile(r'name="csrf_token" value="([^"]+)"')


@pytest.fixture(scope="session")
def seeded(tmp_path_factory: pytest.TempPathFactory) -> Seeded:
    return seed(tmp_path_factory.mktemp("ui-seed"))


@pytest.fixture
def ui_ctx(seeded: Seeded, tmp_path: Path) -> Iterator[AppContext]:
    """A private copy of the seeded database."""
    directory = copy_seeded(seeded, tmp_path)
    provider, _ = in_memory_tracing()
    ctx = migrated_context(
        sqlite_url(directory), demo=False, provider=provider, data_dir=directory / "data"
    )
    yield ctx
    ctx.engine.dispose()


@pytest.fixture
def client(ui_ctx: AppContext) -> Iterator[TestClient]:
    app = create_app(context=ui_ctx, migrate=False, start_worker=False)
    with TestClient(app, base_url="https://testserver", follow_redirects=False) as c:
        yield c


def csrf_of(html: str) -> str:
    found = TOKEN.search(html)
    assert found, "the page has no CSRF field"
    return found.group(1)


def login(client: TestClient, username: str = "rita", password: str = PASSWORD) -> str:
    """Log in through the form; returns the session's CSRF token."""
    page = client.get("/login")
    response = client.post(
        "/login",
        data={
            "username": username,
            "password": password,
            "csrf_token": csrf_of(page.text),
            "next": "/",
        },
    )
    assert response.status_code == 303, response.text
    return csrf_of(client.get("/queues").text)
