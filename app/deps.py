"""FastAPI dependency aliases, shared by every router."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Annotated

from fastapi import Depends, Request
from psycopg_pool import PoolTimeout
from sqlalchemy.exc import DBAPIError, InterfaceError, OperationalError
from sqlmodel import Session

from app.core.config import Settings
from app.core.context import AppContext
from app.core.errors import Unavailable


def get_context(request: Request) -> AppContext:
    ctx: AppContext = request.app.state.context
    return ctx


def get_session(request: Request) -> Iterator[Session]:
    """The request's one unit of work: commits when the handler returns, rolls back on error.

    A database that is down, locked or out of connections answers 503 "unavailable" (clients
    and mail providers retry) instead of 500, including when the commit itself fails.
    """
    ctx = get_context(request)
    try:
        with Session(ctx.engine, expire_on_commit=False) as session:
            try:
                yield session
                session.commit()
            except BaseException:
                session.rollback()
                raise
    except (OperationalError, InterfaceError, PoolTimeout) as exc:
        raise Unavailable("the database is unavailable; retry later") from exc
    except DBAPIError as exc:
        if exc.connection_invalidated:
            raise Unavailable("the database connection was lost; retry later") from exc
        raise


def get_settings_dep(request: Request) -> Settings:
    return get_context(request).settings


ContextDep = Annotated[AppContext, Depends(get_context)]
SessionDep = Annotated[Session, Depends(get_session)]
SettingsDep = Annotated[Settings, Depends(get_settings_dep)]
