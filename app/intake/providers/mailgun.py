"""Mailgun routes `forward()` webhook (parsed fields, or raw MIME in `body-mime`) -> RFC 822.

https://documentation.mailgun.com/docs/mailgun/user-manual/receive-forward-store/
Authenticity: HMAC-SHA256(signing key, timestamp + token) == signature. The signature does not
cover the body, so a captured signature must not be usable twice: the token is recorded
(mailgun_tokens_seen) in the transaction that stores the message.
"""

from __future__ import annotations

import hashlib
import hmac
import json
from datetime import datetime

from app.core.errors import Unauthorized, Unprocessable
from app.intake.compose import Attachment, compose_message
from app.intake.forms import FormFields
from app.intake.schemas import Envelope, InboundSubmission
from app.intake.tables import MessageSource


def verify_signature(form: FormFields, *, signing_key: str, now: datetime, max_age_s: int) -> str:
    """Check signature and freshness; returns the token, to be recorded against replay."""
    timestamp, token, signature = (
        form.text("timestamp"),
        form.text("token"),
        form.text("signature"),
    )
    if not (timestamp and token and signature):
        raise Unauthorized("Mailgun signature, token or timestamp missing", code="bad_signature")
    expected = hmac.new(
        signing_key.encode(), f"{timestamp}{token}".encode(), hashlib.sha256
    ).hexdigest()
    if not hmac.compare_digest(expected, signature.strip().lower()):
        raise Unauthorized("Mailgun signature does not match", code="bad_signature")
    try:
        age = now.timestamp() - int(timestamp)
    except ValueError as exc:
        raise Unauthorized("Mailgun timestamp is not a number", code="bad_signature") from exc
    if abs(age) > max_age_s:
        raise Unauthorized(
            f"Mailgun timestamp is {int(age)} s away from now (at most {max_age_s} s)",
            code="stale_signature",
        )
    return token


def to_submission(form: FormFields) -> InboundSubmission:
    """The raw MIME when Mailgun sent it (`body-mime`), else the message rebuilt from fields."""
    envelope = Envelope(
        mail_from=form.text("sender"),
        rcpt_to=tuple(r.strip() for r in (form.text("recipient") or "").split(",") if r.strip()),
    )
    raw = form.raw("body-mime")
    if raw is None:
        raw = compose_message(
            headers=_headers(form),
            text=form.text("body-plain"),
            html=form.text("body-html"),
            attachments=_attachments(form),
        )
    return InboundSubmission(raw=raw, source=MessageSource.MAILGUN, envelope=envelope)


def _headers(form: FormFields) -> list[tuple[str, str]]:
    text = form.text("message-headers")
    if text:
        try:
            pairs = json.loads(text)
        except json.JSONDecodeError as exc:
            raise Unprocessable("message-headers is not JSON") from exc
        if isinstance(pairs, list):
            return [
                (str(p[0]), str(p[1])) for p in pairs if isinstance(p, list | tuple) and len(p) == 2
            ]
    return [
        (name, value)
        for name, value in (
            ("From", form.text("from")),
            ("To", form.text("To") or form.text("recipient")),
            ("Subject", form.text("subject")),
            ("Message-Id", form.text("Message-Id")),
        )
        if value
    ]


def _attachments(form: FormFields) -> list[Attachment]:
    try:
        count = int(form.text("attachment-count") or 0)
    except ValueError as exc:
        raise Unprocessable("attachment-count is not a number") from exc
    found = []
    for n in range(1, count + 1):
        part = form.part(f"attachment-{n}")
        if part is not None:
            found.append(
                Attachment(data=part.data, filename=part.filename, content_type=part.content_type)
            )
    return found
