"""Refused actions are audited: who tried what, and why it was refused.

The request's own transaction is rolled back with the refusal, so the event is written in a
transaction of its own. Only callers who identified themselves are recorded; anonymous
refusals (a bad webhook signature, a missing login) would let anyone fill the log.
"""

from __future__ import annotations

import logging

from fastapi import FastAPI, Request
from fastapi.responses import JSONResponse
from sqlalchemy.exc import SQLAlchemyError
from starlette.concurrency import run_in_threadpool

from app.audit import service as audit
from app.auth.service import Principal
from app.core.context import AppContext
from app.core.db import session_scope
from app.core.errors import AppError, render

AUDITED_STATUSES = frozenset({403, 409})
log = logging.getLogger(__name__)


def install_refusal_audit(app: FastAPI) -> None:
    async def on_app_error(request: Request, exc: Exception) -> JSONResponse:
        assert isinstance(exc, AppError)
        principal = getattr(request.state, "principal", None)
        if exc.status_code in AUDITED_STATUSES and isinstance(principal, Principal):
            await run_in_threadpool(_record, request, principal, exc)  # a write: off the loop
        return render(exc)

    app.add_exception_handler(AppError, on_app_error)


def _record(request: Request, principal: Principal, exc: AppError) -> None:
    ctx: AppContext = request.app.state.context
    try:
        with session_scope(ctx.engine) as session:
            audit.record(
                session,
                actor=principal.username,
                action="request.refused",
                entity="http",
                entity_id=f"{request.method} {request.url.path}",
                reason=f"{exc.code}: {exc.message}"[:500],
                detail={"status": exc.status_code, "role": principal.role},
            )
    except SQLAlchemyError:
        # The refusal is still answered; the log keeps what the database could not.
        log.warning(
            "refusal not audited",
            extra={"actor": principal.username, "path": request.url.path, "code": exc.code},
        )
