"""PostgreSQL: procrastinate's tables and functions (the job queue at scale)

SQLite keeps its `jobs` table and in-process worker; on PostgreSQL jobs are procrastinate's.
The schema is procrastinate 3.10's; a procrastinate upgrade that ships SQL migrations
(procrastinate/sql/migrations) needs a revision here that applies them.

Revision ID: 0003
Revises: 0002
"""

from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    bind = op.get_bind()
    if bind.dialect.name != "postgresql":
        return
    from procrastinate.schema import SchemaManager

    # exec_driver_sql: the plpgsql bodies hold colons SQLAlchemy would take for binds, and
    # the driver formats "%" (procrastinate's own apply_schema escapes it the same way)
    bind.exec_driver_sql(SchemaManager.get_schema().replace("%", "%%"))


def downgrade() -> None:
    bind = op.get_bind()
    if bind.dialect.name != "postgresql":
        return
    for table in ("procrastinate_periodic_defers", "procrastinate_events",
                  "procrastinate_jobs", "procrastinate_workers"):
        bind.exec_driver_sql(f"DROP TABLE IF EXISTS {table} CASCADE")
    for kind in ("procrastinate_job_status", "procrastinate_job_event_type",
                 "procrastinate_job_to_defer_v1"):
        bind.exec_driver_sql(f"DROP TYPE IF EXISTS {kind} CASCADE")
