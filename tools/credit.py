"""Credit check of an order against the customer's limit, and duplicate purchase-order numbers."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from decimal import Decimal
from typing import Literal, NamedTuple

from tools.masterdata import MasterData
from tools.results import Issue, Money, Result

CreditStatus = Literal["ok", "over_limit", "on_hold", "unknown_customer"]
_PO_PREFIX = re.compile(
    r"^(?:P\.?\s*O\.?|PURCHASE\s*ORDER)(?:\s*(?:NO|NR|NUM|NUMBER)\b\.?)?(?=[\s#:\-./]|\d|$)"
)
_SEPARATORS = re.compile(r"[\s#:\-./_]+")


class CreditCheck(Result):
    """Whether an order fits the customer's credit, and how much room is left."""

    customer_id: str
    status: CreditStatus
    credit_limit: Money | None
    open_balance: Money | None
    open_orders_total: Money | None
    order_total: Money | None
    headroom_before: Money | None  # limit - balance - open orders
    headroom_after: Money | None  # headroom_before - this order; negative when over
    issues: tuple[Issue, ...] = ()
    explanation: str


class ExistingPo(NamedTuple):
    customer_id: str
    po_number: str
    order_id: str  # order or draft id


class DuplicatePoCheck(Result):
    """Earlier orders of the same customer whose PO number normalises to the same value."""

    customer_id: str
    po_number: str
    normalised: str
    matches: tuple[ExistingPo, ...]
    is_duplicate: bool
    explanation: str


def check_credit(
    md: MasterData,
    customer_id: str,
    order_total: Decimal,
    open_orders_total: Decimal = Decimal(0),
) -> CreditCheck:
    """ok, over_limit (with headroom) or on_hold; amounts in the customer's currency."""
    customer = md.customers.get(customer_id)
    if customer is None:
        issue = Issue(code="unknown_customer", detail=f"customer {customer_id!r} unknown")
        return CreditCheck(
            customer_id=customer_id,
            status="unknown_customer",
            credit_limit=None,
            open_balance=None,
            open_orders_total=None,
            order_total=None,
            headroom_before=None,
            headroom_after=None,
            issues=(issue,),
            explanation=issue.detail,
        )
    ccy = customer.currency
    before = customer.credit_limit - customer.open_balance - open_orders_total
    after = before - order_total
    status: CreditStatus = "ok"
    issues: list[Issue] = []
    if customer.credit_hold:
        status = "on_hold"
        issues.append(Issue(code="credit_hold", detail=f"{customer_id} is on credit hold"))
    elif after < 0:
        status = "over_limit"
        detail = f"order {order_total} {ccy} exceeds headroom {before} {ccy} by {-after}"
        issues.append(Issue(code="over_credit_limit", detail=detail))
    return CreditCheck(
        customer_id=customer_id,
        status=status,
        credit_limit=Money(amount=customer.credit_limit, currency=ccy),
        open_balance=Money(amount=customer.open_balance, currency=ccy),
        open_orders_total=Money(amount=open_orders_total, currency=ccy),
        order_total=Money(amount=order_total, currency=ccy),
        headroom_before=Money(amount=before, currency=ccy),
        headroom_after=Money(amount=after, currency=ccy),
        issues=tuple(issues),
        explanation=(
            f"{status}: limit {customer.credit_limit}, balance {customer.open_balance}, "
            f"open orders {open_orders_total}, this order {order_total}, "
            f"headroom after {after} {ccy}"
        ),
    )


def normalise_po_number(po_number: str) -> str:
    """Compare form of a PO number: case, spaces, separators, "PO"/"#" and leading zeros gone."""
    text = unicodedata.normalize("NFKC", po_number).strip().upper()
    text = _PO_PREFIX.sub("", text, count=1)
    text = _SEPARATORS.sub("", text)
    stripped = text.lstrip("0")
    return stripped or text[:1]


def find_duplicate_po(
    existing: Iterable[ExistingPo | tuple[str, str, str]],
    customer_id: str,
    po_number: str,
) -> DuplicatePoCheck:
    """Existing orders of `customer_id` whose PO number equals `po_number` once normalised."""
    target = normalise_po_number(po_number)
    customer = customer_id.strip().upper()
    matches = tuple(
        ExistingPo(*row)
        for row in existing
        if row[0].strip().upper() == customer and target and normalise_po_number(row[1]) == target
    )
    ids = ", ".join(m.order_id for m in matches)
    return DuplicatePoCheck(
        customer_id=customer_id,
        po_number=po_number,
        normalised=target,
        matches=matches,
        is_duplicate=bool(matches),
        explanation=f"PO {target} already on {ids}" if matches else f"PO {target} is new",
    )
