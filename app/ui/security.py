"""Security headers on every response, and the signed pre-session token of the login form."""

from __future__ import annotations

import hashlib
import hmac
import secrets

from starlette.types import ASGIApp, Message, Receive, Scope, Send

CONTENT_SECURITY_POLICY = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "object-src 'none'; base-uri 'none'; frame-ancestors 'none'; form-action 'self'"
)
SECURITY_HEADERS: tuple[tuple[bytes, bytes], ...] = (
    (b"content-security-policy", CONTENT_SECURITY_POLICY.encode()),
    (b"x-content-type-options", b"nosniff"),
    (b"referrer-policy", b"no-referrer"),
    (b"x-frame-options", b"DENY"),
)
# FastAPI's interactive docs load their scripts from a CDN; the policy would blank them.
_EXEMPT_PREFIXES = ("/docs", "/redoc")

LOGIN_CSRF_COOKIE = "intake_login_csrf"


class SecurityHeadersMiddleware:
    """Adds the UI's security headers to every response (pure ASGI, streams untouched)."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or str(scope.get("path", "")).startswith(_EXEMPT_PREFIXES):
            await self.app(scope, receive, send)
            return

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                present = {name.lower() for name, _ in message.get("headers", [])}
                extra = [(k, v) for k, v in SECURITY_HEADERS if k not in present]
                message["headers"] = [*message.get("headers", []), *extra]
            await send(message)

        await self.app(scope, receive, send_with_headers)


def new_login_token(secret: str) -> tuple[str, str]:
    """A token for the login form and the signed cookie that vouches for it (double submit)."""
    token = secrets.token_urlsafe(24)
    return token, f"{token}.{_sign(token, secret)}"


def login_token_ok(cookie: str | None, submitted: str | None, secret: str) -> bool:
    """Whether the form's token is the one the signed cookie was issued with."""
    if not cookie or not submitted or "." not in cookie:
        return False
    token, sig = cookie.rsplit(".", 1)
    return hmac.compare_digest(sig, _sign(token, secret)) and hmac.compare_digest(token, submitted)


def _sign(token: str, secret: str) -> str:
    return hmac.new(secret.encode(), f"login-csrf:{token}".encode(), hashlib.sha256).hexdigest()
