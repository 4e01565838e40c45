"""Reserve and release stock for order lines, idempotently and never beyond what is available.

Available now is `on_hand - allocated - safety_stock` of the warehouse's stock row (the same
figure as `tools.availability`). `reserve` holds only what is available now and adds it to
`allocated`; a line that has to wait for a scheduled receipt is recorded with `backorder`,
which promises part of that receipt and leaves `allocated` alone. Every call is keyed by the
order line: a repeated call with the same key changes nothing and returns the reservation that
exists, so a released line needs a new key to reserve again.

Concurrency: the stock (or receipt) row is locked first (SELECT ... FOR UPDATE on PostgreSQL;
SQLite takes the database write lock at BEGIN IMMEDIATE), and only then is the key looked up,
so two callers with the same key or the same stock queue instead of both succeeding.
The caller's unit of work commits; nothing here commits.
"""

from __future__ import annotations

from decimal import Decimal

from sqlmodel import Session

from app.core.errors import Conflict, NotFound, Unprocessable
from app.core.time import utcnow
from app.inventory import repository
from app.inventory.tables import Reservation, ReservationStatus
from app.masterdata.tables import StockRow


class InsufficientStock(Conflict):
    """Less is available than the quantity asked for."""

    code = "insufficient_stock"


class ReservationMismatch(Conflict):
    """The order-line key already holds a reservation for something else."""

    code = "reservation_mismatch"


def available_now(stock: StockRow) -> Decimal:
    """What the stock row can still promise today, never below zero."""
    return max(stock.on_hand - stock.allocated - stock.safety_stock, Decimal("0"))


def reserve(
    session: Session,
    *,
    order_line_key: str,
    sku: str,
    warehouse_id: str,
    quantity: Decimal,
    actor: str,
    reason: str,
) -> Reservation:
    """Hold `quantity` of available stock for an order line; the existing hold on a repeat."""
    _check_quantity(quantity)
    stock = repository.lock_stock(session, sku=sku, warehouse_id=warehouse_id)
    existing = repository.reservation_by_key(session, order_line_key)
    if existing is not None:
        same = (existing.sku, existing.warehouse_id, existing.quantity) == (
            sku,
            warehouse_id,
            quantity,
        )
        return _same_or_mismatch(existing, same=same)
    if stock is None:
        raise NotFound(
            f"no stock record for {sku} in warehouse {warehouse_id}", code="stock_not_found"
        )
    available = available_now(stock)
    if quantity > available:
        raise InsufficientStock(
            f"only {available} of {sku} available in {warehouse_id}, {quantity} asked",
            details={
                "sku": sku,
                "warehouse_id": warehouse_id,
                "available": str(available),
                "requested": str(quantity),
            },
        )
    stock.allocated += quantity
    session.add(stock)
    return repository.add(
        session,
        Reservation(
            order_line_key=order_line_key,
            sku=sku,
            warehouse_id=warehouse_id,
            quantity=quantity,
            status=ReservationStatus.RESERVED,
            actor=actor,
            reason=reason,
        ),
    )


def backorder(
    session: Session,
    *,
    order_line_key: str,
    receipt_id: str,
    quantity: Decimal,
    actor: str,
    reason: str,
) -> Reservation:
    """Promise `quantity` of a scheduled receipt to an order line; the existing one on a repeat."""
    _check_quantity(quantity)
    receipt = repository.lock_receipt(session, receipt_id)
    existing = repository.reservation_by_key(session, order_line_key)
    if existing is not None:
        same = (existing.receipt_id, existing.quantity) == (receipt_id, quantity)
        return _same_or_mismatch(existing, same=same)
    if receipt is None:
        raise NotFound(f"no scheduled receipt {receipt_id}", code="receipt_not_found")
    open_quantity = receipt.quantity - repository.backordered_from(session, receipt_id)
    if quantity > open_quantity:
        raise InsufficientStock(
            f"only {max(open_quantity, Decimal(0))} of receipt {receipt_id} left, {quantity} asked",
            details={
                "receipt_id": receipt_id,
                "available": str(open_quantity),
                "requested": str(quantity),
            },
        )
    return repository.add(
        session,
        Reservation(
            order_line_key=order_line_key,
            sku=receipt.sku,
            warehouse_id=receipt.warehouse_id,
            quantity=quantity,
            status=ReservationStatus.BACKORDER,
            receipt_id=receipt_id,
            actor=actor,
            reason=reason,
        ),
    )


def release(
    session: Session, *, order_line_key: str, actor: str, reason: str
) -> Reservation | None:
    """Give back what an order line holds; None when the line has no reservation."""
    reservation = repository.reservation_by_key(session, order_line_key, for_update=True)
    if reservation is None or reservation.status == ReservationStatus.RELEASED:
        return reservation
    if reservation.status == ReservationStatus.RESERVED:
        stock = repository.lock_stock(
            session, sku=reservation.sku, warehouse_id=reservation.warehouse_id
        )
        if stock is not None:  # gone when a master-data load dropped the SKU here
            stock.allocated = max(stock.allocated - reservation.quantity, Decimal("0"))
            session.add(stock)
    reservation.status = ReservationStatus.RELEASED
    reservation.released_at = utcnow()
    reservation.released_by = actor
    reservation.release_reason = reason
    session.add(reservation)
    session.flush()
    return reservation


def _check_quantity(quantity: Decimal) -> None:
    if not quantity.is_finite() or quantity <= 0:
        raise Unprocessable(f"quantity must be a positive number, got {quantity}")


def _same_or_mismatch(existing: Reservation, *, same: bool) -> Reservation:
    """The existing reservation when the repeat asks for the same thing, else a conflict."""
    if not same:
        raise ReservationMismatch(
            f"order line {existing.order_line_key} already holds {existing.quantity} of "
            f"{existing.sku} in {existing.warehouse_id} ({existing.status})",
            details={"reservation_id": existing.id},
        )
    return existing
