"""Postmark, Mailgun, SendGrid and SES webhooks in their real payload formats."""

from __future__ import annotations

import json
import time
from email import message_from_bytes, policy
from email.message import EmailMessage

import pytest
from fastapi.testclient import TestClient

from app.intake.deps import RAW_MESSAGE_FETCHER
from app.intake.providers.ses import RawMessageUnavailable
from app.intake.tables import MessageStatus

from .conftest import ClientFactory
from .payloads import (
    HTML,
    PDF,
    TEXT,
    admin_headers,
    context_of,
    jobs,
    mailgun_fields,
    messages,
    po_email,
    postmark_payload,
    raw_of,
    sns_notification,
    sns_s3_notification,
    sns_subscription,
    tokens,
)

MAILGUN_KEY = "key-3ax6xnjp29jd6fds4gc373sgvjxteol0"
TOPIC = "arn:aws:sns:eu-west-1:123456789012:po-inbox"


def _parsed(client: TestClient, message_id: str) -> EmailMessage:
    msg = message_from_bytes(raw_of(context_of(client), message_id), policy=policy.default)
    assert isinstance(msg, EmailMessage)
    return msg


def _assert_po(msg: EmailMessage) -> None:
    """The rebuilt message carries the order as the buyer sent it."""
    assert msg["Subject"] == "PO 4711 \u2013 widgets"
    assert msg["From"].addresses[0].addr_spec == "buyer@acme-industrial.com"
    assert msg["From"].addresses[0].display_name == "J\u00f6rg Buyer"
    text = msg.get_body(("plain",))
    html = msg.get_body(("html",))
    assert text is not None and _lines(text.get_content()) == TEXT
    assert html is not None and _lines(html.get_content()) == HTML
    [pdf] = list(msg.iter_attachments())
    assert pdf.get_filename() == "PO-4711.pdf" and pdf.get_content_type() == "application/pdf"
    assert pdf.get_content() == PDF


def _lines(content: str) -> str:
    return content.replace("\r\n", "\n").rstrip("\n")


# --- Postmark ---------------------------------------------------------------------------------


def test_postmark_rebuilds_the_message_with_its_real_message_id(client: TestClient) -> None:
    response = client.post("/v1/intake/postmark", json=postmark_payload())
    assert response.status_code == 202, response.text
    [row] = messages(context_of(client))
    assert row.source == "postmark"
    assert row.provider_event_id == "73e6d360-66eb-11e1-8e72-a8904824019b"
    assert row.dedup_key == "mid:PO-4711.ab12@mail.acme-industrial.com"
    assert row.envelope_to == ["orders+abc@inbound.postmarkapp.com"]
    msg = _parsed(client, row.id)
    _assert_po(msg)
    assert msg["Message-ID"] == "<PO-4711.ab12@mail.acme-industrial.com>"
    assert msg["In-Reply-To"] == "<quote-99@example-supplier.com>"
    assert msg["Date"].datetime.utcoffset().total_seconds() == 3600  # "+01:00" kept as +0100
    assert msg["X-Spam-Status"] == "No" and "mx.example.net" in msg["Received"]


def test_postmark_same_message_twice_is_a_duplicate(client: TestClient) -> None:
    first = client.post("/v1/intake/postmark", json=postmark_payload()).json()
    # the same email also delivered raw: one message
    raw = client.post(
        "/v1/intake/messages", content=po_email(), headers={"Content-Type": "message/rfc822"}
    ).json()
    assert raw == {"id": first["id"], "duplicate": True, "status": "received"}


def test_postmark_basic_auth_and_ip_allowlist(make_client: ClientFactory) -> None:
    client = make_client(
        postmark_user="postmark",
        postmark_password="hook-pass-123",
        postmark_allow_ips=["3.134.147.250", "10.0.0.0/8"],
    )
    payload = postmark_payload()
    assert client.post("/v1/intake/postmark", json=payload).status_code == 403  # "testclient"
    app = client.app
    inside = TestClient(app, client=("10.1.2.3", 40000))
    assert inside.post("/v1/intake/postmark", json=payload).status_code == 401
    assert (
        inside.post("/v1/intake/postmark", json=payload, auth=("postmark", "wrong")).status_code
        == 401
    )
    ok = inside.post("/v1/intake/postmark", json=payload, auth=("postmark", "hook-pass-123"))
    assert ok.status_code == 202
    assert len(messages(context_of(client))) == 1


def test_postmark_malformed_payload(client: TestClient) -> None:
    response = client.post("/v1/intake/postmark", json={"Headers": "not a list"})
    assert response.status_code == 422
    assert response.json()["error"]["code"] == "unprocessable"


