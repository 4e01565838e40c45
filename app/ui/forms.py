"""The task page's approve form, read into DraftEdits: only what the reviewer changed."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal, InvalidOperation

from pydantic import ValidationError
from pydantic_core import ErrorDetails

from app.drafts.tables import DraftLine, DraftOrder
from app.review.schemas import DraftEdits, LineEdit


@dataclass
class EditForm:
    """The edits a form asks for, or the reasons it cannot be read."""

    edits: DraftEdits = field(default_factory=DraftEdits)
    errors: list[str] = field(default_factory=list)


def _text(form: Mapping[str, str], name: str) -> str:
    return form.get(name, "").strip()


def _decimal(form: Mapping[str, str], name: str, what: str, errors: list[str]) -> Decimal | None:
    raw = _text(form, name).replace(",", "")
    if not raw:
        return None
    try:
        value = Decimal(raw)
    except InvalidOperation:
        errors.append(f"{what}: '{raw}' is not a number")
        return None
    if not value.is_finite():
        errors.append(f"{what}: '{raw}' is not a number")
        return None
    return value


def stated_delivery_date(draft: DraftOrder) -> str:
    value = (draft.extraction.get("requested_delivery_date") or {}).get("value")
    return str(value) if value else ""


def current_ship_to(draft: DraftOrder) -> str:
    return str((draft.resolution.get("ship_to") or {}).get("value") or "")


def edits_from_form(form: Mapping[str, str], draft: DraftOrder, lines: list[DraftLine]) -> EditForm:
    """Compare the submitted fields with the draft and keep the differences as edits."""
    errors: list[str] = []
    header: dict[str, object] = {}
    customer = _text(form, "customer_id")
    if customer and customer != (draft.customer_id or ""):
        header["customer_id"] = customer
    po_number = _text(form, "customer_po_number")
    if po_number and po_number != (draft.customer_po_number or ""):
        header["customer_po_number"] = po_number
    wanted = _text(form, "requested_delivery_date")
    if wanted and wanted != stated_delivery_date(draft):
        try:
            header["requested_delivery_date"] = date.fromisoformat(wanted)
        except ValueError:
            errors.append(f"Requested delivery: '{wanted}' is not a date (YYYY-MM-DD)")
    ship_to = _text(form, "ship_to_id")
    if ship_to and ship_to != current_ship_to(draft):
        header["ship_to_id"] = ship_to
    line_edits = [edit for ln in lines if (edit := _line_edit(form, ln, errors)) is not None]
    new_line = _new_line(form, errors)
    if new_line is not None:
        line_edits.append(new_line)
    if errors:
        return EditForm(errors=errors)
    try:
        return EditForm(edits=DraftEdits.model_validate({**header, "lines": line_edits}))
    except ValidationError as exc:
        return EditForm(errors=[_plain(e) for e in exc.errors()])


def _line_edit(form: Mapping[str, str], line: DraftLine, errors: list[str]) -> LineEdit | None:
    n = line.line_no
    prefix = f"line-{n}-"
    if form.get(prefix + "remove"):
        return LineEdit(line_no=n, remove=True)
    changes: dict[str, object] = {}
    sku = _text(form, prefix + "sku_other") or _text(form, prefix + "sku")
    if sku and sku != (line.sku or ""):
        changes["sku"] = sku
    quantity = _decimal(form, prefix + "quantity", f"Line {n} quantity", errors)
    if quantity is not None and quantity != line.quantity:
        changes["quantity"] = quantity
    price = _decimal(form, prefix + "unit_price", f"Line {n} unit price", errors)
    if price is not None and price != line.unit_price:
        changes["unit_price"] = price
        changes["price_override_reason"] = _text(form, prefix + "price_reason") or None
    if not changes:
        return None
    try:
        return LineEdit.model_validate({"line_no": n, **changes})
    except ValidationError as exc:
        errors.extend(f"Line {n}: {_plain(e)}" for e in exc.errors())
        return None


def _new_line(form: Mapping[str, str], errors: list[str]) -> LineEdit | None:
    sku = _text(form, "new-sku")
    quantity = _decimal(form, "new-quantity", "New line quantity", errors)
    price = _decimal(form, "new-unit_price", "New line unit price", errors)
    if not sku and quantity is None and price is None:
        return None
    if not sku or quantity is None:
        errors.append("New line: give both an item (SKU) and a quantity")
        return None
    values: dict[str, object] = {"sku": sku, "quantity": quantity}
    if price is not None:
        values["unit_price"] = price
        values["price_override_reason"] = _text(form, "new-price_reason") or None
    try:
        return LineEdit.model_validate(values)
    except ValidationError as exc:
        errors.extend(f"New line: {_plain(e)}" for e in exc.errors())
        return None


def _plain(error: ErrorDetails) -> str:
    names = [p for p in error["loc"] if isinstance(p, str)]
    where = f"{names[-1].replace('_', ' ')}: " if names else ""
    return f"{where}{error['msg'].removeprefix('Value error, ')}"
