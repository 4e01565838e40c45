"""Twenty deliveries of one message at once: one row, one job, nineteen duplicates."""

from __future__ import annotations

import threading
from collections.abc import Iterator

import httpx
import pytest
from fastapi import FastAPI

from app.core.context import AppContext
from app.main import create_app
from tests.support import errors_in_threads

from .conftest import ClientFactory
from .payloads import context_of, jobs, messages, po_email, postmark_payload
from .server import serve

DELIVERIES = 20
RFC822 = {"Content-Type": "message/rfc822"}


def _post_all_at_once(base: str, n: int) -> list[httpx.Response]:
    start = threading.Barrier(n)
    results: list[httpx.Response] = []
    lock = threading.Lock()

    def deliver(i: int) -> None:
        with httpx.Client(base_url=base, timeout=60) as http:
            start.wait()
            if i % 2:  # the same email, raw and through Postmark
                r = http.post(
                    "/v1/intake/messages",
                    content=po_email(),
                    headers={"Content-Type": "message/rfc822"},
                )
            else:
                r = http.post("/v1/intake/postmark", json=postmark_payload())
        with lock:
            results.append(r)

    threads = [threading.Thread(target=deliver, args=(i,)) for i in range(n)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(120)
    return results


def _check(ctx: AppContext, results: list[httpx.Response]) -> None:
    assert [r.status_code for r in results] == [202] * DELIVERIES, [r.text for r in results]
    bodies = [r.json() for r in results]
    assert len({b["id"] for b in bodies}) == 1
    assert sorted(b["duplicate"] for b in bodies) == [False] + [True] * (DELIVERIES - 1)
    assert len(messages(ctx)) == 1
    [job] = jobs(ctx)
    assert job.payload == {"message_id": bodies[0]["id"]}


@pytest.fixture
def served_sqlite(make_client: ClientFactory) -> Iterator[tuple[str, AppContext]]:
    client = make_client()
    app: FastAPI = client.app  # type: ignore[assignment]
    with serve(app) as (host, port):
        yield f"http://{host}:{port}", context_of(client)


def test_concurrent_deliveries_sqlite_file(served_sqlite: tuple[str, AppContext]) -> None:
    base, ctx = served_sqlite
    _check(ctx, _post_all_at_once(base, DELIVERIES))


def test_more_senders_than_worker_threads_are_all_stored(
    served_sqlite: tuple[str, AppContext],
) -> None:
    """70 distinct messages at once, more than the server's 40 worker threads. A request must
    never hold SQLite's write lock while it waits for a thread: before the fix, requests
    queued on the lock took every thread and the holder could not finish (503s after the
    30 s busy timeout). The client gives up at 20 s."""
    base, ctx = served_sqlite
    n = 70
    start = threading.Barrier(n)
    statuses: list[int] = []
    lock = threading.Lock()

    def deliver(i: int) -> None:
        raw = po_email(message_id=f"<many-{i}@acme.example>", sender=f"b{i}@acme.example")
        with httpx.Client(base_url=base, timeout=20) as http:
            start.wait()
            r = http.post("/v1/intake/messages", content=raw, headers=RFC822)
        with lock:
            statuses.append(r.status_code)

    assert errors_in_threads(deliver, n) == []
    assert statuses == [202] * n
    assert len(messages(ctx)) == n and len(jobs(ctx)) == n


@pytest.mark.postgres
def test_concurrent_deliveries_postgres(pg_ctx: AppContext) -> None:
    app = create_app(pg_ctx.settings, context=pg_ctx, migrate=False, start_worker=False)
    with serve(app) as (host, port):
        results = _post_all_at_once(f"http://{host}:{port}", DELIVERIES)
    _check(pg_ctx, results)
