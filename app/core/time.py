"""UTC time, in one place so tests can reason about it."""

from __future__ import annotations

from datetime import UTC, datetime
from uuid import uuid4


def utcnow() -> datetime:
    return datetime.now(UTC)


def new_id(prefix: str) -> str:
    """A sortable-enough unique id with a readable prefix, e.g. `dr_4f1c...`."""
    return f"{prefix}_{uuid4().hex}"
