"""Every domain router, in one place."""

from __future__ import annotations

from fastapi import FastAPI


def include_routers(app: FastAPI) -> None:
    from app.admin.router import router as admin_router
    from app.auth.router import router as auth_router
    from app.drafts.router import router as drafts_router
    from app.intake.router import admin_router as intake_admin_router
    from app.intake.router import router as intake_router
    from app.metrics.router import router as metrics_router
    from app.orders.router import router as orders_router
    from app.review.router import router as review_router
    from app.telemetry.router import router as telemetry_router

    app.include_router(intake_router)
    app.include_router(intake_admin_router)
    app.include_router(auth_router)
    app.include_router(review_router)
    app.include_router(drafts_router)
    app.include_router(orders_router)
    app.include_router(admin_router)
    app.include_router(telemetry_router)
    app.include_router(metrics_router)

    from app.ui.router import router as ui_router

    app.include_router(ui_router)
