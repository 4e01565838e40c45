"""FastAPI dependency aliases, shared by every router."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from functools import partial
from typing import Annotated, Concatenate, ParamSpec, TypeVar

import anyio.to_thread
from fastapi import Depends, Request
from sqlalchemy.engine import Engine
from sqlmodel import Session

from app.core.config import Settings
from app.core.context import AppContext
from app.core.db import read_scope, session_scope, unavailable_on_database_errors

P = ParamSpec("P")
T = TypeVar("T")


def context_of(request: Request) -> AppContext:
    ctx: AppContext = request.app.state.context
    return ctx


# Dependencies that only read app state are async: a sync one costs a worker-thread hop.
async def get_context(request: Request) -> AppContext:
    return context_of(request)


READ_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})


def get_session(request: Request) -> Iterator[Session]:
    """The request's one unit of work: commits when the handler returns, rolls back on error,
    503 when the database is unavailable (including when the commit itself fails). A GET,
    HEAD or OPTIONS request only reads: on SQLite it reads a snapshot without waiting for the
    writer turn, and a write in it fails.

    The commit runs after the response is validated, which for a sync endpoint needs a free
    worker thread. Routes that many clients hit at once use UnitOfWork instead.
    """
    scope = read_scope if request.method in READ_METHODS else session_scope
    with unavailable_on_database_errors(), scope(context_of(request).engine) as session:
        yield session


@dataclass(frozen=True)
class UnitOfWork:
    """Runs `fn(session, ...)` in a worker thread and commits in that same thread.

    No transaction outlives the call, so no transaction waits for a worker thread. (On SQLite
    a request that held the write lock while it waited for a thread, with every thread taken
    by requests queued on that lock, stalled every sender.)
    """

    engine: Engine

    async def run(
        self, fn: Callable[Concatenate[Session, P], T], *args: P.args, **kwargs: P.kwargs
    ) -> T:
        return await anyio.to_thread.run_sync(partial(self.run_sync, fn, *args, **kwargs))

    def run_sync(
        self, fn: Callable[Concatenate[Session, P], T], *args: P.args, **kwargs: P.kwargs
    ) -> T:
        with unavailable_on_database_errors(), session_scope(self.engine) as session:
            return fn(session, *args, **kwargs)


async def get_unit_of_work(request: Request) -> UnitOfWork:
    return UnitOfWork(context_of(request).engine)


async def get_settings_dep(request: Request) -> Settings:
    return context_of(request).settings


ContextDep = Annotated[AppContext, Depends(get_context)]
SessionDep = Annotated[Session, Depends(get_session)]
SettingsDep = Annotated[Settings, Depends(get_settings_dep)]
UnitOfWorkDep = Annotated[UnitOfWork, Depends(get_unit_of_work)]
