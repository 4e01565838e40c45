"""The caller of a request, from a bearer token or the UI's session cookie."""

from __future__ import annotations

import hmac
from decimal import Decimal
from typing import Annotated

from fastapi import Depends, Request
from sqlmodel import Session, select

from app.auth import sessions
from app.auth.service import Principal, principal_for_token, principal_for_user
from app.auth.tables import Role, User
from app.core.errors import Forbidden, Unauthorized
from app.deps import SessionDep, SettingsDep


def _bearer(request: Request) -> str | None:
    header = request.headers.get("authorization", "")
    scheme, _, token = header.partition(" ")
    return token.strip() if scheme.lower() == "bearer" and token.strip() else None


def current_principal(request: Request, session: SessionDep, settings: SettingsDep) -> Principal:
    """Who is calling; 401 when nobody is. Kept on the request for the audit of refusals."""
    principal = _identify(request, session, settings)
    request.state.principal = principal
    return principal


def _identify(request: Request, session: Session, settings: SettingsDep) -> Principal:
    token = _bearer(request)
    if token is not None:
        static = settings.intake_token
        if static is not None and hmac.compare_digest(token, static.get_secret_value()):
            return Principal(
                username="intake", role=Role.INTAKE, approval_limit=Decimal(0), via="token"
            )
        principal = principal_for_token(session, token)
        if principal is None:
            raise Unauthorized("invalid API token", code="bad_token")
        return principal
    web = sessions.decode(
        request.cookies.get(sessions.COOKIE), settings.secret_key.get_secret_value()
    )
    if web is not None:
        user = _active_user(session, web.username)
        if user is not None:
            request.state.web_session = web
            return principal_for_user(user)
    raise Unauthorized("log in or send a bearer token", code="unauthenticated")


def _active_user(session: Session, username: str) -> User | None:
    user = session.exec(select(User).where(User.username == username)).first()
    return user if user is not None and user.active else None


CSRF_HEADER = "X-CSRF-Token"
_SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})


def csrf_protected(
    request: Request, principal: Annotated[Principal, Depends(current_principal)]
) -> None:
    """A cookie-authenticated change must carry the session's CSRF token in X-CSRF-Token;
    bearer-token calls need none (a browser never adds the header by itself)."""
    if principal.via != "session" or request.method in _SAFE_METHODS:
        return
    web: sessions.WebSession | None = getattr(request.state, "web_session", None)
    if web is None or not sessions.csrf_ok(web, request.headers.get(CSRF_HEADER)):
        raise Forbidden("missing or wrong CSRF token", code="csrf_failed")


def requires(permission: str):  # type: ignore[no-untyped-def]
    """A dependency that lets through only callers with `permission` (403 otherwise)."""

    def check(principal: Annotated[Principal, Depends(current_principal)]) -> Principal:
        principal.require(permission)
        return principal

    return check


CurrentPrincipal = Annotated[Principal, Depends(current_principal)]
Reviewer = Annotated[Principal, Depends(requires("review"))]
Admin = Annotated[Principal, Depends(requires("admin"))]
OrdersReader = Annotated[Principal, Depends(requires("orders:read"))]
