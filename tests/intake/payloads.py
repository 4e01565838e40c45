"""Realistic webhook payloads of each provider, built around one purchase order email."""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import time
from email import policy
from email.message import EmailMessage
from typing import Any

from fastapi.testclient import TestClient
from sqlalchemy import text
from sqlmodel import Session, select

from app.core.context import AppContext
from app.intake.tables import InboundMessage, MailgunTokenSeen, RawMessage
from app.jobs.tables import Job

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
TEXT = "Please ship 12 x WIDGET-40 at 4.50 EUR.\nGr\u00fc\u00dfe, J\u00f6rg"
HTML = "<p>Please ship <b>12 x WIDGET-40</b> at 4.50 EUR.</p>"


def po_email(
    message_id: str = "<PO-4711.ab12@Mail.Acme-Industrial.COM>",
    sender: str = "J\u00f6rg Buyer <Buyer@Acme-Industrial.com>",
    subject: str = "PO 4711 \u2013 widgets",
) -> bytes:
    msg = EmailMessage(policy=policy.SMTP)
    msg["From"] = sender
    msg["To"] = "orders@example-supplier.com"
    msg["Subject"] = subject
    msg["Date"] = "Tue, 17 Nov 2026 09:12:44 +0100"
    if message_id:
        msg["Message-ID"] = message_id
    msg.set_content(TEXT)
    msg.add_alternative(HTML, subtype="html")
    msg.add_attachment(PDF, maintype="application", subtype="pdf", filename="PO-4711.pdf")
    return msg.as_bytes()


def postmark_payload(message_id: str = "<PO-4711.ab12@mail.acme-industrial.com>") -> dict[str, Any]:
    return {
        "FromName": "J\u00f6rg Buyer",
        "MessageStream": "inbound",
        "From": "buyer@acme-industrial.com",
        "FromFull": {
            "Email": "buyer@acme-industrial.com",
            "Name": "J\u00f6rg Buyer",
            "MailboxHash": "",
        },
        "To": '"Orders" <orders+abc@inbound.postmarkapp.com>',
        "ToFull": [
            {"Email": "orders+abc@inbound.postmarkapp.com", "Name": "Orders", "MailboxHash": "abc"}
        ],
        "Cc": "",
        "CcFull": [],
        "Bcc": "",
        "BccFull": [],
        "OriginalRecipient": "orders+abc@inbound.postmarkapp.com",
        "Subject": "PO 4711 \u2013 widgets",
        "MessageID": "73e6d360-66eb-11e1-8e72-a8904824019b",
        "ReplyTo": "",
        "MailboxHash": "abc",
        "Date": "Tue, 17 Nov 2026 09:12:44 +01:00",
        "TextBody": TEXT,
        "HtmlBody": HTML,
        "StrippedTextReply": "",
        "Tag": "",
        "Headers": [
            {"Name": "X-Spam-Checker-Version", "Value": "SpamAssassin 3.3.1 (2010-03-16)"},
            {"Name": "X-Spam-Status", "Value": "No"},
            {
                "Name": "Received",
                "Value": "by mx.example.net with SMTP id x12; "
                "Tue, 17 Nov 2026 00:12:45 -0800 (PST)",
            },
            {"Name": "MIME-Version", "Value": "1.0"},
            {"Name": "Message-ID", "Value": message_id},
            {"Name": "In-Reply-To", "Value": "<quote-99@example-supplier.com>"},
        ],
        "Attachments": [
            {
                "Name": "PO-4711.pdf",
                "Content": base64.b64encode(PDF).decode(),
                "ContentType": "application/pdf",
                "ContentLength": len(PDF),
                "ContentID": "",
            }
        ],
    }


def mailgun_signature(key: str, timestamp: str, token: str) -> str:
    return hmac.new(key.encode(), f"{timestamp}{token}".encode(), hashlib.sha256).hexdigest()


def mailgun_fields(
    key: str,
    *,
    token: str = "a" * 50,
    timestamp: int | None = None,
    message_id: str = "<PO-4711.ab12@mail.acme-industrial.com>",
) -> dict[str, str]:
    ts = str(int(time.time()) if timestamp is None else timestamp)
    headers = [
        ["Received", "from mail.acme-industrial.com by mxa.mailgun.org"],
        ["Mime-Version", "1.0"],
        ["Content-Type", 'multipart/mixed; boundary="xyz"'],
        ["From", "J\u00f6rg Buyer <buyer@acme-industrial.com>"],
        ["To", "orders@mg.example-supplier.com"],
        ["Subject", "PO 4711 \u2013 widgets"],
        ["Date", "Tue, 17 Nov 2026 09:12:44 +0100"],
        ["Message-Id", message_id],
    ]
    return {
        "recipient": "orders@mg.example-supplier.com",
        "sender": "bounce+x@acme-industrial.com",
        "from": "J\u00f6rg Buyer <buyer@acme-industrial.com>",
        "subject": "PO 4711 \u2013 widgets",
        "body-plain": TEXT,
        "stripped-text": TEXT,
        "body-html": HTML,
        "message-headers": json.dumps(headers),
        "attachment-count": "1",
        "timestamp": ts,
        "token": token,
        "signature": mailgun_signature(key, ts, token),
    }


