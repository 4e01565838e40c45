"""The relay in the worker: a periodic run, and a "relay_outbox" job kind to run it at once."""

from __future__ import annotations

from typing import Any

from app.core.context import AppContext
from app.jobs.handlers import HandlerRegistry
from app.outbox.relay import relay_pending

RELAY_OUTBOX_JOB = "relay_outbox"
RELAY_INTERVAL_S = 10.0


def run_relay(ctx: AppContext) -> None:
    relay_pending(ctx.engine)


def handle_relay_outbox(ctx: AppContext, payload: dict[str, Any]) -> None:
    run_relay(ctx)


def register_jobs(registry: HandlerRegistry) -> None:
    registry.register(RELAY_OUTBOX_JOB, handle_relay_outbox)
    registry.every("outbox_relay", RELAY_INTERVAL_S, run_relay)
