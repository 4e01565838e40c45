"""SQLite: drop md_stock_version (0004). A graph run now reads only its order's stock rows,
so nothing reuses a whole-table read any more, and the counter's triggers only cost a write
on every stock change.

Revision ID: 0005
Revises: 0004
"""

from alembic import op

from app.migrations import stock_counter

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None


def upgrade() -> None:
    if op.get_bind().dialect.name == "sqlite":
        stock_counter.drop()


def downgrade() -> None:
    if op.get_bind().dialect.name == "sqlite":
        stock_counter.create()
