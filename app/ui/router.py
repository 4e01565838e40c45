"""The reviewer UI's routes, and its own static files (no CDN, no build step)."""

from __future__ import annotations

from fastapi import APIRouter
from fastapi.responses import FileResponse

from app.core.errors import NotFound
from app.ui import auth_pages, report_pages, review_pages
from app.ui.web import STATIC_DIR

STATIC_FILES = {"ui.css": "text/css", "ui.js": "text/javascript"}

router = APIRouter(include_in_schema=False)
router.include_router(auth_pages.router)
router.include_router(review_pages.router)
router.include_router(report_pages.router)


@router.get("/static/ui/{name}")
def static_file(name: str) -> FileResponse:
    if name not in STATIC_FILES:
        raise NotFound("no such file")
    return FileResponse(
        STATIC_DIR / name,
        media_type=STATIC_FILES[name],
        headers={"cache-control": "public, max-age=300"},
    )
