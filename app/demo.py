"""The demo company: migrations, then its master data when the database has none yet."""

from __future__ import annotations

import logging
from decimal import Decimal
from importlib import resources

from sqlalchemy.engine import Engine

from app.core.config import Settings
from app.core.db import make_engine, session_scope, upgrade
from app.masterdata import service as masterdata

log = logging.getLogger(__name__)
DEMO_PACKAGE, DEMO_FOLDER = "app.masterdata", "demo"
# Local demo accounts only: a production deployment refuses to start with demo data.
DEMO_USERS = (
    ("rita", "rita-reviews-1", "reviewer", Decimal("10000")),
    ("alex", "alex-approves-1", "approver", Decimal("100000")),
    ("admin", "admin-demo-1", "admin", Decimal("1000000")),
)


def load_demo_if_empty(settings: Settings) -> bool:
    """Migrate, then load the demo company, its users and inbox if none is loaded."""
    if settings.environment == "production":
        raise RuntimeError("the demo data is for local use; not loaded in production")
    upgrade(settings.database_url)
    engine = make_engine(settings.database_url)
    try:
        with session_scope(engine) as session:
            empty = masterdata.is_empty(session)
        if empty:
            load_demo_masterdata(engine, base_currency=settings.base_currency)
            create_demo_users(engine)
            queued = load_demo_inbox(engine)
            log.info(
                "demo company loaded; %d demo messages queued for the worker; demo users: %s",
                queued,
                ", ".join(f"{u} / {p} ({r})" for u, p, r, _ in DEMO_USERS),
            )
        return empty
    finally:
        engine.dispose()


def load_demo_masterdata(engine: Engine, *, base_currency: str = "USD") -> masterdata.LoadSummary:
    """Replace all master data with the shipped demo company (Northwind Industrial Supply)."""
    demo = resources.files(DEMO_PACKAGE) / DEMO_FOLDER
    with resources.as_file(demo) as directory, session_scope(engine) as session:
        return masterdata.load_directory(session, directory, base_currency=base_currency)


def create_demo_users(engine: Engine) -> None:
    """A reviewer, an approver and an admin to try the queues with."""
    from app.auth.service import create_user
    from app.auth.tables import Role

    with session_scope(engine) as session:
        for username, password, role, limit in DEMO_USERS:
            create_user(
                session, username=username, password=password, role=Role(role), approval_limit=limit
            )


def load_demo_inbox(engine: Engine) -> int:
    """Store the demo inbox's messages as if a mail provider had posted them."""
    from app.intake.service import store_inbound
    from app.intake.tables import MessageSource

    inbox = resources.files("app") / "demo_inbox"
    count = 0
    with resources.as_file(inbox) as directory, session_scope(engine) as session:
        for path in sorted(directory.glob("*.eml")):
            store_inbound(session, raw=path.read_bytes(), source=MessageSource.CLI)
            count += 1
    return count
