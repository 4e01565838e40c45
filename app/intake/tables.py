"""Tables: inbound_messages, raw_messages, mailgun_tokens_seen."""

from __future__ import annotations

import uuid
from datetime import datetime
from enum import StrEnum
from typing import ClassVar

from sqlalchemy import JSON, Column, ForeignKey, Index, LargeBinary, String, Text
from sqlmodel import Field, SQLModel

from app.core.time import utcnow
from app.core.types import UtcDateTime


class MessageSource(StrEnum):
    RFC822 = "rfc822"
    POSTMARK = "postmark"
    MAILGUN = "mailgun"
    SENDGRID = "sendgrid"
    SES = "ses"
    CLI = "cli"


class MessageStatus(StrEnum):
    RECEIVED = "received"
    PROCESSING = "processing"
    PROCESSED = "processed"
    QUARANTINED = "quarantined"
    FAILED = "failed"


class InboundMessageBase(SQLModel):
    source: str = Field(sa_type=String(16))
    message_id_norm: str | None = Field(default=None, max_length=998, index=True)
    provider_event_id: str | None = Field(default=None, max_length=255)
    sender: str | None = Field(default=None, max_length=320)  # bare address from From
    subject: str | None = Field(default=None, max_length=500)
    size_bytes: int = 0
    status: str = Field(default=MessageStatus.RECEIVED, sa_type=String(16), index=True)
    quarantine_reason: str | None = Field(default=None, sa_type=Text)
    draft_id: str | None = Field(default=None, max_length=64)


class InboundMessage(InboundMessageBase, table=True):
    __tablename__: ClassVar[str] = "inbound_messages"
    __table_args__ = (Index("ix_inbound_messages_sender_received", "sender", "received_at"),)

    id: str = Field(default_factory=lambda: str(uuid.uuid4()), primary_key=True, max_length=36)
    received_at: datetime = Field(default_factory=utcnow, sa_type=UtcDateTime)
    updated_at: datetime = Field(default_factory=utcnow, sa_type=UtcDateTime)
    dedup_key: str = Field(max_length=300, unique=True)
    envelope_from: str | None = Field(default=None, max_length=320)
    envelope_to: list[str] = Field(default_factory=list, sa_type=JSON)
    trace_id: str | None = Field(default=None, max_length=32)  # the intake request's trace, hex
    span_id: str | None = Field(default=None, max_length=16)


class InboundMessagePublic(InboundMessageBase):
    id: str
    received_at: datetime
    dedup_key: str


class RawMessage(SQLModel, table=True):
    """The bytes as received, in the database so API processes need no shared disk."""

    __tablename__: ClassVar[str] = "raw_messages"

    message_id: str = Field(
        sa_column=Column(
            String(36), ForeignKey("inbound_messages.id", ondelete="CASCADE"), primary_key=True
        )
    )
    content: bytes = Field(sa_column=Column("bytes", LargeBinary, nullable=False))
    sha256: str = Field(max_length=64, index=True)


class MailgunTokenSeen(SQLModel, table=True):
    """Tokens of accepted Mailgun webhooks: a token is honoured once (replay protection)."""

    __tablename__: ClassVar[str] = "mailgun_tokens_seen"

    token: str = Field(primary_key=True, max_length=128)
    seen_at: datetime = Field(default_factory=utcnow, sa_type=UtcDateTime, index=True)
