"""The application factory."""

from __future__ import annotations

from collections.abc import AsyncIterator, Mapping
from contextlib import asynccontextmanager
from typing import Any

from fastapi import FastAPI
from opentelemetry.instrumentation.sqlalchemy import SQLAlchemyInstrumentor

from app.core.config import Settings, get_settings
from app.core.context import AppContext
from app.core.errors import install_error_handlers
from app.core.logging import configure_logging
from app.health.router import router as health_router
from app.ui.security import SecurityHeadersMiddleware


def create_app(
    settings: Settings | None = None,
    context: AppContext | None = None,
    *,
    migrate: bool = True,
    start_worker: bool | None = None,
    served: bool = False,
) -> FastAPI:
    """Build the service. Migrations run on start; the embedded worker starts when configured.

    `served`: a process of `intake serve`, whose start-up heap is then frozen out of the GC.
    """
    settings = settings or (context.settings if context else get_settings())
    configure_logging(settings.log_level, settings.log_json)
    ctx = context or AppContext.create(settings)
    run_worker = settings.worker_embedded if start_worker is None else start_worker

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        from app.lifecycle import freeze_heap, shutdown, startup

        await startup(ctx, migrate=migrate, start_worker=run_worker)
        if served:
            freeze_heap()
        try:
            yield
        finally:
            await shutdown(ctx)

    app = FastAPI(
        title="order-intake",
        version="0.1.0",
        lifespan=lifespan,
        description="Purchase orders by email to priced, checked sales orders.",
        # FastAPI's own OpenTelemetry support: one SERVER span per request, named after its
        # route, continuing the caller's W3C context. On the context's provider, not the
        # global one; no per-operation spans or HTTP metrics (their cost is per request).
        telemetry={
            "tracer_provider": ctx.tracer_provider,
            "metrics": False,
            "logs": False,
            "operation_spans": False,
            "exclude": _untraced,
        },
    )
    app.state.context = ctx
    install_error_handlers(app)
    from app.audit.refusals import install_refusal_audit

    install_refusal_audit(app)
    app.add_middleware(SecurityHeadersMiddleware)
    app.include_router(health_router)
    from app.routes import include_routers

    include_routers(app)
    SQLAlchemyInstrumentor().instrument(engine=ctx.engine, tracer_provider=ctx.tracer_provider)
    return app


UNTRACED_PATHS = frozenset({"/healthz", "/readyz", "/metrics"})


def _untraced(scope: Mapping[str, Any]) -> bool:
    return scope.get("path") in UNTRACED_PATHS


def create_served_app() -> FastAPI:
    """The app of one `intake serve --workers N` process: settings from the environment."""
    return create_app(get_settings(), migrate=False, served=True)
