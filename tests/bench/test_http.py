"""`intake bench http` against `intake serve --workers 2`: two HTTP processes on one SQLite
file, each with its own group commit, taking write turns through the file beside it."""

from __future__ import annotations

from app.bench import http


def test_two_server_processes_store_every_message_exactly_once() -> None:
    result = http.run(n=300, concurrency=30, processes=2, warmup=30)
    assert result["status_202"] == 300 and result["other_status"] == []
    assert result["rows"] == 330 and result["stored_exactly_once"]


def test_with_the_embedded_worker_on_every_message_is_still_stored_once() -> None:
    """The timed load starts once the worker has routed a draft (run() raises otherwise)."""
    result = http.run(n=150, concurrency=20, warmup=30, worker=True)
    assert result["embedded_worker"] and result["status_202"] == 150
    assert result["rows"] == 180 and result["stored_exactly_once"]
    assert 1 <= result["picked_up_by_worker"] <= 180
