"""Process start and stop: migrations, demo data, the embedded worker."""

from __future__ import annotations

import asyncio

from app.core.context import AppContext
from app.core.db import upgrade


async def startup(ctx: AppContext, *, migrate: bool, start_worker: bool) -> None:
    if migrate:
        await asyncio.to_thread(upgrade, ctx.settings.database_url)


async def shutdown(ctx: AppContext) -> None:
    ctx.tracer_provider.force_flush()