# --- Mailgun ----------------------------------------------------------------------------------


@pytest.fixture(params=["sqlite", "postgresql"])
def mailgun(request: pytest.FixtureRequest) -> TestClient:
    """Replay protection is a database insert, so it runs on both databases."""
    factory_name = "make_client" if request.param == "sqlite" else "make_pg_client"
    make: ClientFactory = request.getfixturevalue(factory_name)
    return make(mailgun_signing_key=MAILGUN_KEY, webhook_max_age_s=300)


def _files() -> dict[str, tuple[str, bytes, str]]:
    return {"attachment-1": ("PO-4711.pdf", PDF, "application/pdf")}


def test_mailgun_forward_with_valid_signature(mailgun: TestClient) -> None:
    response = mailgun.post("/v1/intake/mailgun", data=mailgun_fields(MAILGUN_KEY), files=_files())
    assert response.status_code == 202, response.text
    ctx = context_of(mailgun)
    [row] = messages(ctx)
    assert row.source == "mailgun" and row.envelope_from == "bounce+x@acme-industrial.com"
    msg = _parsed(mailgun, row.id)
    _assert_po(msg)
    assert msg["Message-Id"] == "<PO-4711.ab12@mail.acme-industrial.com>"
    assert "mxa.mailgun.org" in msg["Received"]
    assert [t.token for t in tokens(ctx)] == ["a" * 50]
    assert len(jobs(ctx)) == 1


def test_mailgun_body_mime_is_stored_byte_for_byte(mailgun: TestClient) -> None:
    raw = po_email().replace(b"Please ship", b"Bitte liefern \xe4\xf6\xfc")  # Latin-1 bytes
    fields = {
        k: v
        for k, v in mailgun_fields(MAILGUN_KEY).items()
        if k in ("recipient", "sender", "from", "subject", "timestamp", "token", "signature")
    }
    parts: dict[str, tuple[None, bytes]] = {k: (None, v.encode()) for k, v in fields.items()}
    parts["body-mime"] = (None, raw)
    response = mailgun.post("/v1/intake/mailgun", files=parts)
    assert response.status_code == 202, response.text
    [row] = messages(context_of(mailgun))
    assert raw_of(context_of(mailgun), row.id) == raw


def test_mailgun_urlencoded_body_mime(mailgun: TestClient) -> None:
    raw = po_email(message_id="<urlenc@x.com>")
    fields = mailgun_fields(MAILGUN_KEY, token="u" * 50)
    response = mailgun.post(
        "/v1/intake/mailgun",
        data={k: fields[k] for k in ("timestamp", "token", "signature", "sender")}
        | {"body-mime": raw.decode()},
    )
    assert response.status_code == 202, response.text
    [row] = messages(context_of(mailgun))
    assert raw_of(context_of(mailgun), row.id) == raw


@pytest.mark.parametrize("change", ["wrong", "missing", "other_key"])
def test_mailgun_bad_signature_is_refused_and_nothing_is_written(
    mailgun: TestClient, change: str
) -> None:
    fields = mailgun_fields("other-key" if change == "other_key" else MAILGUN_KEY)
    if change == "wrong":
        fields["signature"] = "0" * 64
    if change == "missing":
        del fields["signature"]
    response = mailgun.post("/v1/intake/mailgun", data=fields, files=_files())
    assert response.status_code == 401
    assert response.json()["error"]["code"] == "bad_signature"
    ctx = context_of(mailgun)
    assert messages(ctx) == [] and jobs(ctx) == [] and tokens(ctx) == []


def test_mailgun_stale_timestamp_is_refused(mailgun: TestClient) -> None:
    fields = mailgun_fields(MAILGUN_KEY, timestamp=int(time.time()) - 301)
    response = mailgun.post("/v1/intake/mailgun", data=fields, files=_files())
    assert response.status_code == 401
    assert response.json()["error"]["code"] == "stale_signature"
    future = mailgun_fields(MAILGUN_KEY, timestamp=int(time.time()) + 3600)
    assert mailgun.post("/v1/intake/mailgun", data=future).status_code == 401
    assert messages(context_of(mailgun)) == [] and tokens(context_of(mailgun)) == []


def test_mailgun_replayed_token_is_refused(mailgun: TestClient) -> None:
    fields = mailgun_fields(MAILGUN_KEY)
    assert mailgun.post("/v1/intake/mailgun", data=fields, files=_files()).status_code == 202
    # a captured signature reused for another body: the signature does not cover the body
    forged = {
        **fields,
        "message-headers": json.dumps(
            [["Message-Id", "<forged@evil.test>"], ["From", "ceo@acme-industrial.com"]]
        ),
    }
    replay = mailgun.post("/v1/intake/mailgun", data=forged)
    assert replay.status_code == 409
    assert replay.json()["error"]["code"] == "replayed"
    ctx = context_of(mailgun)
    assert len(messages(ctx)) == 1 and len(jobs(ctx)) == 1 and len(tokens(ctx)) == 1


