"""Engine, sessions and migrations for SQLite (embedded) and PostgreSQL (scale-out)."""

from __future__ import annotations

import fcntl
import os
import sqlite3
import threading
import time
import uuid
from collections import deque
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from decimal import Decimal
from importlib import resources
from pathlib import Path
from typing import Any
from urllib.parse import quote

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from psycopg_pool import PoolTimeout
from sqlalchemy import String, TypeDecorator, event, text
from sqlalchemy.engine import Dialect, Engine
from sqlalchemy.exc import DBAPIError, InterfaceError, OperationalError
from sqlalchemy.pool import StaticPool
from sqlmodel import Session, create_engine

from app.core.config import Settings
from app.core.errors import Unavailable


class DecimalText(TypeDecorator[Decimal]):
    """Exact decimals on every database: stored as their canonical text."""

    impl = String(40)
    cache_ok = True

    def process_bind_param(self, value: Decimal | None, dialect: Dialect) -> str | None:
        return None if value is None else format_decimal(Decimal(value))

    def process_result_value(self, value: str | None, dialect: Dialect) -> Decimal | None:
        return None if value is None else Decimal(value)


def format_decimal(value: Decimal) -> str:
    """Canonical text of a decimal: no exponent, no trailing zeros ("12.5", "3", "0.0042")."""
    if value == 0:
        return "0"
    text = format(value.normalize(), "f")
    return text


SQLITE_BUSY_TIMEOUT_S = 30


def make_engine(
    url: str, *, echo: bool = False, write_wait_s: float = SQLITE_BUSY_TIMEOUT_S
) -> Engine:
    """An engine with the settings each backend needs for concurrent workers.

    SQLite: a transaction waits at most `write_wait_s` for its write turn, then fails with
    "database is locked" (503 on HTTP)."""
    kwargs: dict[str, Any] = {"echo": echo}
    turn_file: Path | None = None
    if url.startswith("sqlite"):
        kwargs["connect_args"] = {"check_same_thread": False, "timeout": SQLITE_BUSY_TIMEOUT_S}
        if url in ("sqlite://", "sqlite:///:memory:"):
            kwargs["poolclass"] = StaticPool
        else:
            path = Path(url.removeprefix("sqlite:///"))
            path.parent.mkdir(parents=True, exist_ok=True)
            turn_file = path.with_name(path.name + "-turn")
    else:
        kwargs.update(pool_pre_ping=True, pool_size=10, max_overflow=10)
    engine = create_engine(url, **kwargs)
    if url.startswith("sqlite"):
        event.listen(engine, "connect", _sqlite_pragmas)
        WriterTurns(write_wait_s, turn_file).install(engine)
    return engine


def _sqlite_pragmas(dbapi_conn: Any, _: Any) -> None:
    dbapi_conn.isolation_level = None  # we issue BEGIN ourselves (see _sqlite_begin_immediate)
    cur = dbapi_conn.cursor()
    cur.execute("PRAGMA journal_mode=WAL")
    cur.execute("PRAGMA synchronous=NORMAL")
    cur.execute("PRAGMA foreign_keys=ON")
    cur.execute(f"PRAGMA busy_timeout={SQLITE_BUSY_TIMEOUT_S * 1000}")
    cur.close()


class FairLock:
    """A lock granted in arrival order, handed straight to the next waiter on release.

    Unlike threading.Lock it may be released by another thread than the one that took it
    (a request's session can begin in one worker thread and commit in another).
    """

    def __init__(self) -> None:
        self._mutex = threading.Lock()
        self._waiters: deque[threading.Event] = deque()
        self._held = False

    def acquire(self, timeout: float) -> bool:
        with self._mutex:
            if not self._held:
                self._held = True
                return True
            turn = threading.Event()
            self._waiters.append(turn)
        if turn.wait(timeout):
            return True
        with self._mutex:
            if turn.is_set():  # handed over as the wait timed out
                return True
            self._waiters.remove(turn)
            return False

    def release(self) -> None:
        with self._mutex:
            if self._waiters:
                self._waiters.popleft().set()  # stays held: ownership passes on
            else:
                self._held = False


