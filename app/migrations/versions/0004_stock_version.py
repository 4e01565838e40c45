"""SQLite: md_stock_version counts every change to md_stock, so stock reads can be cached

Each run of the order graph reads every stock row. On SQLite the triggers below bump one
counter in the same transaction as the change, so a process reuses its last read while the
counter stands still. PostgreSQL gets no counter: one row bumped by every reservation would
serialise concurrent workers, so it reads the rows each time.

Revision ID: 0004
Revises: 0003
"""

from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None

VERBS = ("INSERT", "UPDATE", "DELETE")


def upgrade() -> None:
    if op.get_bind().dialect.name != "sqlite":
        return
    op.execute(
        "CREATE TABLE md_stock_version "
        "(id INTEGER PRIMARY KEY CHECK (id = 1), version INTEGER NOT NULL)"
    )
    op.execute("INSERT INTO md_stock_version (id, version) VALUES (1, 0)")
    for verb in VERBS:
        op.execute(
            f"CREATE TRIGGER md_stock_version_{verb.lower()} AFTER {verb} ON md_stock "
            "BEGIN UPDATE md_stock_version SET version = version + 1 WHERE id = 1; END"
        )


def downgrade() -> None:
    if op.get_bind().dialect.name != "sqlite":
        return
    for verb in VERBS:
        op.execute(f"DROP TRIGGER IF EXISTS md_stock_version_{verb.lower()}")
    op.execute("DROP TABLE IF EXISTS md_stock_version")
