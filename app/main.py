"""The application factory."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from fastapi import FastAPI
from opentelemetry.instrumentation.sqlalchemy import SQLAlchemyInstrumentor

from app.core.config import Settings, get_settings
from app.core.context import AppContext
from app.core.errors import install_error_handlers
from app.core.http_spans import ServerSpans
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
    )
    app.state.context = ctx
    install_error_handlers(app)
    from app.audit.refusals import install_refusal_audit

    install_refusal_audit(app)
    app.add_middleware(SecurityHeadersMiddleware)
    app.include_router(health_router)
    from app.routes import include_routers

    include_routers(app)
    app.add_middleware(
        ServerSpans,
        tracer_provider=ctx.tracer_provider,
        excluded_paths=("/healthz", "/readyz", "/metrics"),
    )
    SQLAlchemyInstrumentor().instrument(engine=ctx.engine, tracer_provider=ctx.tracer_provider)
    return app


def create_served_app() -> FastAPI:
    """The app of one `intake serve --workers N` process: settings from the environment."""
    return create_app(get_settings(), migrate=False, served=True)
