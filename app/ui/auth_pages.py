"""Log in and out of the reviewer UI."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Form, Request, Response
from fastapi.responses import HTMLResponse, RedirectResponse

from app.auth import service as auth
from app.auth import sessions
from app.core.config import Settings
from app.core.errors import Forbidden, Unauthorized
from app.deps import SettingsDep
from app.ui.security import LOGIN_CSRF_COOKIE, login_token_ok, new_login_token
from app.ui.web import PostedForm, UiRoute, UiSession, render

router = APIRouter(route_class=UiRoute, include_in_schema=False)

LOGIN_TOKEN_TTL_S = 3600


def safe_next(target: str | None) -> str:
    """Only paths on this site: never another host (`//evil`, `https://evil`)."""
    if not target or not target.startswith("/") or target.startswith("//") or "\\" in target:
        return "/"
    return target


def _login_page(
    request: Request,
    settings: Settings,
    *,
    next_: str,
    message: str | None = None,
    username: str = "",
    status_code: int = 200,
) -> HTMLResponse:
    token, cookie = new_login_token(settings.secret_key.get_secret_value())
    response = render(
        request,
        "login.html",
        {"token": token, "next": safe_next(next_), "message": message, "username": username},
        status_code=status_code,
    )
    response.set_cookie(
        LOGIN_CSRF_COOKIE,
        cookie,
        max_age=LOGIN_TOKEN_TTL_S,
        httponly=True,
        secure=True,
        samesite="strict",
        path="/login",
    )
    return response


@router.get("/login", response_class=HTMLResponse)
def login_form(request: Request, settings: SettingsDep, next: str = "/") -> Response:
    return _login_page(request, settings, next_=next)


@router.post("/login", response_class=HTMLResponse)
def login(
    request: Request,
    session: UiSession,
    settings: SettingsDep,
    username: Annotated[str, Form(max_length=128)] = "",
    password: Annotated[str, Form(max_length=1024)] = "",
    csrf_token: Annotated[str, Form(max_length=128)] = "",
    next: Annotated[str, Form(max_length=2048)] = "/",
) -> Response:
    secret = settings.secret_key.get_secret_value()
    if not login_token_ok(request.cookies.get(LOGIN_CSRF_COOKIE), csrf_token, secret):
        raise Forbidden(
            "the login form expired or was not sent by this site; try again", code="csrf_failed"
        )
    try:
        user = auth.authenticate(session, username.strip(), password)
    except Unauthorized as exc:  # the failure count and audit event must still commit
        return _login_page(
            request, settings, next_=next, message=exc.message, username=username, status_code=401
        )
    web = sessions.new_session(user.username)
    response = RedirectResponse(safe_next(next), status_code=303)
    response.set_cookie(
        sessions.COOKIE,
        sessions.encode(web, secret),
        max_age=sessions.LIFETIME_S,
        httponly=True,
        secure=True,
        samesite="strict",
        path="/",
    )
    response.delete_cookie(
        LOGIN_CSRF_COOKIE, path="/login", secure=True, httponly=True, samesite="strict"
    )
    return response


@router.post("/logout")
def logout(posted: PostedForm) -> Response:
    response = RedirectResponse("/login", status_code=303)
    response.delete_cookie(sessions.COOKIE, path="/", secure=True, httponly=True, samesite="strict")
    return response
