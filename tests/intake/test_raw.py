"""POST /v1/intake/messages (message/rfc822) and the admin quarantine list."""

from __future__ import annotations

import hashlib
from email import message_from_bytes, policy
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from app.core.db import session_scope
from app.intake import service
from app.intake.message_headers import normalise_message_id
from app.intake.tables import MessageStatus
from app.jobs.tables import JobStatus
from tests.jobs.databases import make_context, settings_for, sqlite_url

from .conftest import ClientFactory
from .payloads import admin_headers, context_of, jobs, messages, po_email, raw_of

RFC822 = {"Content-Type": "message/rfc822"}


def test_stores_raw_message_row_and_job(client: TestClient) -> None:
    raw = po_email()
    response = client.post("/v1/intake/messages", content=raw, headers=RFC822)
    assert response.status_code == 202, response.text
    body = response.json()
    assert body["duplicate"] is False and body["status"] == "received"
    ctx = context_of(client)
    [row] = messages(ctx)
    assert row.id == body["id"]
    assert row.source == "rfc822" and row.status == MessageStatus.RECEIVED
    assert row.message_id_norm == "PO-4711.ab12@mail.acme-industrial.com"
    assert row.dedup_key == "mid:PO-4711.ab12@mail.acme-industrial.com"
    assert row.sender == "buyer@acme-industrial.com"
    assert row.subject == "PO 4711 \u2013 widgets"
    assert row.size_bytes == len(raw) and row.received_at.tzinfo is not None
    assert row.trace_id and len(row.trace_id) == 32 and row.span_id and len(row.span_id) == 16
    assert raw_of(ctx, row.id) == raw
    [job] = jobs(ctx)
    assert (job.kind, job.payload, job.key, job.status) == (
        "process_message",
        {"message_id": row.id},
        row.id,
        JobStatus.QUEUED,
    )
    assert job.trace_id == row.trace_id


def test_same_message_id_is_a_duplicate(client: TestClient) -> None:
    first = client.post("/v1/intake/messages", content=po_email(), headers=RFC822).json()
    # same Message-ID, other spelling of the domain and different bytes: still the same message
    again = client.post(
        "/v1/intake/messages",
        headers=RFC822,
        content=po_email(
            message_id="  <PO-4711.ab12@mail.ACME-industrial.com>", subject="PO 4711 (resent)"
        ),
    )
    assert again.status_code == 202
    assert again.json() == {"id": first["id"], "duplicate": True, "status": "received"}
    ctx = context_of(client)
    assert len(messages(ctx)) == 1 and len(jobs(ctx)) == 1


def test_without_message_id_the_bytes_decide(client: TestClient) -> None:
    raw = po_email(message_id="")
    first = client.post("/v1/intake/messages", content=raw, headers=RFC822).json()
    again = client.post("/v1/intake/messages", content=raw, headers=RFC822).json()
    assert again == {**first, "duplicate": True}
    [row] = messages(context_of(client))
    assert row.dedup_key == f"sha256:{hashlib.sha256(raw).hexdigest()}"


def test_unreadable_bytes_are_still_stored(client: TestClient) -> None:
    response = client.post(
        "/v1/intake/messages", content=b"\x00\xff\xfe not mail at all\x80", headers=RFC822
    )
    assert response.status_code == 202
    [row] = messages(context_of(client))
    assert row.sender is None and row.message_id_norm is None
    assert len(jobs(context_of(client))) == 1  # the worker decides it is unreadable


def test_wrong_content_type_and_empty_body(client: TestClient) -> None:
    wrong = client.post(
        "/v1/intake/messages", content=po_email(), headers={"Content-Type": "text/plain"}
    )
    assert wrong.status_code == 415 and wrong.json()["error"]["code"] == "unsupported_media_type"
    empty = client.post("/v1/intake/messages", content=b"", headers=RFC822)
    assert empty.status_code == 422
    assert messages(context_of(client)) == []


def test_bearer_token_when_configured(make_client: ClientFactory) -> None:
    client = make_client(intake_token="s3cret-intake-token")
    missing = client.post("/v1/intake/messages", content=po_email(), headers=RFC822)
    wrong = client.post(
        "/v1/intake/messages",
        content=po_email(),
        headers={**RFC822, "Authorization": "Bearer nope"},
    )
    assert missing.status_code == wrong.status_code == 401
    assert missing.json()["error"]["code"] == "unauthorized"
    ok = client.post(
        "/v1/intake/messages",
        content=po_email(),
        headers={**RFC822, "Authorization": "Bearer s3cret-intake-token"},
    )
    assert ok.status_code == 202
    assert client.get("/v1/admin/quarantine").status_code == 401
    intake_only = client.get(
        "/v1/admin/quarantine", headers={"Authorization": "Bearer s3cret-intake-token"}
    )
    assert intake_only.status_code == 403, "the intake credential is not an admin"


def test_quarantine_list(client: TestClient) -> None:
    ids = [
        client.post(
            "/v1/intake/messages", headers=RFC822, content=po_email(message_id=f"<m{n}@x.com>")
        ).json()["id"]
        for n in range(3)
    ]
    ctx = context_of(client)
    with session_scope(ctx.engine) as s:
        service.quarantine(s, ids[0], "unreadable: no MIME structure")
        service.quarantine(s, ids[2], "sender_unknown")
    admin = admin_headers(client)
    listed = client.get("/v1/admin/quarantine", params={"limit": 10}, headers=admin).json()
    assert {m["id"]: m["quarantine_reason"] for m in listed["items"]} == {
        ids[0]: "unreadable: no MIME structure",
        ids[2]: "sender_unknown",
    }
    assert all(m["status"] == "quarantined" for m in listed["items"])
    assert client.get("/v1/admin/quarantine", params={"limit": 0}, headers=admin).status_code == 422


def test_normalise_message_id() -> None:
    assert normalise_message_id(" <Ab.C@Mail.EXAMPLE.com>\r\n ") == "Ab.C@mail.example.com"
    assert normalise_message_id("<a@b> (comment)") == "a@b"
    assert normalise_message_id("no-at-sign") == "no-at-sign"
    assert normalise_message_id("<>") is None and normalise_message_id(None) is None


def test_raw_bytes_parse_back(client: TestClient) -> None:
    raw = po_email()
    message_id = client.post("/v1/intake/messages", content=raw, headers=RFC822).json()["id"]
    with session_scope(context_of(client).engine) as s:
        stored = service.load_raw(s, message_id)
    parsed = message_from_bytes(stored, policy=policy.default)
    assert parsed["Subject"] == "PO 4711 \u2013 widgets"


def test_cli_ingest(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    from app.cli import main

    ctx = make_context(settings_for(sqlite_url(tmp_path)))
    eml = tmp_path / "po.eml"
    eml.write_bytes(po_email())
    url = sqlite_url(tmp_path)
    assert main(["ingest", "--no-wait", str(eml), str(eml), "--database-url", url]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert [line.split("\t")[2] for line in lines] == ["stored", "duplicate"]
    [row] = messages(ctx)
    assert row.source == "cli" and len(jobs(ctx)) == 1
    assert main(["ingest", "--no-wait", str(tmp_path / "nope.eml"), "--database-url", url]) == 2
    ctx.engine.dispose()
