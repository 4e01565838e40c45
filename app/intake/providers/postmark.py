"""Postmark inbound webhook JSON -> RFC 822.

https://postmarkapp.com/developer/webhooks/inbound-webhook
"""

from __future__ import annotations

import base64
import binascii
from email.utils import formataddr

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from app.core.errors import Unprocessable
from app.intake.compose import Attachment, compose_message
from app.intake.schemas import Envelope, InboundSubmission
from app.intake.tables import MessageSource

_TOP_LEVEL = {"from", "to", "cc", "reply-to", "subject", "date"}


class _Model(BaseModel):
    model_config = ConfigDict(extra="ignore")


class PostmarkAddress(_Model):
    Email: str
    Name: str | None = None


class PostmarkHeader(_Model):
    Name: str
    Value: str


class PostmarkAttachment(_Model):
    Name: str | None = None
    Content: str = ""  # base64
    ContentType: str | None = None
    ContentLength: int | None = None
    ContentID: str | None = None


class PostmarkInbound(_Model):
    MessageID: str | None = None  # Postmark's own id, not the Message-ID header
    From: str | None = None
    FromFull: PostmarkAddress | None = None
    To: str | None = None
    Cc: str | None = None
    ReplyTo: str | None = None
    OriginalRecipient: str | None = None
    Subject: str | None = None
    Date: str | None = None
    TextBody: str | None = None
    HtmlBody: str | None = None
    Headers: list[PostmarkHeader] = Field(default_factory=list)
    Attachments: list[PostmarkAttachment] = Field(default_factory=list)


def read_payload(body: bytes) -> PostmarkInbound:
    try:
        return PostmarkInbound.model_validate_json(body)
    except ValidationError as exc:
        raise Unprocessable(
            "not a Postmark inbound webhook payload",
            details={"errors": exc.errors(include_url=False, include_input=False)},
        ) from exc


def to_submission(payload: PostmarkInbound) -> InboundSubmission:
    """Rebuild the message; the real Message-ID and trace headers come from `Headers`."""
    sender = (
        formataddr((payload.FromFull.Name or "", payload.FromFull.Email))
        if payload.FromFull
        else payload.From
    )
    headers = [
        (name, value)
        for name, value in (
            ("From", sender),
            ("To", payload.To),
            ("Cc", payload.Cc),
            ("Reply-To", payload.ReplyTo),
            ("Subject", payload.Subject),
            ("Date", payload.Date),
        )
        if value
    ]
    headers += [(h.Name, h.Value) for h in payload.Headers if h.Name.lower() not in _TOP_LEVEL]
    attachments = [
        Attachment(
            data=_b64(a.Content, a.Name),
            filename=a.Name,
            content_type=a.ContentType,
            content_id=a.ContentID or None,
        )
        for a in payload.Attachments
    ]
    raw = compose_message(
        headers=headers,
        text=payload.TextBody or None,
        html=payload.HtmlBody or None,
        attachments=attachments,
    )
    return InboundSubmission(
        raw=raw,
        source=MessageSource.POSTMARK,
        provider_event_id=payload.MessageID,
        envelope=Envelope(
            rcpt_to=(payload.OriginalRecipient,) if payload.OriginalRecipient else ()
        ),
    )


def _b64(content: str, name: str | None) -> bytes:
    try:
        return base64.b64decode(content, validate=False)
    except (binascii.Error, ValueError) as exc:
        raise Unprocessable(f"attachment {name!r} is not valid base64") from exc
