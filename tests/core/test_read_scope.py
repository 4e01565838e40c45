"""read_scope on SQLite: reads a snapshot without waiting for writers; never writes."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import text
from sqlalchemy.engine import Engine
from sqlalchemy.exc import OperationalError

from app.core.db import make_engine, read_scope, session_scope
from tests.support import errors_in_threads


@pytest.fixture(params=["file", "memory"])
def engine(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Engine]:
    url = f"sqlite:///{tmp_path / 'reads.db'}" if request.param == "file" else "sqlite://"
    engine = make_engine(url)
    with engine.begin() as conn:
        conn.execute(text("CREATE TABLE t (n INTEGER)"))
        conn.execute(text("INSERT INTO t VALUES (1)"))
    yield engine
    engine.dispose()


def _count(engine: Engine) -> int:
    with read_scope(engine) as session:
        return int(session.execute(text("SELECT count(*) FROM t")).scalar_one())


def test_a_read_does_not_wait_for_a_writer_mid_transaction(tmp_path: Path) -> None:
    engine = make_engine(f"sqlite:///{tmp_path / 'reads.db'}", write_wait_s=2)
    with engine.begin() as conn:
        conn.execute(text("CREATE TABLE t (n INTEGER)"))
        conn.execute(text("INSERT INTO t VALUES (1)"))
    writing, release = threading.Event(), threading.Event()

    def writer() -> None:
        with session_scope(engine) as session:
            session.execute(text("INSERT INTO t VALUES (2)"))
            writing.set()
            release.wait(10)

    thread = threading.Thread(target=writer)
    thread.start()
    try:
        assert writing.wait(5)
        assert _count(engine) == 1  # the committed snapshot, without the turn the writer holds
    finally:
        release.set()
        thread.join(10)
    assert _count(engine) == 2
    engine.dispose()


def test_a_write_in_a_read_scope_fails_and_the_connection_writes_again_after(
    engine: Engine,
) -> None:
    with pytest.raises(OperationalError, match="readonly"), read_scope(engine) as session:
        session.execute(text("INSERT INTO t VALUES (9)"))
    with session_scope(engine) as session:  # the pool's connection, query_only lifted
        session.execute(text("INSERT INTO t VALUES (2)"))
    assert _count(engine) == 2


def test_reads_and_writes_from_many_threads_interleave_safely(engine: Engine) -> None:
    def work(n: int) -> None:
        for i in range(15):
            if (n + i) % 2:
                _count(engine)
            else:
                with session_scope(engine) as session:
                    session.execute(text("INSERT INTO t VALUES (:n)"), {"n": n})

    assert errors_in_threads(work, 8) == []
    assert _count(engine) == 1 + 60
