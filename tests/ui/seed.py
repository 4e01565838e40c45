"""A database with the demo company and a few messages run through the real pipeline."""

from __future__ import annotations

import shutil
from dataclasses import dataclass
from decimal import Decimal
from email.message import EmailMessage
from pathlib import Path

from sqlmodel import select

from app.auth.service import create_user
from app.auth.tables import Role
from app.core.context import AppContext
from app.core.db import session_scope
from app.intake.service import store_inbound
from app.intake.tables import MessageSource
from app.jobs.handlers import handlers_for
from app.jobs.worker import Worker
from app.review.tables import ReviewTask
from app.ui import sources
from tests.support import REPO, in_memory_tracing, migrated_context, sqlite_url

CASES = REPO / "evals" / "datasets" / "generated"
PDF_CASE = "gen-0067"  # a PDF attachment; unknown item and a new ship-to
TEXT_CASE = "gen-0013"  # a plain-text body; price mismatch and low confidence
PASSWORD = "correct horse battery staple"
XSS = "<script>alert(1)</script>"
EVIL_IMG = "<img src=http://evil.example/x.png>"


def hostile_message() -> bytes:
    """A plain-text order from an unknown sender whose text is written like HTML."""
    msg = EmailMessage()
    msg["From"] = "Mallory <mallory@unknown-sender.example>"
    msg["To"] = "orders@northwind.example"
    msg["Subject"] = f"PO 55501 {XSS}"
    msg["Date"] = "Tue, 03 Nov 2026 10:15:00 +0000"
    msg["Message-ID"] = "<hostile-55501@unknown-sender.example>"
    msg.set_content(
        "Purchase Order 55501\nPlease ship:\n"
        "ABR-1001   Cut-Off Wheel 4-1/2 in   50 EA   2.35\n"
        f'{XSS}\n{EVIL_IMG}\n<a href="http://evil.example/">click</a>\nThanks\n'
    )
    return msg.as_bytes()


@dataclass(frozen=True)
class Seeded:
    directory: Path
    tasks: dict[str, str]  # case -> review task id


def seed(directory: Path) -> Seeded:
    """Build the seeded database in `directory` (slow: runs the pipeline on each message)."""
    provider, _ = in_memory_tracing()
    ctx = migrated_context(sqlite_url(directory), provider=provider, data_dir=directory / "data")
    raws = {
        PDF_CASE: (CASES / PDF_CASE / "message.eml").read_bytes(),
        TEXT_CASE: (CASES / TEXT_CASE / "message.eml").read_bytes(),
        "hostile": hostile_message(),
    }
    ids: dict[str, str] = {}
    with session_scope(ctx.engine) as session:
        for case, raw in raws.items():
            message, _ = store_inbound(session, raw=raw, source=MessageSource.CLI)
            ids[case] = message.id
        create_user(
            session,
            username="rita",
            password=PASSWORD,
            role=Role.REVIEWER,
            approval_limit=Decimal("100000"),
            display_name="Rita Reviewer",
        )
        create_user(session, username="ada", password=PASSWORD, role=Role.ADMIN)
    drain(ctx)
    with session_scope(ctx.engine) as session:
        tasks = {t.draft_id: t.id for t in session.exec(select(ReviewTask))}
        for message_id in ids.values():  # warm the page cache the copies inherit
            sources.parsed_message(session, ctx.settings, message_id)
        sources.page_image(session, ctx.settings, ids[PDF_CASE], "att-1", 1)
    ctx.engine.dispose()
    by_case = {case: tasks[f"dr_{mid}"] for case, mid in ids.items() if f"dr_{mid}" in tasks}
    return Seeded(directory=directory, tasks=by_case)


def drain(ctx: AppContext) -> None:
    """Run queued jobs until none is left."""
    worker = Worker(ctx, registry=handlers_for(ctx), name="test")
    while worker.run_once():
        pass


def copy_seeded(seeded: Seeded, target: Path) -> Path:
    """A private copy of the seeded database and data folder; returns its directory."""
    for item in seeded.directory.iterdir():
        if item.is_dir():
            shutil.copytree(item, target / item.name, dirs_exist_ok=True)
        else:
            shutil.copy2(item, target / item.name)
    return target
