import json
from datetime import UTC, date, datetime

import pytest
from langchain_core.messages import ToolMessage
from langchain_core.tools import BaseTool
from pydantic import ValidationError

from tools.credit import ExistingPo
from tools.langchain_tools import build_core_tools, build_lookup_tools, run_tool
from tools.masterdata import MasterData


@pytest.fixture
def tools(md: MasterData) -> dict[str, BaseTool]:
    built = build_core_tools(
        md,
        today=date(2026, 11, 18),
        now=datetime(2026, 11, 18, 15, tzinfo=UTC),
        existing_pos=lambda customer: [ExistingPo("C1", "PO-77", "D1")],
    ) + build_lookup_tools(md)
    return {t.name: t for t in built}


def test_tool_names_and_schemas(tools: dict[str, BaseTool]) -> None:
    assert set(tools) == {
        "quote_price",
        "available_to_promise",
        "select_carrier",
        "plan_fulfillment",
        "check_credit",
        "find_duplicate_po",
        "search_catalog",
        "search_customers",
    }
    assert all(t.description for t in tools.values())
    assert {"customer_id", "sku", "quantity", "uom"} <= set(tools["quote_price"].args)


def test_results_are_json_objects(tools: dict[str, BaseTool]) -> None:
    quote = tools["quote_price"].invoke(
        {"customer_id": "C1", "sku": "BOLT", "quantity": 10, "uom": "cs"}
    )
    assert quote["extended_price"] == {"amount": "48.00", "currency": "USD"}
    json.dumps(quote)
    plan = tools["plan_fulfillment"].invoke(
        {
            "customer_id": "C1",
            "postal_code": "60611",
            "lines": [{"line_no": 1, "sku": "BOLT", "quantity": "200"}],
            "need_by": "2026-11-25",
        }
    )
    assert plan["shipments"][0]["warehouse_id"] == "W-CHI"
    carrier = tools["select_carrier"].invoke(
        {
            "origin_warehouse_id": "W-CHI",
            "postal_code": "60611",
            "weight_kg": 0.5,
            "length_cm": 50,
            "width_cm": 50,
            "height_cm": 50,
        }
    )
    assert carrier["billable_weight_kg"] == "25.000"
    assert tools["find_duplicate_po"].invoke({"customer_id": "C1", "po_number": "po 0077"})[
        "is_duplicate"
    ]
    assert tools["check_credit"].invoke({"customer_id": "C1", "order_total": 100})["status"] == "ok"
    atp = tools["available_to_promise"].invoke({"sku": "BOLT", "quantity": 10})
    assert atp["can_meet_need_by"]


def test_tool_call_gives_a_json_tool_message(tools: dict[str, BaseTool]) -> None:
    message = tools["search_catalog"].invoke(
        {
            "type": "tool_call",
            "id": "call-1",
            "name": "search_catalog",
            "args": {"query": "hex bolt m8"},
        }
    )
    assert isinstance(message, ToolMessage)
    assert json.loads(str(message.content))["hits"][0]["sku"] == "BOLT"


def test_customer_search_by_domain_and_alias(tools: dict[str, BaseTool]) -> None:
    for query in ("harbormarine.example", "Harbor Marine", "harbour marine supply"):
        hits = tools["search_customers"].invoke({"query": query})["hits"]
        assert hits[0]["customer_id"] == "C1", query


CALLS = [
    ("quote_price", {"customer_id": "C1", "sku": "BOLT", "quantity": "10", "uom": "cs"}),
    ("quote_price", {"customer_id": "C1", "sku": "NOPE", "quantity": 3}),
    ("available_to_promise", {"sku": "BOLT", "quantity": 500, "need_by": "2026-11-30"}),
    ("select_carrier", {"origin_warehouse_id": "W-CHI", "postal_code": "60611", "weight_kg": 2}),
    (
        "plan_fulfillment",
        {
            "customer_id": "C1",
            "postal_code": "07102",
            "lines": [{"line_no": 1, "sku": "BOLT", "quantity": "200"}],
        },
    ),
    ("check_credit", {"customer_id": "C1", "order_total": "1200.50"}),
    ("find_duplicate_po", {"customer_id": "C1", "po_number": "po 077"}),
]


@pytest.mark.parametrize(("name", "args"), CALLS)
def test_run_tool_answers_as_invoking_the_tool_does(
    tools: dict[str, BaseTool], name: str, args: dict[str, object]
) -> None:
    call = {"name": name, "args": args, "id": "call-1", "type": "tool_call"}
    invoked = tools[name].invoke(call)
    assert isinstance(invoked, ToolMessage)
    assert run_tool(tools[name], args) == json.loads(str(invoked.content))


def test_run_tool_refuses_arguments_the_schema_refuses(tools: dict[str, BaseTool]) -> None:
    with pytest.raises(ValidationError):
        run_tool(tools["available_to_promise"], {"sku": "BOLT", "quantity": -1})
    with pytest.raises(ValidationError):
        run_tool(tools["quote_price"], {"sku": "BOLT"})
