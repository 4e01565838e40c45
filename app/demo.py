"""The demo company: migrations, then its master data when the database has none yet."""

from __future__ import annotations

from importlib import resources

from sqlalchemy.engine import Engine

from app.core.config import Settings
from app.core.db import make_engine, session_scope, upgrade
from app.masterdata import service as masterdata

DEMO_PACKAGE, DEMO_FOLDER = "app.masterdata", "demo"


def load_demo_if_empty(settings: Settings) -> bool:
    """Migrate, then load the demo master data if none is loaded; True when it was loaded."""
    upgrade(settings.database_url)
    engine = make_engine(settings.database_url)
    try:
        with session_scope(engine) as session:
            empty = masterdata.is_empty(session)
        if empty:
            load_demo_masterdata(engine, base_currency=settings.base_currency)
        # The demo inbox is loaded here too, once it exists.
        return empty
    finally:
        engine.dispose()


def load_demo_masterdata(engine: Engine, *, base_currency: str = "USD") -> masterdata.LoadSummary:
    """Replace all master data with the shipped demo company (Northwind Industrial Supply)."""
    demo = resources.files(DEMO_PACKAGE) / DEMO_FOLDER
    with resources.as_file(demo) as directory, session_scope(engine) as session:
        return masterdata.load_directory(session, directory, base_currency=base_currency)
