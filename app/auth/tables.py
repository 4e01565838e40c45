"""People and services that may act, with their roles and limits."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from enum import StrEnum

from sqlmodel import Field, SQLModel

from app.core.db import DecimalText
from app.core.time import new_id, utcnow
from app.core.types import UtcDateTime


class Role(StrEnum):
    INTAKE = "intake"  # a mail provider or service posting messages
    REVIEWER = "reviewer"
    APPROVER = "approver"
    ADMIN = "admin"
    ESCALATION = "escalation"


class User(SQLModel, table=True):
    __tablename__ = "users"

    id: str = Field(default_factory=lambda: new_id("usr"), primary_key=True)
    username: str = Field(unique=True, index=True)
    display_name: str = ""
    role: str = Role.REVIEWER
    password_hash: str = ""  # argon2
    approval_limit: Decimal = Field(default=Decimal("10000"), sa_type=DecimalText)
    active: bool = True
    failed_logins: int = 0
    locked_until: datetime | None = Field(default=None, sa_type=UtcDateTime)
    created_at: datetime = Field(default_factory=utcnow, sa_type=UtcDateTime)


class ApiToken(SQLModel, table=True):
    __tablename__ = "api_tokens"

    id: str = Field(default_factory=lambda: new_id("tok"), primary_key=True)
    name: str
    token_sha256: str = Field(unique=True, index=True)  # only the hash is stored
    role: str
    username: str | None = None  # acts as this user when set
    created_at: datetime = Field(default_factory=utcnow, sa_type=UtcDateTime)
    revoked: bool = False
