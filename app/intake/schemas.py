"""What the intake routes accept and answer, and what adapters hand to the service."""

from __future__ import annotations

from dataclasses import dataclass, fields
from datetime import datetime

from pydantic import BaseModel

from app.intake.tables import InboundMessage, InboundMessagePublic, MessageSource


@dataclass(frozen=True)
class Envelope:
    """SMTP envelope as the provider reports it (not the From/To headers)."""

    mail_from: str | None = None
    rcpt_to: tuple[str, ...] = ()


@dataclass(frozen=True)
class InboundSubmission:
    """A message as a provider adapter hands it to the service."""

    raw: bytes
    source: MessageSource
    provider_event_id: str | None = None
    envelope: Envelope = Envelope()


@dataclass(frozen=True)
class StoredMessage:
    """The values of a stored inbound_messages row, as the intake wrote or found them.

    A plain record: the store path inserts rows with Core statements and never builds ORM
    objects for them (one is ~80 us, most of the work of storing a small message).
    """

    id: str
    received_at: datetime
    updated_at: datetime
    dedup_key: str
    source: str
    message_id_norm: str | None
    provider_event_id: str | None
    sender: str | None
    subject: str | None
    size_bytes: int
    status: str
    quarantine_reason: str | None
    draft_id: str | None
    envelope_from: str | None
    envelope_to: list[str]
    trace_id: str | None
    span_id: str | None

    @classmethod
    def of(cls, row: InboundMessage) -> StoredMessage:
        return cls(**{f.name: getattr(row, f.name) for f in fields(cls)})


class IntakeAccepted(BaseModel):
    id: str
    duplicate: bool
    status: str


class SubscriptionNoted(BaseModel):
    id: str
    duplicate: bool
    note: str


class QuarantineList(BaseModel):
    items: list[InboundMessagePublic]
    limit: int
    offset: int
