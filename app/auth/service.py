"""Who may act: password logins with lockout, API tokens, roles and approval limits."""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from datetime import timedelta
from decimal import Decimal

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlmodel import Session, select

from app.audit import service as audit
from app.auth.tables import ApiToken, Role, User
from app.core.errors import Conflict, Forbidden, NotFound, Unauthorized
from app.core.time import utcnow

MAX_FAILED_LOGINS = 5
LOCKOUT = timedelta(minutes=15)
_hasher = PasswordHasher()

# What each role may do; admin may do everything.
PERMISSIONS: dict[str, frozenset[str]] = {
    Role.INTAKE: frozenset({"intake"}),
    Role.REVIEWER: frozenset({"review", "orders:read"}),
    Role.APPROVER: frozenset({"review", "orders:read"}),
    Role.ESCALATION: frozenset({"review", "orders:read"}),
    Role.ADMIN: frozenset({"review", "orders:read", "admin", "intake"}),
}


@dataclass(frozen=True)
class Principal:
    """The caller of a request: a person or a service token."""

    username: str
    role: str
    approval_limit: Decimal
    via: str  # "session" | "token"

    def can(self, permission: str) -> bool:
        return permission in PERMISSIONS.get(self.role, frozenset())

    def require(self, permission: str) -> None:
        if not self.can(permission):
            raise Forbidden(f"role {self.role} may not {permission}", code="forbidden")


def hash_password(password: str) -> str:
    return _hasher.hash(password)


def create_user(
    session: Session,
    *,
    username: str,
    password: str,
    role: Role,
    approval_limit: Decimal = Decimal("10000"),
    display_name: str = "",
    actor: str = "system",
) -> User:
    if session.exec(select(User).where(User.username == username)).first():
        raise Conflict(f"user {username} exists", code="user_exists")
    user = User(
        username=username,
        role=role,
        password_hash=hash_password(password),
        approval_limit=approval_limit,
        display_name=display_name or username,
    )
    session.add(user)
    session.flush()
    audit.record(
        session,
        actor=actor,
        action="user.created",
        entity="user",
        entity_id=username,
        after={"role": role, "limit": str(approval_limit)},
    )
    return user


def authenticate(session: Session, username: str, password: str) -> User:
    """The user for these credentials; failures are audited and lock the account after five."""
    user = session.exec(select(User).where(User.username == username)).first()
    now = utcnow()
    if user is None or not user.active:
        audit.record(
            session,
            actor=username[:64],
            action="auth.login_failed",
            entity="user",
            entity_id=username[:64],
            reason="unknown user",
        )
        raise Unauthorized("wrong username or password", code="bad_credentials")
    if user.locked_until is not None and user.locked_until > now:
        audit.record(
            session,
            actor=username,
            action="auth.login_refused",
            entity="user",
            entity_id=username,
            reason="locked",
        )
        raise Unauthorized("account locked after repeated failures; try later", code="locked")
    if not _verify(user.password_hash, password):
        user.failed_logins += 1
        if user.failed_logins >= MAX_FAILED_LOGINS:
            user.locked_until = now + LOCKOUT
        session.add(user)
        audit.record(
            session,
            actor=username,
            action="auth.login_failed",
            entity="user",
            entity_id=username,
            reason=f"bad password ({user.failed_logins})",
        )
        raise Unauthorized("wrong username or password", code="bad_credentials")
    user.failed_logins = 0
    user.locked_until = None
    session.add(user)
    audit.record(session, actor=username, action="auth.login", entity="user", entity_id=username)
    return user


@dataclass(frozen=True)
class LoginAttempt:
    """The outcome of a login: the user, or the refusal to answer with."""

    user: User | None
    refusal: Unauthorized | None = None


def attempt_login(session: Session, username: str, password: str) -> LoginAttempt:
    """Like `authenticate`, but a refusal is returned, not raised, so the caller can commit
    the failed-login count and its audit event (raising would roll them back)."""
    try:
        return LoginAttempt(user=authenticate(session, username, password))
    except Unauthorized as refusal:
        return LoginAttempt(user=None, refusal=refusal)


def _verify(password_hash: str, password: str) -> bool:
    try:
        return _hasher.verify(password_hash, password)
    except (VerificationError, InvalidHashError):
        return False


def issue_token(
    session: Session, *, name: str, role: Role, username: str | None = None, actor: str = "system"
) -> str:
    """A new API token; only its hash is stored, the token is shown once."""
    if (
        username is not None
        and not session.exec(select(User).where(User.username == username)).first()
    ):
        raise NotFound(f"user {username} not found", code="user_not_found")
    token = "itk_" + secrets.token_urlsafe(32)
    session.add(
        ApiToken(
            name=name,
            role=role,
            username=username,
            token_sha256=hashlib.sha256(token.encode()).hexdigest(),
        )
    )
    audit.record(
        session,
        actor=actor,
        action="token.issued",
        entity="api_token",
        entity_id=name,
        after={"role": role, "user": username},
    )
    return token


def principal_for_token(session: Session, token: str) -> Principal | None:
    digest = hashlib.sha256(token.encode()).hexdigest()
    row = session.exec(select(ApiToken).where(ApiToken.token_sha256 == digest)).first()
    if row is None or row.revoked:
        return None
    limit = Decimal("0")
    if row.username:
        user = session.exec(select(User).where(User.username == row.username)).first()
        limit = user.approval_limit if user else limit
    return Principal(
        username=row.username or f"token:{row.name}",
        role=row.role,
        approval_limit=limit,
        via="token",
    )


def principal_for_user(user: User) -> Principal:
    return Principal(
        username=user.username, role=user.role, approval_limit=user.approval_limit, via="session"
    )
