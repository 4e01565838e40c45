"""Which worker a database gets: our queue on SQLite, procrastinate on PostgreSQL."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Protocol, runtime_checkable

from app.core.context import AppContext
from app.jobs.handlers import HandlerRegistry


@runtime_checkable
class JobWorker(Protocol):
    concurrency: int
    warm_up: Callable[[], None] | None  # run in the worker before it takes its first job

    def start(self) -> None: ...
    def request_stop(self) -> None: ...
    def wait(self) -> None: ...
    def stop(self, timeout_s: float = 30.0) -> None: ...


def uses_procrastinate(database_url: str) -> bool:
    return database_url.startswith("postgresql")


def make_worker(
    ctx: AppContext,
    *,
    registry: HandlerRegistry,
    concurrency: int | None = None,
    kinds: Sequence[str] | None = None,
    lease_s: float | None = None,
    name: str = "worker",
) -> JobWorker:
    """The worker for the context's database (`kinds` only narrows the SQLite worker)."""
    if uses_procrastinate(ctx.settings.database_url):
        from app.jobs.procrastinate_worker import ProcrastinateWorker

        return ProcrastinateWorker(
            ctx, registry=registry, concurrency=concurrency, lease_s=lease_s, name=name
        )
    from app.jobs.worker import Worker

    return Worker(
        ctx, registry=registry, concurrency=concurrency, kinds=kinds, lease_s=lease_s, name=name
    )