def test_mailgun_without_signing_key_falls_back_to_the_intake_token(
    make_client: ClientFactory,
) -> None:
    client = make_client(intake_token="tok-123456")
    fields = mailgun_fields("unused")
    assert client.post("/v1/intake/mailgun", data=fields).status_code == 401
    assert client.post("/v1/intake/mailgun?token=tok-123456", data=fields).status_code == 202


# --- SendGrid ---------------------------------------------------------------------------------


def test_sendgrid_raw_email_is_stored_byte_for_byte(make_client: ClientFactory) -> None:
    client = make_client(sendgrid_token="sg-hook-token")
    raw = po_email().replace(b"Please ship", b"Bitte liefern \xe4\xf6\xfc")
    form = {
        "email": (None, raw),
        "to": (None, b"orders@parse.example-supplier.com"),
        "from": (None, b"buyer@acme-industrial.com"),
        "envelope": (
            None,
            json.dumps(
                {"to": ["orders@parse.example-supplier.com"], "from": "buyer@acme-industrial.com"}
            ).encode(),
        ),
        "charsets": (None, b'{"to":"UTF-8","from":"UTF-8","subject":"UTF-8"}'),
        "SPF": (None, b"pass"),
        "sender_ip": (None, b"203.0.113.5"),
    }
    assert client.post("/v1/intake/sendgrid", files=form).status_code == 401
    response = client.post("/v1/intake/sendgrid?token=sg-hook-token", files=form)
    assert response.status_code == 202, response.text
    [row] = messages(context_of(client))
    assert row.source == "sendgrid" and row.envelope_from == "buyer@acme-industrial.com"
    assert row.envelope_to == ["orders@parse.example-supplier.com"]
    assert raw_of(context_of(client), row.id) == raw


def test_sendgrid_parsed_fields_are_rebuilt(client: TestClient) -> None:
    headers = (
        "Received: by mx0047p1mdw1.sendgrid.net with SMTP id 6WCVv7KAWn\n"
        "MIME-Version: 1.0\n"
        "From: =?UTF-8?Q?J=C3=B6rg_Buyer?= <buyer@acme-industrial.com>\n"
        "Date: Tue, 17 Nov 2026 09:12:44 +0100\n"
        "Message-ID: <PO-4711.ab12@mail.acme-industrial.com>\n"
        "Subject: =?UTF-8?Q?PO_4711_=E2=80=93_widgets?=\n"
        "To: orders@parse.example-supplier.com\n"
        'Content-Type: multipart/mixed; boundary="000000000000abc"\n'
    )
    form: dict[str, tuple[str | None, bytes] | tuple[str, bytes, str]] = {
        "headers": (None, headers.encode()),
        "text": (None, TEXT.encode("iso-8859-1")),  # declared in charsets below
        "html": (None, HTML.encode()),
        "from": (None, "J\u00f6rg Buyer <buyer@acme-industrial.com>".encode()),
        "to": (None, b"orders@parse.example-supplier.com"),
        "subject": (None, "PO 4711 \u2013 widgets".encode()),
        "charsets": (
            None,
            b'{"to":"UTF-8","html":"UTF-8","subject":"UTF-8","from":"UTF-8","text":"iso-8859-1"}',
        ),
        "attachments": (None, b"1"),
        "attachment-info": (
            None,
            b'{"attachment1":{"filename":"PO-4711.pdf",'
            b'"name":"PO-4711.pdf","type":"application/pdf"}}',
        ),
        "attachment1": ("PO-4711.pdf", PDF, "application/pdf"),
        "envelope": (
            None,
            b'{"to":["orders@parse.example-supplier.com"],"from":"buyer@acme-industrial.com"}',
        ),
    }
    response = client.post("/v1/intake/sendgrid", files=form)
    assert response.status_code == 202, response.text
    [row] = messages(context_of(client))
    assert row.dedup_key == "mid:PO-4711.ab12@mail.acme-industrial.com"
    msg = _parsed(client, row.id)
    _assert_po(msg)
    assert "sendgrid.net" in msg["Received"]


def test_sendgrid_raw_field_over_one_megabyte(make_client: ClientFactory) -> None:
    """Starlette's default max_part_size (1 MB) must not cap a raw message field."""
    client = make_client(max_message_bytes=4 * 1024 * 1024)
    raw = po_email() + b"\r\n" + b"A" * (1536 * 1024)
    response = client.post("/v1/intake/sendgrid", files={"email": (None, raw)})
    assert response.status_code == 202, response.text
    [row] = messages(context_of(client))
    assert row.size_bytes == len(raw)


