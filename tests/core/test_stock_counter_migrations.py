"""Migrations 0004 and 0005 on SQLite: the stock change counter comes and goes both ways."""

from __future__ import annotations

import sqlite3
from pathlib import Path

from alembic import command

from app.core.db import alembic_config, upgrade


def _counter_objects(path: Path) -> set[str]:
    with sqlite3.connect(path) as conn:
        rows = conn.execute("SELECT name FROM sqlite_master WHERE name LIKE 'md_stock_version%'")
        return {str(r[0]) for r in rows}


def test_the_counter_is_added_by_0004_dropped_by_0005_and_back_on_downgrade(
    tmp_path: Path,
) -> None:
    path = tmp_path / "intake.db"
    url = f"sqlite:///{path}"
    upgrade(url, "0004")
    made = _counter_objects(path)
    assert "md_stock_version" in made and len(made) == 4  # the table and three triggers
    upgrade(url)
    assert _counter_objects(path) == set()
    command.downgrade(alembic_config(url), "0004")
    assert _counter_objects(path) == made
