"""Amazon SES receipt notifications delivered by SNS over HTTP(S).

SNS signs each message, but checking the signature means fetching the signing certificate
from SigningCertURL, and this service makes no outbound calls from a request. Deliveries are
gated instead by the topic allowlist (INTAKE_SES_TOPIC_ARNS) and the intake credentials.
A subscription confirmation is stored for a person to confirm (visit SubscribeURL).
"""

from __future__ import annotations

import base64
import binascii
import json
from dataclasses import dataclass
from typing import Literal, Protocol

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from app.core.errors import Forbidden, Unprocessable
from app.intake.message_headers import HeaderSummary, normalise_message_id, sender_address
from app.intake.schemas import Envelope, InboundSubmission
from app.intake.tables import MessageSource


class RawMessageFetcher(Protocol):
    """Fetches a message SES stored in S3. Raise RawMessageUnavailable when it cannot."""

    def fetch(self, *, bucket: str, key: str) -> bytes: ...


class RawMessageUnavailable(Exception):
    """The fetcher could not get the message now (the provider should retry)."""


class _Model(BaseModel):
    model_config = ConfigDict(extra="ignore")


class SnsMessage(_Model):
    Type: str
    MessageId: str
    TopicArn: str | None = None
    Message: str = ""
    SubscribeURL: str | None = None


class SesAction(_Model):
    type: str = ""
    encoding: str | None = None  # "BASE64" or "UTF8" for SNS actions
    bucketName: str | None = None
    objectKey: str | None = None


class SesReceipt(_Model):
    action: SesAction = Field(default_factory=SesAction)


class SesCommonHeaders(_Model):
    messageId: str | None = None
    subject: str | None = None
    from_: list[str] = Field(default_factory=list, alias="from")


class SesMail(_Model):
    messageId: str | None = None  # SES's id
    source: str | None = None  # envelope sender
    destination: list[str] = Field(default_factory=list)
    commonHeaders: SesCommonHeaders = Field(default_factory=SesCommonHeaders)


class SesNotification(_Model):
    notificationType: str | None = None
    mail: SesMail = Field(default_factory=SesMail)
    receipt: SesReceipt = Field(default_factory=SesReceipt)
    content: str | None = None


@dataclass(frozen=True)
class InlineMessage:
    submission: InboundSubmission


@dataclass(frozen=True)
class StoredInS3:
    bucket: str
    key: str
    notification: bytes  # what we keep until the message itself can be fetched
    headers: HeaderSummary
    event_id: str
    envelope: Envelope


@dataclass(frozen=True)
class SubscriptionRequest:
    kind: Literal["SubscriptionConfirmation", "UnsubscribeConfirmation"]
    body: bytes
    event_id: str
    subscribe_url: str | None


SnsDelivery = InlineMessage | StoredInS3 | SubscriptionRequest


def read_delivery(body: bytes, *, allowed_topics: list[str]) -> SnsDelivery:
    """What an SNS POST carries; refuses topics outside the allowlist when it is set."""
    try:
        sns = SnsMessage.model_validate_json(body)
    except ValidationError as exc:
        raise Unprocessable("not an SNS message") from exc
    if allowed_topics and sns.TopicArn not in allowed_topics:
        raise Forbidden(f"SNS topic {sns.TopicArn!r} is not allowed", code="topic_not_allowed")
    if sns.Type in ("SubscriptionConfirmation", "UnsubscribeConfirmation"):
        return SubscriptionRequest(
            kind=sns.Type,  # type: ignore[arg-type]  # narrowed by the test above
            body=body,
            event_id=sns.MessageId,
            subscribe_url=sns.SubscribeURL,
        )
    if sns.Type != "Notification":
        raise Unprocessable(f"unexpected SNS message type {sns.Type!r}")
    try:
        note = SesNotification.model_validate(json.loads(sns.Message))
    except (json.JSONDecodeError, ValidationError) as exc:
        raise Unprocessable("SNS Message is not an SES receipt notification") from exc
    envelope = Envelope(mail_from=note.mail.source, rcpt_to=tuple(note.mail.destination))
    action = note.receipt.action
    if note.content is not None:
        return InlineMessage(
            InboundSubmission(
                raw=_content(note.content, action.encoding),
                source=MessageSource.SES,
                provider_event_id=sns.MessageId,
                envelope=envelope,
            )
        )
    if action.type == "S3" and action.bucketName and action.objectKey:
        common = note.mail.commonHeaders
        headers = HeaderSummary(
            message_id_norm=normalise_message_id(common.messageId),
            sender=sender_address(common.from_[0]) if common.from_ else None,
            subject=(common.subject or "")[:500] or None,
        )
        return StoredInS3(
            bucket=action.bucketName,
            key=action.objectKey,
            notification=body,
            headers=headers,
            event_id=sns.MessageId,
            envelope=envelope,
        )
    raise Unprocessable("SES notification has neither content nor an S3 action")


def _content(content: str, encoding: str | None) -> bytes:
    if (encoding or "BASE64").upper() == "UTF8":
        return content.encode("utf-8")
    try:
        return base64.b64decode(content, validate=False)
    except (binascii.Error, ValueError) as exc:
        raise Unprocessable("SES content is not valid base64") from exc
