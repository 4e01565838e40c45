"""Signed session cookies for the reviewer UI, each with its own CSRF token."""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import secrets
import time
from dataclasses import dataclass

COOKIE = "intake_session"
LIFETIME_S = 8 * 3600


@dataclass(frozen=True)
class WebSession:
    username: str
    csrf: str
    expires: int


def new_session(username: str) -> WebSession:
    return WebSession(
        username=username, csrf=secrets.token_urlsafe(24), expires=int(time.time()) + LIFETIME_S
    )


def encode(session: WebSession, secret: str) -> str:
    body = base64.urlsafe_b64encode(
        json.dumps({"u": session.username, "c": session.csrf, "e": session.expires}).encode()
    ).decode()
    return f"{body}.{_sign(body, secret)}"


def decode(cookie: str | None, secret: str) -> WebSession | None:
    """The session in a cookie, or None when it is missing, forged or expired."""
    if not cookie or "." not in cookie:
        return None
    body, sig = cookie.rsplit(".", 1)
    if not hmac.compare_digest(sig, _sign(body, secret)):
        return None
    try:
        data = json.loads(base64.urlsafe_b64decode(body.encode()))
        ses = WebSession(username=str(data["u"]), csrf=str(data["c"]), expires=int(data["e"]))
    except (ValueError, KeyError, TypeError):
        return None
    return ses if ses.expires > time.time() else None


def csrf_ok(session: WebSession, submitted: str | None) -> bool:
    return submitted is not None and hmac.compare_digest(session.csrf, submitted)


def _sign(body: str, secret: str) -> str:
    return hmac.new(secret.encode(), body.encode(), hashlib.sha256).hexdigest()
