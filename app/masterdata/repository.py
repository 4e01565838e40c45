"""All SQL on the master-data tables: replace, read back, version stamp and searches."""

from __future__ import annotations

from collections.abc import Collection, Sequence
from datetime import datetime
from decimal import Decimal

from sqlalchemy import Row, delete, func, insert, or_
from sqlalchemy import select as sa_select
from sqlalchemy.orm import Mapped
from sqlalchemy.sql.elements import ColumnElement
from sqlmodel import Session, SQLModel, col, select

from app.core.time import utcnow
from app.masterdata.tables import (
    ROW_TYPES,
    CustomerRow,
    MasterDataVersion,
    ProductRow,
    StockRow,
)
from tools.masterdata import RECORD_TYPES, Record


def replace_all(session: Session, records: Sequence[Record]) -> None:
    """Delete every master-data row and insert `records` instead (in the caller's transaction)."""
    for row_type in ROW_TYPES.values():
        session.execute(delete(row_type))
    for record_type, row_type in ROW_TYPES.items():
        rows = [rec.model_dump() for rec in records if type(rec) is record_type]
        if rows:
            session.execute(insert(row_type), rows)


def all_records(session: Session) -> list[Record]:
    """Every master-data row as its record, grouped by type in RECORD_TYPES order."""
    out: list[Record] = []
    for record_type in RECORD_TYPES:
        rows = session.exec(select(ROW_TYPES[record_type])).all()
        out += [record_type.model_validate(row.model_dump()) for row in rows]
    return out


def lock_version(session: Session) -> MasterDataVersion:
    """The version row, locked until the transaction ends so loads queue one after another."""
    stmt = select(MasterDataVersion).where(MasterDataVersion.id == 1).with_for_update()
    row = session.exec(stmt.execution_options(populate_existing=True)).first()
    if row is None:
        row = MasterDataVersion(id=1, version=0)
        session.add(row)
        session.flush()
    return row


def bump_version(session: Session, stamp: MasterDataVersion) -> int:
    """Count one more load on the (locked) version row; the new version."""
    stamp.version += 1
    stamp.loaded_at = utcnow()
    session.add(stamp)
    session.flush()
    return stamp.version


def current_version(session: Session) -> tuple[int, datetime | None]:
    """The load counter and the time of the last load; (0, None) before the first load."""
    query = sa_select(  # a tuple, not an ORM object: read on every graph run
        col(MasterDataVersion.version), col(MasterDataVersion.loaded_at)
    ).where(col(MasterDataVersion.id) == 1)
    row = session.execute(query).first()
    return (0, None) if row is None else (row[0], row[1])


def stock_figures(
    session: Session, skus: Collection[str]
) -> Sequence[Row[tuple[str, str, Decimal, Decimal, Decimal]]]:
    """(sku, warehouse_id, on_hand, allocated, safety_stock) of the SKUs' stock rows, as tuples."""
    if not skus:
        return []
    query = sa_select(  # tuples: no ORM object per stock row
        col(StockRow.sku),
        col(StockRow.warehouse_id),
        col(StockRow.on_hand),
        col(StockRow.allocated),
        col(StockRow.safety_stock),
    ).where(col(StockRow.sku).in_(sorted(skus)))
    return session.execute(query).all()


def count_rows(session: Session) -> dict[str, int]:
    """Rows per master-data file name."""
    return {
        record_type.csv_name: _count(session, row_type)
        for record_type, row_type in ROW_TYPES.items()
    }


def is_empty(session: Session) -> bool:
    """True when no customer and no product has been loaded."""
    return _count(session, CustomerRow) == 0 and _count(session, ProductRow) == 0


def add_to_allocated(session: Session, totals: dict[tuple[str, str], Decimal]) -> None:
    """Add quantities to `allocated` of the stock rows keyed (sku, warehouse_id) that exist."""
    for (sku, warehouse_id), quantity in totals.items():
        row = session.get(StockRow, (sku, warehouse_id))
        if row is not None:
            row.allocated += quantity
            session.add(row)
    session.flush()


def find_customers(session: Session, *, text: str, limit: int = 20) -> list[CustomerRow]:
    """Customers whose id, name, aliases, addresses or domains contain every word of `text`."""
    columns = (
        col(CustomerRow.customer_id),
        col(CustomerRow.name),
        col(CustomerRow.aliases),
        col(CustomerRow.email_addresses),
        col(CustomerRow.email_domains),
    )
    stmt = select(CustomerRow).order_by(col(CustomerRow.name)).limit(limit)
    for word in text.lower().split():
        stmt = stmt.where(or_(*(_contains(c, word) for c in columns)))
    return list(session.exec(stmt).all())


def customers_by_sender(session: Session, address: str) -> list[CustomerRow]:
    """Customers who list the sender address, else those who list its domain."""
    address = address.strip().lower()
    domain = address.rpartition("@")[2]
    stmt = select(CustomerRow).where(
        or_(
            _contains(col(CustomerRow.email_addresses), address),
            _contains(col(CustomerRow.email_domains), domain),
        )
    )
    candidates = session.exec(stmt.order_by(col(CustomerRow.customer_id))).all()
    by_address = [c for c in candidates if address in _items(c.email_addresses)]
    return by_address or [c for c in candidates if domain in _items(c.email_domains)]


def find_products(
    session: Session, *, text: str, include_discontinued: bool = True, limit: int = 20
) -> list[ProductRow]:
    """Products whose SKU or description contains every word of `text`, exact SKU first."""
    stmt = select(ProductRow)
    for word in text.lower().split():
        stmt = stmt.where(
            or_(_contains(col(ProductRow.sku), word), _contains(col(ProductRow.description), word))
        )
    if not include_discontinued:
        stmt = stmt.where(col(ProductRow.discontinued).is_(False))
    exact_first = func.lower(col(ProductRow.sku)) != text.strip().lower()
    stmt = stmt.order_by(exact_first, col(ProductRow.sku)).limit(limit)
    return list(session.exec(stmt).all())


def product(session: Session, sku: str) -> ProductRow | None:
    """One product by SKU."""
    return session.get(ProductRow, sku)


def _contains(column: Mapped[str], word: str) -> ColumnElement[bool]:
    return func.lower(column).contains(word.lower(), autoescape=True)


def _items(value: str) -> set[str]:
    return {item.strip().lower() for item in value.split("|") if item.strip()}


def _count(session: Session, row_type: type[SQLModel]) -> int:
    return session.exec(select(func.count()).select_from(row_type)).one()
