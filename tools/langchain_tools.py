"""LangChain tools over the deterministic core; context is bound by closure, never global."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import date, datetime
from decimal import Decimal
from typing import TypeGuard

from langchain_core.tools import BaseTool, StructuredTool
from pydantic import BaseModel, Field

from tools.availability import available_to_promise
from tools.carriers import Destination, select_carrier
from tools.catalog import search_catalog, search_customers
from tools.credit import ExistingPo, check_credit, find_duplicate_po
from tools.fulfillment import FulfillmentOrder, OrderLine, plan_fulfillment
from tools.masterdata import MasterData
from tools.pricing import quote_price
from tools.results import Result

JsonObject = dict[str, object]


class QuotePriceArgs(BaseModel):
    customer_id: str = Field(description="Customer id from master data, e.g. CUST-0007")
    sku: str = Field(description="Our SKU (resolve customer item codes first)")
    quantity: Decimal = Field(description="Quantity as ordered, in `uom`")
    uom: str | None = Field(default=None, description="Unit as written: EA, CS, box, dozen...")
    stated_unit_price: Decimal | None = Field(
        default=None, description="Unit price the PO states per `uom`, to compare with ours"
    )
    order_date: date | None = Field(default=None, description="Pricing date; default today")


class AvailabilityArgs(BaseModel):
    sku: str = Field(description="Our SKU")
    quantity: Decimal = Field(gt=0, description="Quantity in base units")
    need_by: date | None = Field(default=None, description="Date the stock must be available")
    warehouses: list[str] | None = Field(default=None, description="Warehouse ids; default all")


class SelectCarrierArgs(BaseModel):
    origin_warehouse_id: str = Field(description="Warehouse the shipment leaves from")
    postal_code: str = Field(description="Destination postal code")
    country: str = Field(default="US", description="Destination ISO 3166 alpha-2 country")
    weight_kg: Decimal = Field(ge=0, description="Actual shipment weight in kg")
    length_cm: Decimal = Field(default=Decimal(0), ge=0, description="Package length in cm")
    width_cm: Decimal = Field(default=Decimal(0), ge=0, description="Package width in cm")
    height_cm: Decimal = Field(default=Decimal(0), ge=0, description="Package height in cm")
    hazmat_class: str | None = Field(default=None, description="UN hazard class, None if none")
    need_by: date | None = Field(default=None, description="Latest acceptable delivery date")


class PlanLineArgs(BaseModel):
    line_no: int = Field(description="Line number on the order")
    sku: str = Field(description="Our SKU")
    quantity: Decimal = Field(gt=0, description="Quantity in base units")


class PlanFulfillmentArgs(BaseModel):
    customer_id: str = Field(description="Customer id")
    postal_code: str = Field(description="Ship-to postal code")
    country: str = Field(default="US", description="Ship-to ISO 3166 alpha-2 country")
    lines: list[PlanLineArgs] = Field(min_length=1, description="Order lines in base units")
    need_by: date | None = Field(default=None, description="Requested delivery date")


class CheckCreditArgs(BaseModel):
    customer_id: str = Field(description="Customer id")
    order_total: Decimal = Field(description="This order's total in the customer's currency")
    open_orders_total: Decimal = Field(
        default=Decimal(0), description="Other open, uninvoiced orders in the same currency"
    )


class DuplicatePoArgs(BaseModel):
    customer_id: str = Field(description="Customer id")
    po_number: str = Field(description="The customer's PO number as written")


class SearchArgs(BaseModel):
    query: str = Field(description="Free text: a code, a description or a name")
    limit: int = Field(default=5, ge=1, le=20, description="How many hits to return")


def build_core_tools(
    md: MasterData,
    *,
    today: date,
    now: datetime,
    existing_pos: Callable[[str], Sequence[ExistingPo]],
) -> list[BaseTool]:
    """The deterministic checks as tools, bound to this run's master data and dates, and to
    `existing_pos`: a customer's other orders, read when the duplicate check runs."""

    def quote(
        customer_id: str,
        sku: str,
        quantity: Decimal,
        uom: str | None = None,
        stated_unit_price: Decimal | None = None,
        order_date: date | None = None,
    ) -> JsonObject:
        return _json(
            quote_price(md, customer_id, sku, quantity, uom, order_date or today, stated_unit_price)
        )

    def atp(
        sku: str,
        quantity: Decimal,
        need_by: date | None = None,
        warehouses: list[str] | None = None,
    ) -> JsonObject:
        return _json(available_to_promise(md, sku, quantity, need_by, warehouses, today=today))

    def carrier(
        origin_warehouse_id: str,
        postal_code: str,
        weight_kg: Decimal,
        country: str = "US",
        length_cm: Decimal = Decimal(0),
        width_cm: Decimal = Decimal(0),
        height_cm: Decimal = Decimal(0),
        hazmat_class: str | None = None,
        need_by: date | None = None,
    ) -> JsonObject:
        return _json(
            select_carrier(
                md,
                origin_warehouse_id=origin_warehouse_id,
                ship_to=Destination(postal_code=postal_code, country=country),
                weight_kg=weight_kg,
                volume_cm3=length_cm * width_cm * height_cm,
                hazmat_class=hazmat_class,
                ready_at=now,
                need_by=need_by,
            )
        )

    def plan(
        customer_id: str,
        postal_code: str,
        lines: list[PlanLineArgs],
        country: str = "US",
        need_by: date | None = None,
    ) -> JsonObject:
        order = FulfillmentOrder(
            customer_id=customer_id,
            ship_to=Destination(postal_code=postal_code, country=country),
            lines=tuple(
                OrderLine(line_no=ln.line_no, sku=ln.sku, quantity=ln.quantity) for ln in lines
            ),
            need_by=need_by,
        )
        return _json(plan_fulfillment(md, order, now=now))

    def credit(
        customer_id: str, order_total: Decimal, open_orders_total: Decimal = Decimal(0)
    ) -> JsonObject:
        return _json(check_credit(md, customer_id, order_total, open_orders_total))

    def duplicates(customer_id: str, po_number: str) -> JsonObject:
        return _json(find_duplicate_po(existing_pos(customer_id), customer_id, po_number))

    return [
        _tool(
            quote,
            "quote_price",
            QuotePriceArgs,
            "Price an order line for a customer: unit price per base unit and per ordered "
            "unit, its source (contract, promotion or list), extended price, and flags for "
            "unit mismatch, minimum quantity, pack multiple, discontinued items and a stated "
            "price that does not match.",
        ),
        _tool(
            atp,
            "available_to_promise",
            AvailabilityArgs,
            "Stock a SKU can promise per warehouse now and after scheduled receipts, the "
            "earliest date the full quantity is available, and warehouse splits that cover it "
            "by the need-by date.",
        ),
        _tool(
            carrier,
            "select_carrier",
            SelectCarrierArgs,
            "Carrier services for one shipment from a warehouse, cheapest first, with cost, "
            "ship and delivery dates, and every excluded service with its reasons.",
        ),
        _tool(
            plan,
            "plan_fulfillment",
            PlanFulfillmentArgs,
            "Least-cost plan of shipments (warehouse, lines, carrier, dates) for an order, "
            "and the lines that cannot be served with reasons.",
        ),
        _tool(
            credit,
            "check_credit",
            CheckCreditArgs,
            "Whether an order total fits the customer's credit: ok, over_limit with the "
            "headroom, on_hold or unknown_customer.",
        ),
        _tool(
            duplicates,
            "find_duplicate_po",
            DuplicatePoArgs,
            "Earlier orders or drafts of the customer with the same PO number, ignoring "
            "case, spaces, a 'PO'/'#' prefix and leading zeros.",
        ),
    ]