# --- SES through SNS --------------------------------------------------------------------------


def test_ses_inline_content(make_client: ClientFactory) -> None:
    client = make_client(ses_topic_arns=[TOPIC])
    raw = po_email()
    response = client.post(
        "/v1/intake/ses",
        content=json.dumps(sns_notification(raw)),
        headers={
            "Content-Type": "text/plain; charset=UTF-8",
            "x-amz-sns-message-type": "Notification",
        },
    )
    assert response.status_code == 202, response.text
    [row] = messages(context_of(client))
    assert row.source == "ses" and row.provider_event_id == "5f1e6c70-7d1f-5d7b-9e0a-6b8a1c2d3e4f"
    assert row.envelope_from == "buyer@acme-industrial.com"
    assert raw_of(context_of(client), row.id) == raw
    assert len(jobs(context_of(client))) == 1


def test_ses_topic_allowlist(make_client: ClientFactory) -> None:
    client = make_client(ses_topic_arns=[TOPIC])
    other = sns_notification(po_email(), topic="arn:aws:sns:us-east-1:999999999999:evil")
    response = client.post("/v1/intake/ses", json=other)
    assert response.status_code == 403
    assert response.json()["error"]["code"] == "topic_not_allowed"
    assert messages(context_of(client)) == []


def test_ses_s3_action_is_quarantined_without_a_fetcher(client: TestClient) -> None:
    response = client.post("/v1/intake/ses", json=sns_s3_notification())
    assert response.status_code == 202
    [row] = messages(context_of(client))
    assert row.status == MessageStatus.QUARANTINED
    assert row.quarantine_reason == "s3_fetch_unavailable: po-inbox/in/o3tnp8bb8l2"
    assert row.dedup_key == "mid:big-po@acme-industrial.com" and row.subject == "PO with drawings"
    assert jobs(context_of(client)) == []  # nothing to process until the bytes are here
    listed = client.get("/v1/admin/quarantine", headers=admin_headers(client)).json()["items"]
    assert [m["id"] for m in listed] == [row.id]


class _Bucket:
    def __init__(self, objects: dict[tuple[str, str], bytes]) -> None:
        self.objects = objects

    def fetch(self, *, bucket: str, key: str) -> bytes:
        try:
            return self.objects[(bucket, key)]
        except KeyError:
            raise RawMessageUnavailable(f"{bucket}/{key}") from None


def test_ses_s3_action_with_a_fetcher(client: TestClient) -> None:
    raw = po_email(message_id="<big-po@acme-industrial.com>")
    context_of(client).extras[RAW_MESSAGE_FETCHER] = _Bucket({("po-inbox", "in/o3tnp8bb8l2"): raw})
    response = client.post("/v1/intake/ses", json=sns_s3_notification())
    assert response.status_code == 202
    [row] = messages(context_of(client))
    assert row.status == MessageStatus.RECEIVED and raw_of(context_of(client), row.id) == raw
    context_of(client).extras[RAW_MESSAGE_FETCHER] = _Bucket({})
    other = sns_s3_notification()
    other["Message"] = other["Message"].replace("big-po@", "other-po@")
    missing = client.post("/v1/intake/ses", json=other)
    assert missing.status_code == 503 and missing.json()["error"]["code"] == "unavailable"


def test_sns_subscription_confirmation_is_stored_not_followed(client: TestClient) -> None:
    response = client.post("/v1/intake/ses", json=sns_subscription())
    assert response.status_code == 200
    body = response.json()
    assert "SubscribeURL" in body["note"] and body["duplicate"] is False
    [row] = messages(context_of(client))
    assert row.status == MessageStatus.QUARANTINED
    assert (row.quarantine_reason or "").startswith("sns_subscription_confirmation: https://sns.")
    assert jobs(context_of(client)) == []


def test_ses_utf8_encoding_and_bad_payloads(client: TestClient) -> None:
    raw = po_email(message_id="<utf8@x.com>")
    note = sns_notification(raw)
    ses = json.loads(note["Message"])
    ses["receipt"]["action"]["encoding"] = "UTF8"
    ses["content"] = raw.decode()
    note["Message"] = json.dumps(ses)
    assert client.post("/v1/intake/ses", json=note).status_code == 202
    assert client.post("/v1/intake/ses", content=b"{not json").status_code == 422
    assert client.post("/v1/intake/ses", json={**note, "Message": "[]"}).status_code == 422
