"""Row inserts without the ORM's unit of work, for hot paths that write a few known rows.

`insert_unless_present` is INSERT ... ON CONFLICT DO NOTHING on SQLite and PostgreSQL: no
savepoint, no flush, and a duplicate is an answer (False), not an error to recover from.
The objects passed in are left transient: the session does not track them.
"""

from __future__ import annotations

from collections.abc import Sequence
from functools import cache
from typing import Any

from sqlalchemy import Table, insert
from sqlalchemy import inspect as sa_inspect
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlmodel import Session, SQLModel


def insert_values(session: Session, model: type[SQLModel], rows: Sequence[dict[str, Any]]) -> None:
    """Insert rows of `model` given as column values (one executemany)."""
    if rows:
        session.execute(_insert(model), list(rows))


def insert_unless_present(session: Session, row: SQLModel, *conflict_columns: str) -> bool:
    """Insert `row`; False (and nothing written) when a row with the same values in the
    unique `conflict_columns` exists."""
    stmt = _insert_on_conflict(type(row), session.get_bind().dialect.name, conflict_columns)
    result: Any = session.execute(stmt, column_values(row))
    return bool(result.rowcount == 1)


def insert_values_unless_present(
    session: Session, model: type[SQLModel], rows: Sequence[dict[str, Any]], *conflict_columns: str
) -> None:
    """Insert rows of `model` given as column values, skipping those that conflict on
    `conflict_columns` (which went in is for the caller to look up: drivers do not say)."""
    if rows:
        stmt = _insert_on_conflict(model, session.get_bind().dialect.name, conflict_columns)
        session.execute(stmt, list(rows))


# Statements are built once and values passed as parameters. SQLAlchemy caches the compiled
# plain insert; an ON CONFLICT insert is compiled on each execution (it has no cache key).
@cache
def _insert(model: type[SQLModel]) -> Any:
    return insert(_table(model))


@cache
def _insert_on_conflict(model: type[SQLModel], dialect: str, columns: tuple[str, ...]) -> Any:
    if dialect == "sqlite":
        stmt: Any = sqlite_insert(_table(model))
    elif dialect == "postgresql":
        stmt = pg_insert(_table(model))
    else:  # pragma: no cover - the two supported databases are above
        raise NotImplementedError(f"no ON CONFLICT insert for {dialect}")
    return stmt.on_conflict_do_nothing(index_elements=list(columns))


def column_values(row: SQLModel) -> dict[str, Any]:
    """Column name -> value for every mapped column (attribute and column names may differ)."""
    return {column: getattr(row, attribute) for attribute, column in _columns(type(row))}


@cache
def _columns(model: type[SQLModel]) -> tuple[tuple[str, str], ...]:
    mapper: Any = sa_inspect(model)
    return tuple((prop.key, prop.columns[0].key) for prop in mapper.column_attrs)


def _table(model: type[SQLModel]) -> Table:
    table: Table = model.__table__  # type: ignore[attr-defined]
    return table
