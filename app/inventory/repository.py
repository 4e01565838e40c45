"""All SQL on reservations, and the row locks that keep stock from being promised twice."""

from __future__ import annotations

from collections import defaultdict
from decimal import Decimal

from sqlmodel import Session, col, select

from app.inventory.tables import Reservation, ReservationStatus
from app.masterdata.tables import ScheduledReceiptRow, StockRow


def lock_stock(session: Session, *, sku: str, warehouse_id: str) -> StockRow | None:
    """The stock row, locked until the transaction ends (FOR UPDATE; SQLite locks at BEGIN)."""
    stmt = (
        select(StockRow)
        .where(col(StockRow.sku) == sku, col(StockRow.warehouse_id) == warehouse_id)
        .with_for_update()
        .execution_options(populate_existing=True)
    )
    return session.exec(stmt).first()


def lock_receipt(session: Session, receipt_id: str) -> ScheduledReceiptRow | None:
    """The scheduled receipt, locked until the transaction ends."""
    stmt = (
        select(ScheduledReceiptRow)
        .where(col(ScheduledReceiptRow.receipt_id) == receipt_id)
        .with_for_update()
        .execution_options(populate_existing=True)
    )
    return session.exec(stmt).first()


def reservation_by_key(
    session: Session, order_line_key: str, *, for_update: bool = False
) -> Reservation | None:
    """The reservation of an order line, freshly read (and locked when asked)."""
    stmt = select(Reservation).where(col(Reservation.order_line_key) == order_line_key)
    if for_update:
        stmt = stmt.with_for_update()
    return session.exec(stmt.execution_options(populate_existing=True)).first()


def backordered_from(session: Session, receipt_id: str) -> Decimal:
    """Quantity already promised from a scheduled receipt."""
    stmt = select(Reservation).where(
        col(Reservation.receipt_id) == receipt_id,
        col(Reservation.status) == ReservationStatus.BACKORDER,
    )
    return sum((res.quantity for res in session.exec(stmt).all()), Decimal("0"))


def reserved_totals(session: Session) -> dict[tuple[str, str], Decimal]:
    """Quantity held by open reservations per (sku, warehouse_id)."""
    stmt = select(Reservation).where(col(Reservation.status) == ReservationStatus.RESERVED)
    totals: dict[tuple[str, str], Decimal] = defaultdict(Decimal)
    for res in session.exec(stmt).all():
        totals[(res.sku, res.warehouse_id)] += res.quantity
    return dict(totals)


def add(session: Session, reservation: Reservation) -> Reservation:
    """Insert a reservation and give it its id."""
    session.add(reservation)
    session.flush()
    return reservation