class FileTurn:
    """The writer turn between processes: an flock on a file beside the database.

    Polled without blocking (a blocking flock cannot time out), every 0.5 to 2 ms: a process
    waiting for another one's short transaction gets the turn within a couple of ms, where
    SQLite's busy handler would sleep up to 100 ms between tries.
    """

    def __init__(self, path: Path) -> None:
        self.path = path
        self._fd: int | None = None

    def acquire(self, timeout_s: float) -> bool:
        if self._fd is None:
            self._fd = os.open(self.path, os.O_RDWR | os.O_CREAT, 0o600)
        deadline = time.monotonic() + timeout_s
        pause = 0.0005
        while True:
            try:
                fcntl.flock(self._fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                return True
            except BlockingIOError:
                if time.monotonic() > deadline:
                    return False
                time.sleep(pause)
                pause = min(pause * 2, 0.002)

    def release(self) -> None:
        if self._fd is not None:
            fcntl.flock(self._fd, fcntl.LOCK_UN)


class WriterTurns:
    """SQLite: one transaction at a time, taken in arrival order within a process and
    promptly between processes.

    Every transaction begins with BEGIN IMMEDIATE (the write lock up front, so a reader never
    fails upgrading to a writer). Left to SQLite, threads waiting for that lock poll it with
    sleeps of up to 100 ms and the latest arrival may win; under tens of concurrent requests
    that is a convoy with second-long tails. Here threads of one process queue on a FairLock,
    the process then takes the FileTurn (when the database is a file), and only then BEGIN;
    COMMIT/ROLLBACK run before the turn passes on, so the next writer finds the database free.
    Other programs opening the file still meet SQLite's busy timeout.
    """

    INFO_KEY = "holds_writer_turn"
    READING_KEY = "reads_only"

    def __init__(self, timeout_s: float, turn_file: Path | None = None) -> None:
        self.timeout_s = timeout_s
        self.lock = FairLock()
        self.file_turn = FileTurn(turn_file) if turn_file is not None else None

    def install(self, engine: Engine) -> None:
        event.listen(engine, "begin", self._begin)
        event.listen(engine, "commit", self._commit)
        event.listen(engine, "rollback", self._rollback)
        event.listen(engine.pool, "checkin", self._return_of_record)
        event.listen(engine.pool, "invalidate", self._return_of_record)
        event.listen(engine.pool, "soft_invalidate", self._return_of_record)

    def _begin(self, conn: Any) -> None:
        if conn.get_execution_options().get(READ_ONLY_OPTION):
            self._begin_reading(conn)
            return
        self._begin_writing(conn)

    def _begin_reading(self, conn: Any) -> None:
        """A read-only transaction (read_scope): in a database file, a WAL snapshot that needs
        no write lock and so no turn; in memory, where every thread shares one connection,
        it queues like a writer. Writing fails either way (query_only)."""
        if self.file_turn is None:
            self._begin_writing(conn)
        else:
            conn.exec_driver_sql("BEGIN")
        conn.info[self.READING_KEY] = True
        conn.exec_driver_sql("PRAGMA query_only = ON")

    def _begin_writing(self, conn: Any) -> None:
        if not self.lock.acquire(self.timeout_s):
            raise _no_turn(self.timeout_s)
        if self.file_turn is not None and not self.file_turn.acquire(self.timeout_s):
            self.lock.release()
            raise _no_turn(self.timeout_s)
        conn.info[self.INFO_KEY] = True
        try:
            conn.exec_driver_sql("BEGIN IMMEDIATE")
        except BaseException:
            self._give_back(conn.info)
            raise

    def _commit(self, conn: Any) -> None:
        dbapi_conn = conn.connection.dbapi_connection
        if dbapi_conn is not None and dbapi_conn.in_transaction:
            dbapi_conn.execute("COMMIT")  # the driver's own commit() then finds nothing to do
        self._writable_again(dbapi_conn, conn.info)
        self._give_back(conn.info)

    def _rollback(self, conn: Any) -> None:
        if conn.invalidated:  # the pool's invalidate event gave the turn back
            return
        dbapi_conn = None
        try:
            dbapi_conn = conn.connection.dbapi_connection
            if dbapi_conn is not None and dbapi_conn.in_transaction:
                dbapi_conn.execute("ROLLBACK")
        finally:
            self._writable_again(dbapi_conn, conn.info)
            self._give_back(conn.info)

    def _return_of_record(self, dbapi_conn: Any, record: Any, *_: Any) -> None:
        # A connection returned mid-transaction (the pool rolls it back) or invalidated.
        if record is not None:
            self._writable_again(dbapi_conn, record.info)
            self._give_back(record.info)

    def _writable_again(self, dbapi_conn: Any, info: dict[str, Any]) -> None:
        """Lift a read-only transaction's query_only, so the pooled connection can write."""
        if info.pop(self.READING_KEY, False) and dbapi_conn is not None:
            with suppress(sqlite3.Error):  # closed or invalidated: it will not be used again
                dbapi_conn.execute("PRAGMA query_only = OFF")

    def _give_back(self, info: dict[str, Any]) -> None:
        if info.pop(self.INFO_KEY, False):
            if self.file_turn is not None:
                self.file_turn.release()
            self.lock.release()


def _no_turn(timeout_s: float) -> sqlite3.OperationalError:
    return sqlite3.OperationalError(f"database is locked (no write turn within {timeout_s:.0f} s)")


@contextmanager
def session_scope(engine: Engine) -> Iterator[Session]:
    """A unit of work: commits on success, rolls back on any error."""
    with Session(engine, expire_on_commit=False) as session:
        try:
            yield session
            session.commit()
        except BaseException:
            session.rollback()
            raise


READ_ONLY_OPTION = "intake_read_only"


@contextmanager
def read_scope(engine: Engine) -> Iterator[Session]:
    """A unit of work that only reads. On an SQLite file it reads a snapshot without waiting
    for the writer turn (and any write in it fails); on PostgreSQL it is a plain session."""
    with session_scope(engine) as session:
        session.connection(execution_options={READ_ONLY_OPTION: True})  # begins read-only
        yield session


@contextmanager
def unavailable_on_database_errors() -> Iterator[None]:
    """A database that is down, locked or out of connections raises Unavailable (HTTP 503:
    clients and mail providers retry) instead of an internal error."""
    try:
        yield
    except (OperationalError, InterfaceError, PoolTimeout) as exc:
        raise Unavailable("the database is unavailable; retry later") from exc
    except DBAPIError as exc:
        if exc.connection_invalidated:
            raise Unavailable("the database connection was lost; retry later") from exc
        raise


def alembic_config(url: str) -> Config:
    script_location = str(resources.files("app") / "migrations")
    cfg = Config()
    cfg.set_main_option("script_location", script_location)
    cfg.set_main_option("sqlalchemy.url", url.replace("%", "%%"))
    return cfg


@contextmanager
def temporary_schema(base_url: str, *, prefix: str) -> Iterator[str]:
    """A PostgreSQL URL whose connections use a new schema, dropped afterwards."""
    schema = f"{prefix}{uuid.uuid4().hex[:12]}"
    admin = create_engine(base_url, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'CREATE SCHEMA "{schema}"'))
    sep = "&" if "?" in base_url else "?"
    try:
        yield f"{base_url}{sep}options={quote(f'-csearch_path={schema}')}"
    finally:
        with admin.connect() as conn:
            conn.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
        admin.dispose()


