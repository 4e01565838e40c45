"""The SQLite md_stock change counter that migration 0004 adds and 0005 drops."""

from alembic import op

VERBS = ("INSERT", "UPDATE", "DELETE")


def create() -> None:
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


def drop() -> None:
    for verb in VERBS:
        op.execute(f"DROP TRIGGER IF EXISTS md_stock_version_{verb.lower()}")
    op.execute("DROP TABLE IF EXISTS md_stock_version")
