from __future__ import annotations

from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient

from app.core.context import AppContext

from .factory import client


@pytest.fixture
def api(demo_ctx: AppContext) -> Iterator[TestClient]:
    with client(demo_ctx) as test_client:
        yield test_client
