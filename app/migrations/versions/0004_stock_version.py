"""SQLite: md_stock_version counts every change to md_stock, so stock reads can be cached

Each run of the order graph read every stock row. On SQLite the triggers bump one counter in
the same transaction as the change, so a process reused its last read while the counter stood
still. PostgreSQL got no counter: one row bumped by every reservation would serialise
concurrent workers. Dropped again by 0005, once a run read only its order's stock rows.

Revision ID: 0004
Revises: 0003
"""

from alembic import op

from app.migrations import stock_counter

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    if op.get_bind().dialect.name == "sqlite":
        stock_counter.create()


def downgrade() -> None:
    if op.get_bind().dialect.name == "sqlite":
        stock_counter.drop()
