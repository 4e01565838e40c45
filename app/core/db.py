"""Engine, sessions and migrations for SQLite (embedded) and PostgreSQL (scale-out)."""

from __future__ import annotations

import time
from collections.abc import Iterator
from contextlib import contextmanager
from decimal import Decimal
from importlib import resources
from pathlib import Path
from typing import Any

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import String, TypeDecorator, event
from sqlalchemy.engine import Dialect, Engine
from sqlalchemy.pool import StaticPool
from sqlmodel import Session, create_engine

from app.core.config import Settings


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


def make_engine(url: str, *, echo: bool = False) -> Engine:
    """An engine with the settings each backend needs for concurrent workers."""
    kwargs: dict[str, Any] = {"echo": echo}
    if url.startswith("sqlite"):
        kwargs["connect_args"] = {"check_same_thread": False, "timeout": 30}
        if url in ("sqlite://", "sqlite:///:memory:"):
            kwargs["poolclass"] = StaticPool
        else:
            path = url.removeprefix("sqlite:///")
            Path(path).parent.mkdir(parents=True, exist_ok=True)
    else:
        kwargs.update(pool_pre_ping=True, pool_size=10, max_overflow=10)
    engine = create_engine(url, **kwargs)
    if url.startswith("sqlite"):
        event.listen(engine, "connect", _sqlite_pragmas)
        event.listen(engine, "begin", _sqlite_begin_immediate)
    return engine


def _sqlite_pragmas(dbapi_conn: Any, _: Any) -> None:
    dbapi_conn.isolation_level = None  # we issue BEGIN ourselves (see _sqlite_begin_immediate)
    cur = dbapi_conn.cursor()
    cur.execute("PRAGMA journal_mode=WAL")
    cur.execute("PRAGMA synchronous=NORMAL")
    cur.execute("PRAGMA foreign_keys=ON")
    cur.execute("PRAGMA busy_timeout=30000")
    cur.close()


def _sqlite_begin_immediate(conn: Any) -> None:
    # Take the write lock at BEGIN so two writers queue instead of failing on upgrade.
    conn.exec_driver_sql("BEGIN IMMEDIATE")


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


def alembic_config(url: str) -> Config:
    script_location = str(resources.files("app") / "migrations")
    cfg = Config()
    cfg.set_main_option("script_location", script_location)
    cfg.set_main_option("sqlalchemy.url", url.replace("%", "%%"))
    return cfg


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
