"""What the intake stores about a raw message before anyone parses it: identity and sender."""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass
from email.errors import HeaderParseError
from email.header import decode_header, make_header
from email.parser import BytesHeaderParser
from email.policy import compat32
from email.utils import parseaddr

MAX_KEY_CHARS = 300
SUBJECT_CHARS = 500
_ANGLE = re.compile(r"<([^<>]*)>")


@dataclass(frozen=True)
class HeaderSummary:
    message_id_norm: str | None
    sender: str | None  # bare lowercased address, None when From is missing or unreadable
    subject: str | None


def normalise_message_id(value: str | None) -> str | None:
    """`<Abc.1@Mail.Example.COM>` -> `Abc.1@mail.example.com`: no brackets or whitespace,
    domain lowercased (the local part is case-sensitive)."""
    if not value:
        return None
    match = _ANGLE.search(value)
    text = "".join((match.group(1) if match else value).split())
    if not text:
        return None
    local, at, domain = text.rpartition("@")
    return f"{local}@{domain.lower()}" if at and local else text


def sender_address(value: str | None) -> str | None:
    """The bare address of a From value, lowercased; None when there is none."""
    if not value:
        return None
    _, address = parseaddr(value)
    address = address.strip().lower()
    return address[:320] if "@" in address else None


def summarise_headers(raw: bytes) -> HeaderSummary:
    """Message-ID, sender and subject from the header block; never fails on a bad message."""
    headers = BytesHeaderParser(policy=compat32).parsebytes(raw)
    return HeaderSummary(
        message_id_norm=normalise_message_id(_text(headers.get("Message-ID"))),
        sender=sender_address(_decoded(headers.get("From"))),
        subject=_subject(headers.get("Subject")),
    )


def dedup_key(
    *, message_id_norm: str | None, source: str, provider_event_id: str | None, raw: bytes
) -> str:
    """`mid:<id>`, else `evt:<provider>:<id>`, else `sha256:<hash of the raw bytes>`."""
    if message_id_norm:
        key, short = f"mid:{message_id_norm}", "midh"
    elif provider_event_id:
        key, short = f"evt:{source}:{provider_event_id}", "evth"
    else:
        return f"sha256:{hashlib.sha256(raw).hexdigest()}"
    if len(key) > MAX_KEY_CHARS:
        key = f"{short}:{hashlib.sha256(key.encode()).hexdigest()}"
    return key


def _text(value: object) -> str | None:
    return None if value is None else str(value)


def _decoded(value: object) -> str | None:
    """A header value with RFC 2047 encoded words decoded; the raw text when they are broken."""
    text = _text(value)
    if text is None:
        return None
    try:
        return str(make_header(decode_header(text)))
    except (HeaderParseError, UnicodeError, LookupError, ValueError):
        return text


def _subject(value: object) -> str | None:
    text = _decoded(value)
    if text is None:
        return None
    return " ".join(text.split())[:SUBJECT_CHARS]
