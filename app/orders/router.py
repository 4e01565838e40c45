"""Committed orders (read-only)."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated

from fastapi import APIRouter, Query

from app.auth.deps import OrdersReader
from app.deps import SessionDep
from app.orders import service
from app.orders.service import OrderDetail, OrderList

router = APIRouter(prefix="/v1/orders", tags=["orders"])


@router.get("")
def list_orders(
    session: SessionDep,
    _: OrdersReader,
    customer_id: str | None = None,
    since: datetime | None = None,
    limit: Annotated[int, Query(ge=1, le=500)] = 200,
) -> OrderList:
    """Orders, newest first, by customer and creation time."""
    return service.list_orders(session, customer_id=customer_id, since=since, limit=limit)


@router.get("/{order_id}")
def get_order(order_id: str, session: SessionDep, _: OrdersReader) -> OrderDetail:
    """The order with its lines, shipments, stock holds and acknowledgement text."""
    return service.order_detail(session, order_id)
