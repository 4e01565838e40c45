"""Login and logout for people (a signed session cookie and its CSRF token)."""

from __future__ import annotations

from fastapi import APIRouter, Response
from fastapi.responses import JSONResponse
from pydantic import BaseModel, ConfigDict, Field, SecretStr

from app.auth import service, sessions
from app.core.errors import error_body
from app.deps import SessionDep, SettingsDep

router = APIRouter(prefix="/v1/auth", tags=["auth"])


class LoginBody(BaseModel):
    model_config = ConfigDict(extra="forbid")
    username: str = Field(min_length=1, max_length=200)
    password: SecretStr = Field(min_length=1, max_length=1000)  # never shown in logs or errors


class LoggedIn(BaseModel):
    username: str
    role: str
    csrf_token: str  # send it as X-CSRF-Token on every cookie-authenticated change
    expires: int  # unix time


@router.post(
    "/login",
    response_model=LoggedIn,
    responses={401: {"description": "wrong credentials or locked"}},
)
def login(
    body: LoginBody, response: Response, session: SessionDep, settings: SettingsDep
) -> LoggedIn | JSONResponse:
    """Check the password (five failures lock the account) and set the session cookie."""
    attempt = service.attempt_login(session, body.username, body.password.get_secret_value())
    if attempt.refusal is not None:
        # Returned, not raised: the failure count and its audit event must be committed.
        refusal = attempt.refusal
        return JSONResponse(error_body(refusal.code, refusal.message), refusal.status_code)
    assert attempt.user is not None
    web = sessions.new_session(attempt.user.username)
    cookie = sessions.encode(web, settings.secret_key.get_secret_value())
    response.set_cookie(
        sessions.COOKIE,
        cookie,
        max_age=sessions.LIFETIME_S,
        httponly=True,
        secure=True,
        samesite="strict",
        path="/",
    )
    return LoggedIn(
        username=attempt.user.username,
        role=attempt.user.role,
        csrf_token=web.csrf,
        expires=web.expires,
    )


@router.post("/logout", status_code=204)
def logout() -> Response:
    """Forget the session cookie."""
    response = Response(status_code=204)
    response.delete_cookie(sessions.COOKIE, path="/", httponly=True, secure=True, samesite="strict")
    return response
