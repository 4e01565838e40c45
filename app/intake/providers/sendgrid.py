"""SendGrid Inbound Parse (multipart form) -> RFC 822.

https://www.twilio.com/docs/sendgrid/for-developers/parsing-email/setting-up-the-inbound-parse-webhook
With "POST the raw, full MIME message" the `email` field holds the message; otherwise the
message arrives as fields (headers, text, html, attachment1..N with attachment-info, charsets).
"""

from __future__ import annotations

import json
from email.parser import HeaderParser
from email.policy import compat32
from typing import Any

from app.core.errors import Unprocessable
from app.intake.compose import Attachment, compose_message
from app.intake.forms import FormFields
from app.intake.schemas import Envelope, InboundSubmission
from app.intake.tables import MessageSource


def to_submission(form: FormFields) -> InboundSubmission:
    envelope = _envelope(form)
    raw = form.raw("email")
    if raw is None:
        charsets = _json_object(form, "charsets")
        headers = [
            (name, str(value))
            for name, value in HeaderParser(policy=compat32)
            .parsestr(form.text("headers") or "")
            .items()
        ]
        if not headers:
            headers = [
                (n, v)
                for n, v in (
                    ("From", form.text("from")),
                    ("To", form.text("to")),
                    ("Cc", form.text("cc")),
                    ("Subject", form.text("subject")),
                )
                if v
            ]
        raw = compose_message(
            headers=headers,
            text=form.text("text", str(charsets.get("text", "utf-8"))),
            html=form.text("html", str(charsets.get("html", "utf-8"))),
            attachments=_attachments(form),
        )
    return InboundSubmission(raw=raw, source=MessageSource.SENDGRID, envelope=envelope)


def _attachments(form: FormFields) -> list[Attachment]:
    info = _json_object(form, "attachment-info")
    try:
        count = int(form.text("attachments") or 0)
    except ValueError as exc:
        raise Unprocessable("attachments is not a number") from exc
    found = []
    for n in range(1, count + 1):
        part = form.part(f"attachment{n}")
        if part is None:
            continue
        meta = info.get(f"attachment{n}")
        meta = meta if isinstance(meta, dict) else {}
        found.append(
            Attachment(
                data=part.data,
                filename=meta.get("filename") or part.filename,
                content_type=meta.get("type") or part.content_type,
                content_id=meta.get("content-id"),
            )
        )
    return found


def _envelope(form: FormFields) -> Envelope:
    data = _json_object(form, "envelope")
    rcpt = data.get("to")
    return Envelope(
        mail_from=data.get("from") if isinstance(data.get("from"), str) else None,
        rcpt_to=tuple(str(r) for r in rcpt) if isinstance(rcpt, list) else (),
    )


def _json_object(form: FormFields, name: str) -> dict[str, Any]:
    text = form.text(name)
    if not text:
        return {}
    try:
        value = json.loads(text)
    except json.JSONDecodeError as exc:
        raise Unprocessable(f"{name} is not JSON") from exc
    return value if isinstance(value, dict) else {}
