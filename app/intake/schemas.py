"""What the intake routes accept and answer, and what adapters hand to the service."""

from __future__ import annotations

from dataclasses import dataclass

from pydantic import BaseModel

from app.intake.tables import InboundMessagePublic, MessageSource


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
