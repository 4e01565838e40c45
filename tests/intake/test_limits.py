"""Size limit (413), sender rate limit (429) and database outage (503)."""

from __future__ import annotations

import http.client
from collections.abc import Iterator

from fastapi.testclient import TestClient

from app.main import create_app
from tests.jobs.databases import settings_for

from .conftest import ClientFactory
from .payloads import context_of, messages, po_email
from .server import serve

RFC822 = {"Content-Type": "message/rfc822"}
LIMIT = 64 * 1024


def _chunks(total: int, size: int = 8192) -> Iterator[bytes]:
    sent = 0
    while sent < total:
        n = min(size, total - sent)
        yield b"x" * n
        sent += n


def test_413_from_content_length(make_client: ClientFactory) -> None:
    client = make_client(max_message_bytes=LIMIT)
    response = client.post("/v1/intake/messages", content=b"x" * (LIMIT + 1), headers=RFC822)
    assert response.status_code == 413
    assert response.json()["error"]["code"] == "payload_too_large"
    assert client.post("/v1/intake/messages", content=po_email(), headers=RFC822).status_code == 202


def test_413_while_streaming_a_chunked_body(make_client: ClientFactory) -> None:
    client = make_client(max_message_bytes=LIMIT)
    for path in ("/v1/intake/messages", "/v1/intake/sendgrid", "/v1/intake/ses"):
        response = client.post(path, content=_chunks(LIMIT + 1), headers=RFC822)
        assert response.status_code == 413, path
    assert messages(context_of(client)) == []


def test_413_on_a_real_server(make_client: ClientFactory) -> None:
    client = make_client(max_message_bytes=LIMIT)
    with serve(client.app) as (host, port):  # type: ignore[arg-type]
        # a declared 10 GB body is refused at once, before any of it is read
        conn = http.client.HTTPConnection(host, port, timeout=10)
        conn.putrequest("POST", "/v1/intake/messages")
        conn.putheader("Content-Type", "message/rfc822")
        conn.putheader("Content-Length", str(10 * 1024**3))
        conn.endheaders()
        response = conn.getresponse()
        assert response.status == 413
        assert b"payload_too_large" in response.read()
        conn.close()
        # a chunked body is counted as it streams
        conn = http.client.HTTPConnection(host, port, timeout=10)
        conn.request(
            "POST",
            "/v1/intake/messages",
            body=_chunks(LIMIT + 1),
            headers=RFC822,
            encode_chunked=True,
        )
        response = conn.getresponse()
        assert response.status == 413 and b"payload_too_large" in response.read()
        conn.close()
        conn = http.client.HTTPConnection(host, port, timeout=10)
        conn.request(
            "POST",
            "/v1/intake/messages",
            body=iter([po_email()]),
            headers=RFC822,
            encode_chunked=True,
        )
        assert conn.getresponse().status == 202
        conn.close()


def test_sender_rate_limit(make_client: ClientFactory) -> None:
    client = make_client(sender_rate_per_minute=2)

    def post(n: int, sender: str = "Buyer <buyer@acme-industrial.com>") -> int:
        return client.post(
            "/v1/intake/messages",
            headers=RFC822,
            content=po_email(message_id=f"<rate-{n}-{sender[-5:]}@x.com>", sender=sender),
        ).status_code

    assert [post(1), post(2)] == [202, 202]
    limited = client.post(
        "/v1/intake/messages", headers=RFC822, content=po_email(message_id="<rate-3@x.com>")
    )
    assert limited.status_code == 429 and limited.json()["error"]["code"] == "rate_limited"
    assert post(1) == 202  # a duplicate is answered, not counted
    assert post(4, sender="other@else.example") == 202
    assert len(messages(context_of(client))) == 3


def test_503_when_the_database_is_down() -> None:
    settings = settings_for("postgresql+psycopg://postgres@127.0.0.1:1/nowhere")
    with TestClient(create_app(settings, migrate=False, start_worker=False)) as client:
        response = client.post("/v1/intake/messages", content=po_email(), headers=RFC822)
    assert response.status_code == 503
    assert response.json()["error"]["code"] == "unavailable"
