"""Which function runs a job of each kind.

Domains register their handlers here, either directly with `register_handler(kind, fn)` or by
adding a module with `register_jobs(registry)` to HANDLER_MODULES (loaded by the embedded
worker and by `intake worker`). A job whose kind has no handler fails with UnknownJobKind,
is retried like any failure (a newer release may know the kind) and ends dead.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

from app.core.context import AppContext

JobHandler = Callable[[AppContext, dict[str, Any]], None]
PeriodicRun = Callable[[AppContext], None]


@dataclass(frozen=True)
class PeriodicTask:
    """Work the worker runs every `interval_s` seconds (e.g. the SLA check, the outbox relay).
    It runs in every worker process, so it must be safe to run concurrently."""

    name: str
    interval_s: float
    run: PeriodicRun


# Modules with `register_jobs(registry: HandlerRegistry) -> None`, e.g. "app.flows.process_message".
HANDLER_MODULES: tuple[str, ...] = ("app.pipeline", "app.review.jobs", "app.outbox.jobs")
JOB_HANDLERS = "job_handlers"  # AppContext.extras key: a HandlerRegistry to use instead


class PermanentJobError(Exception):
    """Raised by a handler when retrying cannot help: the job goes straight to dead."""


class UnknownJobKind(LookupError):
    def __init__(self, kind: str, known: Iterable[str]) -> None:
        names = ", ".join(sorted(known)) or "none"
        super().__init__(
            f"no handler registered for job kind {kind!r} (registered: {names}); "
            "register one with app.jobs.handlers.register_handler"
        )
        self.kind = kind


class HandlerRegistry:
    """Job kind -> handler. Handlers must be idempotent: a job runs at least once."""

    def __init__(self) -> None:
        self._handlers: dict[str, JobHandler] = {}
        self._periodic: dict[str, PeriodicTask] = {}

    def register(self, kind: str, handler: JobHandler) -> None:
        current = self._handlers.get(kind)
        if current is not None and current is not handler:
            raise ValueError(f"a different handler is already registered for {kind!r}")
        self._handlers[kind] = handler

    def unregister(self, kind: str) -> None:
        self._handlers.pop(kind, None)

    def get(self, kind: str) -> JobHandler:
        try:
            return self._handlers[kind]
        except KeyError:
            raise UnknownJobKind(kind, self._handlers) from None

    def kinds(self) -> list[str]:
        return sorted(self._handlers)

    def every(self, name: str, interval_s: float, run: PeriodicRun) -> None:
        """Have the worker call `run(ctx)` every `interval_s` seconds."""
        self._periodic[name] = PeriodicTask(name=name, interval_s=interval_s, run=run)

    def periodic(self) -> list[PeriodicTask]:
        return list(self._periodic.values())


registry = HandlerRegistry()  # the process's registry, used by default by every Worker


def register_handler(kind: str, handler: JobHandler) -> None:
    """Register `handler` for jobs of `kind` in the process's registry."""
    registry.register(kind, handler)


def handlers_for(ctx: AppContext) -> HandlerRegistry:
    """The registry a worker of this context uses: one placed in ctx.extras[JOB_HANDLERS]
    (tests, embedding applications), else the process registry with HANDLER_MODULES loaded."""
    chosen = ctx.extras.get(JOB_HANDLERS)
    return chosen if isinstance(chosen, HandlerRegistry) else load_handlers()


def load_handlers(
    target: HandlerRegistry | None = None, modules: Iterable[str] = HANDLER_MODULES
) -> HandlerRegistry:
    """Import each handler module and let it register its kinds."""
    target = target or registry
    for name in modules:
        importlib.import_module(name).register_jobs(target)
    return target
