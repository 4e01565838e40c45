"""Rebuild an RFC 822 message from a provider's parsed webhook (Postmark, Mailgun, SendGrid)."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from email import policy
from email.errors import HeaderParseError
from email.headerregistry import HeaderRegistry, UnstructuredHeader
from email.message import EmailMessage

# We rebuild the MIME structure, so the original's structural headers would contradict it.
_STRUCTURAL = {
    "content-type",
    "content-transfer-encoding",
    "mime-version",
    "content-disposition",
    "content-length",
}
# Kept verbatim: the structured parsers rewrite malformed ids and dates instead of keeping them.
_VERBATIM = (
    "message-id",
    "in-reply-to",
    "references",
    "date",
    "resent-date",
    "resent-message-id",
    "received",
)
_OFFSET_WITH_COLON = re.compile(r"([+-]\d{2}):(\d{2})\s*$")
_FOLD = re.compile(r"[\r\n]+[ \t]*")


def _policy() -> policy.EmailPolicy[EmailMessage]:
    registry = HeaderRegistry()
    for name in _VERBATIM:
        # typeshed wants a BaseHeader subclass; the registry mixes BaseHeader in itself
        registry.map_to_type(name, UnstructuredHeader)  # type: ignore[arg-type]
    return policy.SMTP.clone(header_factory=registry)


POLICY = _policy()


@dataclass(frozen=True)
class Attachment:
    data: bytes
    filename: str | None = None
    content_type: str | None = None
    content_id: str | None = None  # inline parts referenced from the HTML body


def compose_message(
    *,
    headers: Sequence[tuple[str, str]],
    text: str | None,
    html: str | None,
    attachments: Sequence[Attachment] = (),
) -> bytes:
    """A MIME message with the given headers (first of each single-use header wins),
    text and/or HTML bodies as multipart/alternative, and the attachments."""
    msg = EmailMessage(policy=POLICY)
    for name, value in headers:
        name = name.strip()
        if not name or name.lower() in _STRUCTURAL:
            continue
        value = _FOLD.sub(" ", value).strip()
        if name.lower() == "date":
            value = _OFFSET_WITH_COLON.sub(r"\1\2", value)  # Postmark writes "-04:00"
        try:
            msg[name] = value
        except (ValueError, HeaderParseError, IndexError):
            continue  # a second To/Subject/..., or a value the header classes refuse
    if text is not None and html is not None:
        msg.set_content(text)
        msg.add_alternative(html, subtype="html")
    elif html is not None:
        msg.set_content(html, subtype="html")
    elif text is not None or not attachments:
        msg.set_content(text or "")
    for att in attachments:
        maintype, subtype = _media_type(att.content_type)
        if att.content_id:
            msg.add_attachment(
                att.data,
                maintype=maintype,
                subtype=subtype,
                filename=att.filename or None,
                disposition="inline",
                cid=f"<{att.content_id.strip('<>')}>",
            )
        else:
            msg.add_attachment(
                att.data, maintype=maintype, subtype=subtype, filename=att.filename or None
            )
    return msg.as_bytes()


def _media_type(content_type: str | None) -> tuple[str, str]:
    media = (content_type or "").split(";", 1)[0].strip().lower()
    maintype, _, subtype = media.partition("/")
    if not maintype or not subtype or maintype == "multipart":
        return "application", "octet-stream"
    return maintype, subtype
