"""An index on drafts' customer key (upper(trim(customer_id))): the duplicate-PO check reads a
customer's drafts on every order, and without it scans every draft ever received.

Revision ID: 0006
Revises: 0005
"""

import sqlalchemy as sa
from alembic import op

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None


INDEX = "ix_draft_orders_customer_key"  # app.drafts.tables.CUSTOMER_KEY_INDEX, as of 0006


def upgrade() -> None:
    op.create_index(INDEX, "draft_orders", [sa.text("upper(trim(customer_id))")])


def downgrade() -> None:
    op.drop_index(INDEX, table_name="draft_orders")
