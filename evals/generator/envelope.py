"""Assemble RFC 822 messages with fixed headers and boundaries, so the bytes never vary."""

from __future__ import annotations

from dataclasses import dataclass, field
from email import policy
from email.message import EmailMessage
from email.utils import format_datetime, formataddr

from evals.generator.model import Envelope

MAIL_POLICY = policy.SMTP


@dataclass
class Attachment:
    name: str
    data: bytes
    maintype: str
    subtype: str


@dataclass
class MessageParts:
    """What goes into one message."""

    envelope: Envelope
    text: str | None
    html: str | None = None
    attachments: list[Attachment] = field(default_factory=list)
    attached_messages: list[EmailMessage] = field(default_factory=list)
    in_reply_to: str | None = None
    sender: tuple[str, str] | None = None  # overrides the envelope sender (forwards)


def build_message(parts: MessageParts) -> EmailMessage:
    """An EmailMessage with headers from the envelope and the given bodies and attachments."""
    env = parts.envelope
    msg = EmailMessage(policy=MAIL_POLICY)
    name, address = parts.sender or (env.sender_name, env.sender_address)
    msg["From"] = formataddr((name, address))
    msg["To"] = env.to_address
    msg["Subject"] = env.subject
    msg["Date"] = format_datetime(env.sent_at)
    msg["Message-ID"] = env.message_id
    if parts.in_reply_to:
        msg["In-Reply-To"] = parts.in_reply_to
        msg["References"] = parts.in_reply_to
    msg["MIME-Version"] = "1.0"
    if parts.text is not None:
        msg.set_content(parts.text)
        if parts.html is not None:
            msg.add_alternative(parts.html, subtype="html")
    elif parts.html is not None:
        msg.set_content(parts.html, subtype="html")
    else:
        msg.set_content("")
    for att in parts.attachments:
        msg.add_attachment(att.data, maintype=att.maintype, subtype=att.subtype, filename=att.name)
    for inner in parts.attached_messages:
        msg.add_attachment(inner)
    return msg


def message_bytes(msg: EmailMessage, tag: str) -> bytes:
    """The raw message with deterministic MIME boundaries."""
    for n, part in enumerate(msg.walk()):
        if part.get_content_maintype() == "multipart":
            part.set_boundary(f"=_{tag}_{n:02d}_=")
    return msg.as_bytes(policy=MAIL_POLICY)
