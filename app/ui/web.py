"""What every UI page shares: templates, the logged-in viewer, CSRF checks and HTML errors."""

from __future__ import annotations

import re
from collections.abc import Callable, Coroutine
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from pathlib import Path
from typing import Annotated, Any
from urllib.parse import quote
from zoneinfo import ZoneInfo

from fastapi import Depends, Request, Response
from fastapi.exceptions import RequestValidationError
from fastapi.responses import HTMLResponse, RedirectResponse
from fastapi.routing import APIRoute
from fastapi.templating import Jinja2Templates
from jinja2 import Environment, FileSystemLoader, StrictUndefined, select_autoescape
from sqlmodel import Session, select

from app.auth import sessions
from app.auth.service import Principal, principal_for_user
from app.auth.tables import User
from app.core.errors import AppError, Forbidden
from app.deps import SessionDep, SettingsDep

HERE = Path(__file__).resolve().parent
STATIC_DIR = HERE / "static"
CSRF_FIELD = "csrf_token"


def _money(value: Decimal | str | float | None, currency: str | None = None) -> str:
    if value is None or value == "":
        return "—"
    amount = Decimal(str(value))
    text = f"{amount:,.2f}" if amount == amount.quantize(Decimal("0.01")) else f"{amount:,.4f}"
    return f"{text} {currency}" if currency else text


def _number(value: Decimal | str | float | None) -> str:
    if value is None or value == "":
        return "—"
    amount = Decimal(str(value))
    return f"{amount.normalize():f}" if amount == amount.to_integral_value() else f"{amount:f}"


def _percent(value: float | None) -> str:
    return "—" if value is None else f"{value * 100:.0f}%"


def _when(value: datetime | None, tz: str = "UTC") -> str:
    if value is None:
        return "—"
    return value.astimezone(ZoneInfo(tz)).strftime("%Y-%m-%d %H:%M")


def _minutes(value: int | float | None) -> str:
    if value is None:
        return "—"
    minutes = int(value)
    if minutes < 60:
        return f"{minutes} min"
    if minutes < 48 * 60:
        return f"{minutes // 60} h {minutes % 60:02d} min"
    return f"{minutes // 1440} d {(minutes % 1440) // 60} h"


def _environment() -> Environment:
    env = Environment(
        loader=FileSystemLoader(HERE / "templates"),
        autoescape=select_autoescape(["html", "svg"], default=True),
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.filters.update(money=_money, number=_number, percent=_percent, when=_when, minutes=_minutes)
    return env


templates = Jinja2Templates(env=_environment())


@dataclass(frozen=True)
class Viewer:
    """The person using the UI, with the CSRF token every form of theirs carries."""

    principal: Principal
    csrf: str
    display_name: str

    @property
    def username(self) -> str:
        return self.principal.username

    @property
    def is_admin(self) -> bool:
        return self.principal.can("admin")


class LoginRequired(Exception):
    """No valid session: the UI answers with a redirect to the login page."""


def render(
    request: Request, name: str, context: dict[str, Any], *, status_code: int = 200
) -> HTMLResponse:
    """A page from its template, with the viewer and the CSRF field name available."""
    viewer = getattr(request.state, "viewer", None)
    page = {"viewer": viewer, "csrf_field": CSRF_FIELD, "nav": "", **context}
    response = templates.TemplateResponse(request, name, page, status_code=status_code)
    response.headers["cache-control"] = "no-store"
    return response


def db_session(request: Request, session: SessionDep) -> Session:
    """The request's unit of work, kept on the request so an error page can roll it back."""
    request.state.db_session = session
    return session


UiSession = Annotated[Session, Depends(db_session)]


def current_viewer(request: Request, session: UiSession, settings: SettingsDep) -> Viewer:
    """The logged-in person from the session cookie (bearer tokens do not open the UI)."""
    web = sessions.decode(
        request.cookies.get(sessions.COOKIE), settings.secret_key.get_secret_value()
    )
    if web is None:
        raise LoginRequired
    user = session.exec(select(User).where(User.username == web.username)).first()
    if user is None or not user.active:
        raise LoginRequired
    viewer = Viewer(
        principal=principal_for_user(user),
        csrf=web.csrf,
        display_name=user.display_name or user.username,
    )
    request.state.viewer = viewer
    return viewer


CurrentViewer = Annotated[Viewer, Depends(current_viewer)]


@dataclass(frozen=True)
class Posted:
    """A POSTed form whose CSRF token matched the viewer's session."""

    viewer: Viewer
    fields: dict[str, str]


async def posted_form(request: Request, viewer: CurrentViewer) -> Posted:
    """The viewer and fields of a POST carrying their session's CSRF token (403 otherwise)."""
    form = await request.form()
    fields = {k: v for k, v in form.items() if isinstance(v, str)}
    web = sessions.WebSession(username=viewer.username, csrf=viewer.csrf, expires=0)
    if not sessions.csrf_ok(web, fields.get(CSRF_FIELD)):
        raise Forbidden(
            "the form is missing its security token; reload the page and try again",
            code="csrf_failed",
        )
    return Posted(viewer=viewer, fields=fields)


PostedForm = Annotated[Posted, Depends(posted_form)]


def permitted(viewer: Viewer, permission: str) -> None:
    viewer.principal.require(permission)


class UiRoute(APIRoute):
    """A route whose domain errors become HTML pages and whose anonymous callers log in."""

    def get_route_handler(self) -> Callable[[Request], Coroutine[Any, Any, Response]]:
        handler = super().get_route_handler()

        async def ui_handler(request: Request) -> Response:
            try:
                return await handler(request)
            except LoginRequired:
                target = request.url.path + (f"?{request.url.query}" if request.url.query else "")
                return RedirectResponse(f"/login?next={quote(target, safe='')}", 303)
            except AppError as exc:
                _rollback(request)
                return error_page(request, exc.status_code, exc.code, exc.message)
            except RequestValidationError:
                _rollback(request)
                return error_page(
                    request,
                    422,
                    "invalid_request",
                    "The request was not valid. Go back and check the form.",
                )

        return ui_handler


def _rollback(request: Request) -> None:
    session = getattr(request.state, "db_session", None)
    if isinstance(session, Session):
        session.rollback()


def error_page(request: Request, status_code: int, code: str, message: str) -> HTMLResponse:
    task = re.match(r"^/tasks/([A-Za-z0-9_-]+)", request.url.path)
    back = f"/tasks/{task.group(1)}" if task else "/"
    return render(
        request,
        "error.html",
        {"status": status_code, "code": code, "message": message, "back": back},
        status_code=status_code,
    )