def sns_notification(
    raw: bytes,
    *,
    topic: str = "arn:aws:sns:eu-west-1:123456789012:po-inbox",
    sns_id: str = "5f1e6c70-7d1f-5d7b-9e0a-6b8a1c2d3e4f",
) -> dict[str, Any]:
    ses = {
        "notificationType": "Received",
        "mail": {
            "timestamp": "2026-11-17T08:12:45.000Z",
            "source": "buyer@acme-industrial.com",
            "messageId": "o3tnp8bb8l2mf4f2lbdvshuq5mkfc5kt5fagbbo1",
            "destination": ["orders@example-supplier.com"],
            "headersTruncated": False,
            "commonHeaders": {
                "from": ["J\u00f6rg Buyer <buyer@acme-industrial.com>"],
                "to": ["orders@example-supplier.com"],
                "messageId": "<PO-4711.ab12@mail.acme-industrial.com>",
                "subject": "PO 4711",
            },
        },
        "receipt": {
            "timestamp": "2026-11-17T08:12:45.000Z",
            "processingTimeMillis": 420,
            "recipients": ["orders@example-supplier.com"],
            "spamVerdict": {"status": "PASS"},
            "virusVerdict": {"status": "PASS"},
            "action": {"type": "SNS", "topicArn": topic, "encoding": "BASE64"},
        },
        "content": base64.b64encode(raw).decode(),
    }
    return _sns("Notification", json.dumps(ses), topic=topic, sns_id=sns_id)


def sns_s3_notification(
    *, topic: str = "arn:aws:sns:eu-west-1:123456789012:po-inbox"
) -> dict[str, Any]:
    ses = {
        "notificationType": "Received",
        "mail": {
            "source": "buyer@acme-industrial.com",
            "destination": ["orders@x.com"],
            "commonHeaders": {
                "from": ["buyer@acme-industrial.com"],
                "messageId": "<big-po@acme-industrial.com>",
                "subject": "PO with drawings",
            },
        },
        "receipt": {
            "action": {
                "type": "S3",
                "topicArn": topic,
                "bucketName": "po-inbox",
                "objectKeyPrefix": "in/",
                "objectKey": "in/o3tnp8bb8l2",
            }
        },
    }
    return _sns(
        "Notification", json.dumps(ses), topic=topic, sns_id="0d6b6f8e-0000-4000-8000-00000000s3s3"
    )


def sns_subscription(topic: str = "arn:aws:sns:eu-west-1:123456789012:po-inbox") -> dict[str, Any]:
    body = _sns(
        "SubscriptionConfirmation",
        "You have chosen to subscribe to the topic.",
        topic=topic,
        sns_id="165545c9-2a5c-472c-8df2-7ff2be2b3b1b",
    )
    body["Token"] = "2336412f37f"
    body["SubscribeURL"] = (
        "https://sns.eu-west-1.amazonaws.com/?Action=ConfirmSubscription"
        f"&TopicArn={topic}&Token=2336412f37f"
    )
    return body


def _sns(kind: str, message: str, *, topic: str, sns_id: str) -> dict[str, Any]:
    return {
        "Type": kind,
        "MessageId": sns_id,
        "TopicArn": topic,
        "Subject": "Amazon SES Email Receipt Notification",
        "Message": message,
        "Timestamp": "2026-11-17T08:12:45.123Z",
        "SignatureVersion": "1",
        "Signature": "EXAMPLEpH+..",
        "SigningCertURL": "https://sns.eu-west-1.amazonaws.com/SimpleNotificationService-x.pem",
        "UnsubscribeURL": "https://sns.eu-west-1.amazonaws.com/?Action=Unsubscribe",
    }


def context_of(client: TestClient) -> AppContext:
    ctx: AppContext = client.app.state.context  # type: ignore[attr-defined]
    return ctx


def messages(ctx: AppContext) -> list[InboundMessage]:
    with Session(ctx.engine) as s:
        return list(s.exec(select(InboundMessage)))


def jobs(ctx: AppContext) -> list[Job]:
    """The queued jobs: the jobs table on SQLite, procrastinate's queue on PostgreSQL."""
    with Session(ctx.engine) as s:
        if ctx.engine.dialect.name != "postgresql":
            return list(s.exec(select(Job)))
        rows = s.execute(text("SELECT id, args FROM procrastinate_jobs ORDER BY id")).all()
    return [
        Job(
            id=str(job_id),
            kind=str(args["kind"]),
            key=args.get("key"),
            payload=dict(args.get("payload") or {}),
        )
        for job_id, args in rows
    ]


def tokens(ctx: AppContext) -> list[MailgunTokenSeen]:
    with Session(ctx.engine) as s:
        return list(s.exec(select(MailgunTokenSeen)))


def raw_of(ctx: AppContext, message_id: str) -> bytes:
    with Session(ctx.engine) as s:
        row = s.get(RawMessage, message_id)
        assert row is not None
        return row.content


def admin_headers(client: TestClient) -> dict[str, str]:
    """A bearer header of a fresh admin API token in the client's database."""
    from app.auth.service import issue_token
    from app.auth.tables import Role
    from app.core.db import session_scope

    with session_scope(context_of(client).engine) as session:
        token = issue_token(session, name="test-admin", role=Role.ADMIN)
    return {"Authorization": f"Bearer {token}"}
