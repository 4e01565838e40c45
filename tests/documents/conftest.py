"""Shared fixtures for document parsing tests."""

from __future__ import annotations

from pathlib import Path

import pytest

_CANDIDATES = (
    Path(__file__).resolve().parents[3] / "shared" / "realdata",
    Path("/work/shared/realdata"),
)


@pytest.fixture(scope="session")
def realdata() -> Path:
    """The shared folder of real purchase orders; tests using it skip when it is absent."""
    for candidate in _CANDIDATES:
        if candidate.is_dir():
            return candidate
    pytest.skip("shared realdata folder is not available")
