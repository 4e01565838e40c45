"""SQLite writers of one process take turns in arrival order, and every way out returns the turn."""

from __future__ import annotations

import multiprocessing
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import text
from sqlalchemy.engine import Engine

from app.core.db import FairLock, make_engine
from tests.support import errors_in_threads


@pytest.fixture
def engine(tmp_path: Path) -> Iterator[Engine]:
    engine = make_engine(f"sqlite:///{tmp_path / 'turns.db'}")
    with engine.begin() as conn:
        conn.execute(text("CREATE TABLE t (n INTEGER)"))
    yield engine
    engine.dispose()


def test_waiters_are_served_in_arrival_order() -> None:
    lock = FairLock()
    assert lock.acquire(1)
    order: list[int] = []

    def waiter(n: int) -> None:
        assert lock.acquire(5)
        order.append(n)
        lock.release()

    threads = []
    for n in range(5):
        t = threading.Thread(target=waiter, args=(n,))
        t.start()
        threads.append(t)
        time.sleep(0.05)  # each is queued before the next arrives
    lock.release()
    for t in threads:
        t.join(5)
    assert order == [0, 1, 2, 3, 4]


def test_a_waiter_that_times_out_leaves_the_queue() -> None:
    lock = FairLock()
    assert lock.acquire(1)
    assert not lock.acquire(0.05)
    lock.release()
    assert lock.acquire(0.05)  # free again: the timed-out waiter was not handed the lock


def test_the_turn_may_be_returned_by_another_thread() -> None:
    lock = FairLock()
    assert lock.acquire(1)
    threading.Thread(target=lock.release).start()
    assert lock.acquire(5)


def test_commit_rollback_and_a_dropped_connection_each_return_the_turn(engine: Engine) -> None:
    with engine.begin() as conn:
        conn.execute(text("INSERT INTO t VALUES (1)"))
    with pytest.raises(RuntimeError), engine.begin() as conn:
        conn.execute(text("INSERT INTO t VALUES (2)"))
        raise RuntimeError("rolled back")
    conn = engine.connect()
    conn.begin()
    conn.execute(text("INSERT INTO t VALUES (3)"))
    conn.invalidate()  # as if the connection broke mid-transaction
    conn.rollback()
    conn.close()
    done = threading.Event()

    def writer() -> None:
        with engine.begin() as c:
            c.execute(text("INSERT INTO t VALUES (4)"))
        done.set()

    threading.Thread(target=writer).start()
    assert done.wait(5)
    with engine.connect() as c:
        assert sorted(r[0] for r in c.execute(text("SELECT n FROM t"))) == [1, 4]


def test_concurrent_writers_of_one_process_never_see_database_is_locked(engine: Engine) -> None:
    def write(n: int) -> None:
        for i in range(20):
            with engine.begin() as c:
                c.execute(text("SELECT count(*) FROM t")).scalar()
                c.execute(text("INSERT INTO t VALUES (:n)"), {"n": n * 100 + i})

    assert errors_in_threads(write, 16) == []
    with engine.connect() as c:
        assert c.execute(text("SELECT count(*) FROM t")).scalar() == 320


def _write_from_another_process(url: str, n: int, errors: Any) -> None:
    engine = make_engine(url)
    try:
        for i in range(40):
            with engine.begin() as c:
                c.execute(text("SELECT count(*) FROM t")).scalar()
                c.execute(text("INSERT INTO t VALUES (:n)"), {"n": n * 1000 + i})
    except BaseException as exc:
        errors.put(repr(exc))
    finally:
        engine.dispose()


def test_processes_take_turns_through_the_file_beside_the_database(
    engine: Engine, tmp_path: Path
) -> None:
    url = str(engine.url)
    context = multiprocessing.get_context("spawn")
    errors = context.Queue()
    procs = [
        context.Process(target=_write_from_another_process, args=(url, n, errors)) for n in range(3)
    ]
    for p in procs:
        p.start()
    for p in procs:
        p.join(120)
    assert errors.empty(), errors.get()
    assert (tmp_path / "turns.db-turn").exists()
    with engine.connect() as c:
        assert c.execute(text("SELECT count(*) FROM t")).scalar() == 120
