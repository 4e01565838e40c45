"""One checkpointer per database: SQLite beside the embedded database, PostgreSQL at scale."""

from __future__ import annotations

import sqlite3
import time
from pathlib import Path
from typing import Any

from langgraph.checkpoint.base import BaseCheckpointSaver
from langgraph.checkpoint.serde.jsonplus import JsonPlusSerializer

from graphs.state import STATE_ENUMS, STATE_TYPES

CHECKPOINT_SETUP_LOCK = 0x1A7E_C4EC  # pg_advisory_lock key held while creating checkpoint tables


def serializer() -> JsonPlusSerializer:
    """Revives our pydantic state types, and only those (no silent dicts, no arbitrary classes)."""
    return JsonPlusSerializer(allowed_msgpack_modules=[*STATE_TYPES, *STATE_ENUMS])


def checkpoint_path(database_url: str) -> str:
    """The SQLite checkpoint file that sits beside an embedded database."""
    path = database_url.removeprefix("sqlite:///")
    if path in ("", ":memory:", "sqlite://"):
        return ":memory:"
    p = Path(path)
    return str(p.with_name(p.stem + ".checkpoints" + (p.suffix or ".db")))


def make_checkpointer(database_url: str) -> BaseCheckpointSaver[Any]:
    """Open the checkpointer once per process; PostgreSQL gets a pool and an explicit setup()."""
    if database_url.startswith("sqlite"):
        from langgraph.checkpoint.sqlite import SqliteSaver

        conn = sqlite3.connect(checkpoint_path(database_url), check_same_thread=False, timeout=30)
        conn.execute("PRAGMA journal_mode=WAL")
        conn.execute("PRAGMA synchronous=NORMAL")  # as the database it sits beside
        saver = SqliteSaver(conn, serde=serializer())
        saver.setup()
        return saver
    from langgraph.checkpoint.postgres import PostgresSaver
    from psycopg.rows import dict_row
    from psycopg_pool import ConnectionPool

    dsn = database_url.replace("postgresql+psycopg://", "postgresql://")
    pool: ConnectionPool[Any] = ConnectionPool(
        dsn,
        min_size=1,
        max_size=8,
        open=True,
        kwargs={"autocommit": True, "prepare_threshold": 0, "row_factory": dict_row},
    )
    pg = PostgresSaver(pool, serde=serializer())
    with pool.connection() as conn:
        # Worker processes start together: setup()'s CREATE TABLE IF NOT EXISTS and its
        # migration rows race unless one process sets up at a time. The others poll instead
        # of waiting inside a statement: setup() builds an index CONCURRENTLY, which waits for
        # every open snapshot, including that of a session blocked on the lock (a deadlock
        # PostgreSQL cannot see).
        _poll_advisory_lock(conn, CHECKPOINT_SETUP_LOCK)
        try:
            pg.setup()
        finally:
            conn.execute("SELECT pg_advisory_unlock(%s)", (CHECKPOINT_SETUP_LOCK,))
    return pg


def _poll_advisory_lock(
    conn: Any, key: int, *, poll_s: float = 0.2, timeout_s: float = 300.0
) -> None:
    deadline = time.monotonic() + timeout_s
    while True:
        row = conn.execute("SELECT pg_try_advisory_lock(%s) AS taken", (key,)).fetchone()
        if row and row["taken"]:
            return
        if time.monotonic() > deadline:
            raise TimeoutError(f"advisory lock {key} still held after {timeout_s:.0f} s")
        time.sleep(poll_s)
