"""What the pages show, shaped from drafts, tasks and tool outcomes (no HTTP, no templates)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta
from decimal import Decimal
from typing import Any, Literal

from sqlmodel import Session

from app.audit.tables import AuditEvent
from app.core.time import utcnow
from app.drafts.enrichment import Enrichment
from app.drafts.service import get_draft, lines_of
from app.drafts.tables import DraftLine, DraftOrder
from app.intake.tables import InboundMessage
from app.review.service import OPEN_STATES, TaskView, get_task, view
from app.review.tables import ReviewTask
from app.ui import queries
from app.ui.forms import current_ship_to, stated_delivery_date
from app.ui.sources import HEADER_LABELS, field_key
from tools.masterdata import MasterData

SlaState = Literal["ok", "soon", "breached", "closed"]
Level = Literal["high", "mid", "low", "none"]
HIGH, MID = 0.9, 0.7
SOON_SHARE = 0.25  # "due soon" in the last quarter of the SLA window ...
SOON_MIN = timedelta(hours=1)  # ... or the last hour, whichever is longer

REASON_TITLES: dict[str, str] = {
    "unknown_customer": "Customer not recognised",
    "customer_conflict": "Sender and document name different customers",
    "unknown_item": "Item not matched with certainty",
    "new_ship_to": "New delivery address",
    "no_ship_to": "No delivery address",
    "price_mismatch": "Stated price differs from ours",
    "high_value": "High order value",
    "discontinued_item": "Discontinued item",
    "uom_mismatch": "Unit of measure does not fit the item",
    "low_confidence": "Document read with low confidence",
    "duplicate_po": "Possible duplicate PO",
    "credit_hold": "Customer on credit hold",
    "over_credit_limit": "Over the credit limit",
    "order_change": "Change to an existing order",
    "possible_injection": "Suspicious instructions in the message",
    "not_a_po": "Not a purchase order",
}


def sla_state(
    created_at: datetime, due_at: datetime, status: str, now: datetime | None = None
) -> SlaState:
    """ok, due soon (last quarter of the window or last hour), breached; closed tasks: closed."""
    if status not in OPEN_STATES:
        return "closed"
    now = now or utcnow()
    if now > due_at:
        return "breached"
    window = max(due_at - created_at, timedelta(0))
    return "soon" if due_at - now <= max(window * SOON_SHARE, SOON_MIN) else "ok"


def level(confidence: float | None) -> Level:
    if confidence is None:
        return "none"
    return "high" if confidence >= HIGH else "mid" if confidence >= MID else "low"


def reason_title(code: str) -> str:
    return REASON_TITLES.get(code, code.replace("_", " ").capitalize())


@dataclass(frozen=True)
class Reason:
    code: str
    title: str
    text: str


@dataclass(frozen=True)
class HeaderField:
    key: str
    label: str
    value: str
    confidence: float | None
    level: Level


@dataclass(frozen=True)
class Choice:
    id: str
    label: str
    score: float | None = None


@dataclass(frozen=True)
class WarehouseStock:
    warehouse_id: str
    available_now: str
    earliest_full_date: str | None


@dataclass
class LineView:
    line: DraftLine
    field_levels: dict[str, Level]
    item_certain: bool
    item_method: str
    item_evidence: list[str]
    candidates: list[Choice]
    uom_note: str | None
    price_verdict: str | None
    price_explanation: str | None
    stock: list[WarehouseStock]
    stock_note: str | None

    @property
    def n(self) -> int:
        return self.line.line_no

    def key(self, name: str) -> str:
        return field_key(name, self.line.line_no)


@dataclass(frozen=True)
class PlannedShipment:
    warehouse_id: str
    carrier: str
    service: str
    ship_date: str
    delivery_date: str
    cost: str
    lines: str
    on_time: bool


@dataclass
class ToolResults:
    credit_status: str | None = None
    credit_explanation: str | None = None
    duplicate: bool = False
    duplicate_explanation: str | None = None
    shipments: list[PlannedShipment] = field(default_factory=list)
    unmet: list[str] = field(default_factory=list)
    plan_explanation: str | None = None
    failed: list[str] = field(default_factory=list)


@dataclass
class TaskPage:
    task: ReviewTask
    summary: TaskView
    sla: SlaState
    draft: DraftOrder
    message: InboundMessage | None
    reasons: list[Reason]
    header: list[HeaderField]
    lines: list[LineView]
    tools: ToolResults
    customer_choices: list[Choice]
    ship_to_choices: list[Choice]
    stated_ship_to: str | None
    audit: list[AuditEvent]
    pending_approvals: list[str]
    defaults: dict[str, str]


def task_page(session: Session, task_id: str, md: MasterData) -> TaskPage:
    task = get_task(session, task_id)
    draft = get_draft(session, task.draft_id)
    lines = lines_of(session, draft.id)
    enrichment = Enrichment.model_validate(draft.enrichment or {})
    summary = view(task, draft)
    message = queries.message(session, draft.inbound_message_id)
    trail = queries.audit_trail(
        session, [task.id, draft.id, draft.inbound_message_id, draft.order_id or ""]
    )
    return TaskPage(
        task=task,
        summary=summary,
        sla=sla_state(task.created_at, task.sla_due_at, task.status),
        draft=draft,
        message=message,
        reasons=[Reason(c, reason_title(c), task.explanations.get(c, "")) for c in task.reasons],
        header=header_fields(draft, md),
        lines=[line_view(ln, draft, enrichment) for ln in lines],
        tools=tool_results(enrichment),
        customer_choices=customer_choices(draft, md),
        ship_to_choices=ship_to_choices(draft, md),
        stated_ship_to=_address_text((draft.resolution.get("ship_to") or {}).get("address")),
        audit=trail,
        pending_approvals=list(task.decision.get("approvals", [])),
        defaults=form_defaults(draft, lines),
    )


def form_defaults(draft: DraftOrder, lines: list[DraftLine]) -> dict[str, str]:
    """The approve form as the draft stands: what an unchanged submission sends back."""
    values = {
        "customer_id": draft.customer_id or "",
        "customer_po_number": draft.customer_po_number or "",
        "requested_delivery_date": stated_delivery_date(draft),
        "ship_to_id": current_ship_to(draft),
    }
    for ln in lines:
        prefix = f"line-{ln.line_no}-"
        values[prefix + "sku"] = ln.sku or ""
        values[prefix + "quantity"] = _plain_number(ln.quantity)
        values[prefix + "unit_price"] = _plain_number(ln.unit_price)
    return values


def _plain_number(value: Decimal | None) -> str:
    if value is None:
        return ""
    return f"{value.normalize():f}" if value == value.to_integral_value() else f"{value:f}"


def header_fields(draft: DraftOrder, md: MasterData) -> list[HeaderField]:
    ext, res = draft.extraction, draft.resolution
    out: list[HeaderField] = []
    customer = res.get("customer") or {}
    name = md.customers[draft.customer_id].name if draft.customer_id in md.customers else None
    out.append(
        HeaderField(
            key="customer_name",
            label="Customer",
            value=f"{draft.customer_id} · {name}"
            if draft.customer_id and name
            else (draft.customer_id or _value(ext, "customer_name") or "not recognised"),
            confidence=_float(customer.get("confidence")),
            level=level(_float(customer.get("confidence"))),
        )
    )
    for name_ in (
        "customer_po_number",
        "order_date",
        "requested_delivery_date",
        "currency",
        "total",
    ):
        item = ext.get(name_) or {}
        conf = _float(item.get("confidence")) if item.get("value") is not None else None
        out.append(
            HeaderField(
                key=name_,
                label=HEADER_LABELS[name_],
                value=str(item.get("value") or "—"),
                confidence=conf,
                level=level(conf),
            )
        )
    ship = res.get("ship_to") or {}
    ship_conf = _float(ship.get("confidence"))
    out.append(
        HeaderField(
            key="ship_to",
            label="Ship to",
            value=(ship.get("value") or ("new address" if ship.get("is_new") else "none stated")),
            confidence=ship_conf,
            level=level(ship_conf),
        )
    )
    return out


def line_view(line: DraftLine, draft: DraftOrder, enrichment: Enrichment) -> LineView:
    resolved = _resolved_line(draft, line.line_no)
    item = resolved.get("item") or {}
    uom = resolved.get("uom") or {}
    quote = enrichment.quote_for(line.sku, line.quantity) if line.sku and line.quantity else None
    atp = enrichment.find("available_to_promise", sku=line.sku) if line.sku else None
    atp_result: dict[str, Any] = atp.result if atp is not None and atp.ok else {}
    candidates = [
        Choice(id=str(c.get("id")), label=str(c.get("label") or ""), score=_float(c.get("score")))
        for c in item.get("candidates") or []
    ]
    certain = bool(item.get("value")) and (_float(item.get("confidence")) or 0.0) >= HIGH
    check = (quote or {}).get("stated_check") or {}
    return LineView(
        line=line,
        field_levels={k: level(v) for k, v in line.field_confidence.items()},
        item_certain=certain and not line.flags,
        item_method=str(item.get("method") or "none"),
        item_evidence=[str(e) for e in item.get("evidence") or []],
        candidates=candidates,
        uom_note="; ".join(str(e) for e in uom.get("evidence") or []) or None,
        price_verdict=str(check["verdict"]) if check.get("verdict") else None,
        price_explanation=str((quote or {}).get("explanation") or "") or None,
        stock=[
            WarehouseStock(
                warehouse_id=str(w.get("warehouse_id")),
                available_now=str(w.get("available_now")),
                earliest_full_date=w.get("earliest_full_date"),
            )
            for w in atp_result.get("warehouses", [])
        ],
        stock_note=str(atp_result.get("explanation") or "") or None,
    )


def _resolved_line(draft: DraftOrder, line_no: int) -> dict[str, Any]:
    for res in draft.resolution.get("lines") or []:
        if res.get("index") == line_no - 1:
            return dict(res)
    return {}


def tool_results(enrichment: Enrichment) -> ToolResults:
    out = ToolResults(failed=sorted({o.name for o in enrichment.outcomes if not o.ok}))
    credit = enrichment.find("check_credit")
    if credit is not None and credit.ok:
        out.credit_status = str(credit.result.get("status"))
        out.credit_explanation = str(credit.result.get("explanation") or "")
    dup = enrichment.find("find_duplicate_po")
    if dup is not None and dup.ok:
        out.duplicate = bool(dup.result.get("is_duplicate"))
        out.duplicate_explanation = str(dup.result.get("explanation") or "")
    plan = enrichment.find("plan_fulfillment")
    if plan is not None and plan.ok:
        out.plan_explanation = str(plan.result.get("explanation") or "")
        out.unmet = [
            f"line {u.get('line_no')}: {u.get('sku')} × {u.get('quantity')}"
            if isinstance(u, dict)
            else str(u)
            for u in plan.result.get("unmet", [])
        ]
        for sh in plan.result.get("shipments", []):
            carrier = sh.get("carrier") or {}
            cost = sh.get("cost") or {}
            out.shipments.append(
                PlannedShipment(
                    warehouse_id=str(sh.get("warehouse_id")),
                    carrier=str(carrier.get("carrier_name") or "no carrier"),
                    service=str(carrier.get("service_name") or "—"),
                    ship_date=str(sh.get("ship_date") or "—"),
                    delivery_date=str(sh.get("delivery_date") or "—"),
                    cost=f"{cost.get('amount', '—')} {cost.get('currency', '')}".strip(),
                    lines=", ".join(str(i.get("line_no")) for i in sh.get("lines", [])),
                    on_time=bool(sh.get("on_time", True)),
                )
            )
    return out


def customer_choices(draft: DraftOrder, md: MasterData) -> list[Choice]:
    """The resolver's candidates, the current customer first."""
    seen: dict[str, Choice] = {}
    if draft.customer_id:
        name = md.customers[draft.customer_id].name if draft.customer_id in md.customers else ""
        seen[draft.customer_id] = Choice(draft.customer_id, name)
    for c in (draft.resolution.get("customer") or {}).get("candidates") or []:
        cid = str(c.get("id"))
        if cid not in seen:
            seen[cid] = Choice(cid, str(c.get("label") or ""), _float(c.get("score")))
    return list(seen.values())


def ship_to_choices(draft: DraftOrder, md: MasterData) -> list[Choice]:
    """Every known ship-to of the customer, with the resolver's score where it gave one."""
    scores = {
        str(c.get("id")): _float(c.get("score"))
        for c in (draft.resolution.get("ship_to") or {}).get("candidates") or []
    }
    known = [s for s in md.ship_tos.values() if s.customer_id == draft.customer_id]
    choices = [
        Choice(s.ship_to_id, f"{s.name}, {s.street}, {s.city}", scores.get(s.ship_to_id))
        for s in known
    ]
    listed = {c.id for c in choices}
    choices += [Choice(i, i, sc) for i, sc in scores.items() if i not in listed]
    return sorted(choices, key=lambda c: -(c.score or 0.0))


def _address_text(address: Any) -> str | None:
    if not isinstance(address, dict):
        return None
    parts = [address.get(k) for k in ("name", "street", "city", "region", "postal_code", "country")]
    return ", ".join(str(p) for p in parts if p) or None


def _value(ext: dict[str, Any], name: str) -> str | None:
    value = (ext.get(name) or {}).get("value")
    return str(value) if value is not None else None


def _float(value: Any) -> float | None:
    return float(value) if isinstance(value, int | float) else None
