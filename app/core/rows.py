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
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.sql.dml import Insert
from sqlmodel import Session, SQLModel


def insert_values(session: Session, model: type[SQLModel], rows: Sequence[dict[str, Any]]) -> None:
    """Insert rows of `model` given as column values (one executemany)."""
    if rows:
        session.execute(_insert(model), list(rows))


def insert_unless_present(session: Session, row: SQLModel, *conflict_columns: str) -> bool:
    """Insert `row`; False (and nothing written) when a row with the same values in the
    unique `conflict_columns` exists."""
    statement = _insert_skipping(type(row), conflict_columns)
    # An INSERT's rowcount is read from the cursor after it closes unless asked to be kept,
    # and psycopg reports -1 by then: without this every row looked like a duplicate.
    result: Any = session.execute(
        statement, column_values(row), execution_options={"preserve_rowcount": True}
    )
    return bool(result.rowcount == 1)


def insert_values_unless_present(
    session: Session, model: type[SQLModel], rows: Sequence[dict[str, Any]], *conflict_columns: str
) -> None:
    """Insert rows of `model` given as column values, skipping those that conflict on
    `conflict_columns` (which went in is for the caller to look up: drivers do not say)."""
    if rows:
        session.execute(_insert_skipping(model, conflict_columns), list(rows))


class InsertSkippingConflicts(Insert):
    """INSERT ... ON CONFLICT (columns) DO NOTHING, in the syntax SQLite and PostgreSQL share.

    The dialects' own on_conflict_do_nothing() has no cache key, so SQLAlchemy compiles it on
    every execution; this one is cached like a plain insert. The conflict columns are part of
    the class (one subclass per model and columns) and so of the cache key.
    """

    inherit_cache = True
    conflict_columns: tuple[str, ...] = ()


@compiles(InsertSkippingConflicts)
def _compile_insert_skipping(element: InsertSkippingConflicts, compiler: Any, **kw: Any) -> str:
    insert_sql: str = compiler.visit_insert(element, **kw)
    return f"{insert_sql} ON CONFLICT ({', '.join(element.conflict_columns)}) DO NOTHING"


# Statements are built once and values passed as parameters, so each compiles once.
@cache
def _insert(model: type[SQLModel]) -> Any:
    return insert(_table(model))


@cache
def _insert_skipping(model: type[SQLModel], columns: tuple[str, ...]) -> Any:
    statement = type(
        f"InsertSkippingConflicts_{_table(model).name}",
        (InsertSkippingConflicts,),
        {"inherit_cache": True, "conflict_columns": columns},
    )
    return statement(_table(model))


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