MIGRATION_LOCK = 7351002  # PostgreSQL advisory lock: one process migrates at a time


def upgrade(url: str, revision: str = "head") -> None:
    """Apply migrations up to `revision`; on PostgreSQL one process at a time."""
    if not url.startswith("postgresql"):
        command.upgrade(alembic_config(url), revision)
        return
    engine = make_engine(url)
    try:
        with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
            _poll_advisory_lock(conn, MIGRATION_LOCK)
            try:
                command.upgrade(alembic_config(url), revision)
            finally:
                conn.exec_driver_sql(f"SELECT pg_advisory_unlock({MIGRATION_LOCK})")
    finally:
        engine.dispose()


def _poll_advisory_lock(
    conn: Any, key: int, *, poll_s: float = 0.2, timeout_s: float = 300.0
) -> None:
    """Take a session advisory lock without waiting inside a statement (see graphs.checkpoint)."""
    deadline = time.monotonic() + timeout_s
    while not conn.exec_driver_sql(f"SELECT pg_try_advisory_lock({key})").scalar():
        if time.monotonic() > deadline:
            raise TimeoutError(f"advisory lock {key} still held after {timeout_s:.0f} s")
        time.sleep(poll_s)


def migrations_current(engine: Engine) -> bool:
    """True when the database is at the newest migration."""
    script = ScriptDirectory.from_config(alembic_config(str(engine.url)))
    with engine.connect() as conn:
        current = MigrationContext.configure(conn).get_current_heads()
    return set(current) == set(script.get_heads())


def engine_for(settings: Settings) -> Engine:
    return make_engine(settings.database_url)