def build_lookup_tools(md: MasterData) -> list[BaseTool]:
    """Read-only fuzzy searches of the catalogue and the customer list."""

    def catalog(query: str, limit: int = 5) -> JsonObject:
        return _json(search_catalog(md, query, limit))

    def customers(query: str, limit: int = 5) -> JsonObject:
        return _json(search_customers(md, query, limit))

    return [
        _tool(
            catalog,
            "search_catalog",
            SearchArgs,
            "Find products by SKU or description (fuzzy); returns SKU, description, base "
            "unit, whether discontinued, and a 0-100 score.",
        ),
        _tool(
            customers,
            "search_customers",
            SearchArgs,
            "Find customers by id, name, alias, sender e-mail address or domain (fuzzy).",
        ),
    ]


def run_tool(tool: BaseTool, args: dict[str, object]) -> JsonObject:
    """One tool call's result: its arguments validated by the tool's schema, then its function.

    What `tool.invoke` does for these tools (a ValidationError or ValueError propagates), without
    LangChain's per-call callback and signature work: about 0.35 ms a call, a dozen calls an order.
    """
    schema = tool.args_schema
    if not (isinstance(tool, StructuredTool) and tool.func and _is_model(schema)):
        raise TypeError(f"{tool.name} is not one of build_core_tools' tools")
    parsed = schema.model_validate(args)
    result: JsonObject = tool.func(
        **{name: getattr(parsed, name) for name in parsed.model_fields_set}
    )
    return result


def _is_model(schema: object) -> TypeGuard[type[BaseModel]]:
    return isinstance(schema, type) and issubclass(schema, BaseModel)


def _tool(
    func: Callable[..., JsonObject], name: str, schema: type[BaseModel], description: str
) -> BaseTool:
    return StructuredTool.from_function(
        func=func, name=name, description=description, args_schema=schema
    )


def _json(result: Result) -> JsonObject:
    return result.model_dump(mode="json")
