"""A GET only reads: on SQLite it answers while another unit of work holds the writer turn."""

from __future__ import annotations

import threading

from fastapi.testclient import TestClient
from sqlalchemy import text

from app.core.context import AppContext
from app.core.db import session_scope

from .factory import bearer, token_for


def test_a_listing_answers_while_a_writer_holds_the_turn(
    api: TestClient, demo_ctx: AppContext
) -> None:
    token = token_for(demo_ctx, "reader")
    writing, done_reading = threading.Event(), threading.Event()
    released_by_reader: list[bool] = []

    def writer() -> None:
        with session_scope(demo_ctx.engine) as session:
            session.execute(text("UPDATE md_version SET version = version"))  # holds the turn
            writing.set()
            released_by_reader.append(done_reading.wait(5))  # False: the read waited for us

    thread = threading.Thread(target=writer)
    thread.start()
    try:
        assert writing.wait(5)
        answer = api.get("/v1/reviews", headers=bearer(token))
    finally:
        done_reading.set()
        thread.join(10)
    assert answer.status_code == 200
    assert released_by_reader == [True]
