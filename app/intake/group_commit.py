"""SQLite group commit: one thread stores the messages of every waiting request together.

SQLite has one writer. With a transaction per request, N concurrent senders queue N times
for the lock, and each transaction pays its own BEGIN, statements and COMMIT. Here requests
hand their prepared delivery to a writer thread, which takes everything queued (up to
`max_batch`) and stores it with service.store_many in one transaction: a few statements and
one commit for the whole batch. Each request is answered only after that commit, so a 202
still means durable. If a batch fails for a reason other than the database being
unavailable, its deliveries are retried one per transaction so one bad message cannot fail
the others. The request's span (which lasts its wait and the commit) gets the batch size;
the batch's own SQL is not traced statement by statement.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import queue
import threading
import time
from dataclasses import dataclass

from opentelemetry import trace
from opentelemetry.instrumentation.utils import suppress_instrumentation
from sqlalchemy.engine import Engine

from app.core.db import session_scope, unavailable_on_database_errors
from app.core.errors import TooManyRequests, Unavailable
from app.intake.service import Delivery, Stored, store_many

log = logging.getLogger(__name__)


@dataclass
class _Waiting:
    delivery: Delivery
    loop: asyncio.AbstractEventLoop
    future: asyncio.Future[tuple[Stored, int]]  # the outcome and the size of its batch


class GroupCommitWriter:
    def __init__(
        self,
        engine: Engine,
        *,
        sender_rate_per_minute: int | None,
        max_batch: int = 256,
    ) -> None:
        self.engine = engine
        self.sender_rate_per_minute = sender_rate_per_minute
        self.max_batch = max_batch
        self._queue: queue.SimpleQueue[_Waiting | None] = queue.SimpleQueue()
        self._thread: threading.Thread | None = None
        self._start_lock = threading.Lock()
        self.last_request_at = float("-inf")  # time.monotonic() of the latest store()

    async def store(self, delivery: Delivery) -> Stored:
        """Store one delivery with whatever else is waiting; raises as store_inbound would."""
        self.last_request_at = time.monotonic()
        loop = asyncio.get_running_loop()
        future: asyncio.Future[tuple[Stored, int]] = loop.create_future()
        self._ensure_started()
        self._queue.put(_Waiting(delivery, loop, future))
        (message, duplicate), batch_size = await future
        trace.get_current_span().set_attributes(
            {"intake.batch_size": batch_size, "intake.duplicate": duplicate}
        )
        return message, duplicate

    def busy(self, within_s: float = 0.05) -> bool:
        """Whether a message arrived in the last `within_s` seconds."""
        return time.monotonic() - self.last_request_at < within_s

    def stop(self, timeout_s: float = 30) -> None:
        """Store what is queued, then end the thread."""
        with self._start_lock:
            thread, self._thread = self._thread, None
        if thread is not None:
            self._queue.put(None)
            thread.join(timeout_s)

    def _ensure_started(self) -> None:
        if self._thread is not None:
            return
        with self._start_lock:
            if self._thread is None:
                self._thread = threading.Thread(
                    target=self._run, name="intake-group-commit", daemon=True
                )
                self._thread.start()

    def _run(self) -> None:
        stopping = False
        while not stopping:
            first = self._queue.get()
            if first is None:
                break
            batch = [first]
            while len(batch) < self.max_batch:
                try:
                    item = self._queue.get_nowait()
                except queue.Empty:
                    break
                if item is None:
                    stopping = True
                    break
                batch.append(item)
            self._store(batch)

    def _store(self, batch: list[_Waiting]) -> None:
        try:
            outcomes = self._commit(batch)
        except Unavailable as exc:  # the database is down or locked: every request answers 503
            for waiting in batch:
                _settle(waiting, exc)
            return
        except Exception as exc:
            if len(batch) == 1:
                log.exception("storing an inbound message failed")
                _settle(batch[0], exc)
                return
            log.warning("a group commit of %d messages failed; storing them one by one", len(batch))
            for waiting in batch:
                self._store([waiting])
            return
        for waiting, outcome in zip(batch, outcomes, strict=True):
            _settle(
                waiting, outcome if isinstance(outcome, TooManyRequests) else (outcome, len(batch))
            )

    def _commit(self, batch: list[_Waiting]) -> list[Stored | TooManyRequests]:
        with (
            suppress_instrumentation(),  # one request's trace is no place for everyone's SQL
            unavailable_on_database_errors(),
            session_scope(self.engine) as session,
        ):
            return store_many(
                session,
                [w.delivery for w in batch],
                sender_rate_per_minute=self.sender_rate_per_minute,
            )


def _settle(waiting: _Waiting, outcome: tuple[Stored, int] | BaseException) -> None:
    def settle() -> None:
        if waiting.future.done():  # the request went away; its message is stored anyway
            return
        if isinstance(outcome, BaseException):
            waiting.future.set_exception(outcome)
        else:
            waiting.future.set_result(outcome)

    with contextlib.suppress(RuntimeError):  # a closed event loop: nobody is waiting
        waiting.loop.call_soon_threadsafe(settle)
