"""What a model can reach and what its answer can do (items 7, 15/16, 17, 19).

The LLM extractor runs for real (ChatOpenAI) against the local fake OpenAI server."""

from __future__ import annotations

import copy
import re
from decimal import Decimal
from typing import Any

import pytest
from fastapi.testclient import TestClient
from pydantic import SecretStr
from sqlalchemy import inspect
from sqlmodel import Session, select

from app.core.config import Settings
from app.core.context import AppContext
from app.core.db import session_scope
from app.documents.mail import parse_message
from app.documents.model import DocumentKind, ParsedDocument, ParsedMessage
from app.drafts.facts import document_confidence
from app.drafts.tables import DraftLine, DraftOrder
from app.extraction.base import ExtractionFailed
from app.extraction.factory import LlmWithRulesExtractor
from app.extraction.llm import LlmExtractor
from app.main import create_app
from app.review.tables import ReviewTask
from tests.documents.pdfgen import FakePage, build_pdf
from tests.fakes.openai_server import FakeOpenAIServer, Reply
from tests.fakes.sample_po import po_answer, po_message
from tests.graphs.test_graph import email
from tests.security.conftest import ContextFactory, process

API_KEY = "sk-boundary-test"


def settings_for(server: FakeOpenAIServer, **overrides: Any) -> Settings:
    values: dict[str, Any] = {
        "llm_model": "gpt-test",
        "llm_base_url": server.base_url,
        "llm_api_key": SecretStr(API_KEY),
        "llm_timeout_s": 5.0,
        "llm_max_retries": 0,
        **overrides,
    }
    return Settings(_env_file=None, **values)


class StubRules:
    name = "rules"

    def extract(self, message: ParsedMessage) -> Any:
        from app.extraction.schema import ExtractedOrder

        return ExtractedOrder(extractor="rules")


def _sent(server: FakeOpenAIServer) -> str:
    return "\n".join(r.raw.decode() for r in server.chat_requests)


# ------------------------------------------------------------------ 7: withheld documents


def _withheld_doc(document_id: str, problem: str, *, encrypted: bool = False) -> ParsedDocument:
    return ParsedDocument(
        document_id=document_id,
        kind=DocumentKind.PDF,
        filename=f"{problem}-SECRET.pdf",
        text=f"TEXT-OF-{problem.upper()}",
        encrypted=encrypted,
        problems=[problem],
    )


def test_encrypted_and_oversized_documents_never_reach_the_model(
    openai_server: FakeOpenAIServer,
) -> None:
    message = po_message()
    message.documents += [
        _withheld_doc("att-2", "encrypted", encrypted=True),
        _withheld_doc("att-3", "too_many_pages"),
        _withheld_doc("att-4", "parse_failure: timeout"),
    ]
    openai_server.script(Reply.answer(po_answer()))

    LlmExtractor(settings_for(openai_server)).extract(message)

    sent = _sent(openai_server)
    assert "HM-7781" in sent  # the readable PDF went
    for secret in (
        "TEXT-OF-ENCRYPTED",
        "TEXT-OF-TOO_MANY_PAGES",
        "TEXT-OF-PARSE_FAILURE",
        "SECRET.pdf",
        "att-2",
        "att-3",
        "att-4",
    ):
        assert secret not in sent


def test_real_encrypted_and_over_the_page_cap_pdfs_make_no_model_call(
    openai_server: FakeOpenAIServer,
) -> None:
    locked = build_pdf([FakePage(texts=[(50, 50, 12, "ABR-1015 qty 10")])], user_password="pw")
    long = build_pdf([FakePage(texts=[(50, 50, 12, "ABR-1015 qty 10")])] * 3)
    extractor = LlmWithRulesExtractor(LlmExtractor(settings_for(openai_server)), StubRules())
    for pdf, problem in ((locked, "encrypted"), (long, "too_many_pages")):
        parsed = parse_message(_attachment_only(pdf), max_pages=2)
        assert problem in parsed.documents[0].problems

        order = extractor.extract(parsed)

        assert order.extractor == "rules"
        assert "extractor_failure: document_withheld" in order.warnings
    assert openai_server.requests == []


def test_a_message_whose_parse_failed_never_reaches_the_model(
    openai_server: FakeOpenAIServer,
) -> None:
    message = ParsedMessage(subject="PO 4711", problems=["parse_failure: memory"])
    with pytest.raises(ExtractionFailed) as failed:
        LlmExtractor(settings_for(openai_server)).extract(message)
    assert failed.value.reason == "document_withheld" and openai_server.requests == []


def _attachment_only(pdf: bytes) -> bytes:
    return (
        b"From: buyer@greatlakesfab.com\r\nSubject: PO\r\nMIME-Version: 1.0\r\n"
        b"Content-Type: application/pdf; name=po.pdf\r\nContent-Transfer-Encoding: base64"
        b"\r\n\r\n" + __import__("base64").encodebytes(pdf)
    )


# ------------------------------------------------------------ 15/16: no tools, inert output


def test_the_extraction_request_binds_no_tools(
    openai_server: FakeOpenAIServer,
) -> None:
    openai_server.script(Reply.answer(po_answer()))
    LlmExtractor(settings_for(openai_server)).extract(po_message())

    [request] = openai_server.chat_requests
    body = request.body
    assert not {"tools", "tool_choice", "functions", "function_call"} & set(body)
    assert body["response_format"]["type"] == "json_schema"
    assert body["response_format"]["json_schema"]["strict"] is True


def test_a_model_that_answers_with_tool_calls_gets_nothing_executed(
    openai_server: FakeOpenAIServer,
) -> None:
    call = ("reserve_stock", {"sku": "ABR-1015", "quantity": 10_000})
    openai_server.script(Reply.calls(call), Reply.calls(call))
    extractor = LlmWithRulesExtractor(LlmExtractor(settings_for(openai_server)), StubRules())

    order = extractor.extract(po_message())

    assert order.extractor == "rules" and order.lines == []
    assert any(w.startswith("extractor_failure") for w in order.warnings)


def test_schema_failures_never_become_draft_values(
    openai_server: FakeOpenAIServer,
) -> None:
    bad = po_answer(
        customer_po_number={"value": "FROM-BAD-ANSWER", "confidence": 2.0, "evidence": None}
    )
    openai_server.script(Reply.answer(bad), Reply.answer(bad))
    extractor = LlmWithRulesExtractor(LlmExtractor(settings_for(openai_server)), StubRules())

    order = extractor.extract(po_message())

    assert order.customer_po_number.value is None  # the rules' (empty) reading, not the model's
    assert "FROM-BAD-ANSWER" not in order.model_dump_json()
    assert "extractor_failure: schema" in order.warnings


HOSTILE_PO = "45821'; DROP TABLE orders; --"
HOSTILE_DESCRIPTION = "<script>alert('x')</script><img src=x onerror=alert(1)>"


def test_sql_and_html_in_a_model_answer_stay_inert_text(
    make_ctx: ContextFactory, openai_server: FakeOpenAIServer
) -> None:
    body = f"Purchase order {HOSTILE_PO}\nABR-1015 {HOSTILE_DESCRIPTION} 10 EA\n"
    answer = _answer_for_body(po=HOSTILE_PO, description=HOSTILE_DESCRIPTION)
    openai_server.handler = lambda request: Reply.answer(answer)
    ctx = make_ctx()
    extractor = LlmExtractor(settings_for(openai_server))

    state = process(ctx, email(body=body, message_id="<hostile-answer@t>"), extractor)

    assert state.route is not None and state.route.decision == "review"
    with Session(ctx.engine) as s:
        draft = s.exec(select(DraftOrder)).one()
        assert draft.customer_po_number == HOSTILE_PO  # stored as text, bound as a parameter
        [line] = s.exec(select(DraftLine)).all()
        assert line.description == HOSTILE_DESCRIPTION
        task = s.exec(select(ReviewTask)).one()
    assert "orders" in inspect(ctx.engine).get_table_names()
    page = _reviewer_page(ctx, f"/tasks/{task.id}")
    assert "<script>alert(" not in page and "<img src=x" not in page  # no live markup
    assert "&lt;script&gt;" in page and "&lt;img src=x" in page  # shown as text


def _answer_for_body(
    *, po: str, description: str, confidence: float = 0.9, line_confidence: float | None = None
) -> dict[str, Any]:
    answer = po_answer(
        customer_name={"value": None, "confidence": confidence, "evidence": None},
        customer_po_number={"value": po, "confidence": confidence, "evidence": None},
        order_date={"value": None, "confidence": confidence, "evidence": None},
        currency={"value": None, "confidence": confidence, "evidence": None},
        total={"value": None, "confidence": confidence, "evidence": None},
        ship_to={
            "name": None,
            "street": None,
            "city": None,
            "region": None,
            "postal_code": None,
            "country": None,
            "confidence": confidence,
            "evidence": None,
        },
        lines=[
            {
                "customer_item_code": "ABR-1015",
                "description": description,
                "quantity": 10,
                "uom": "EA",
                "unit_price": None,
                "requested_date": None,
                "confidence": confidence if line_confidence is None else line_confidence,
                "evidence": None,
            }
        ],
    )
    return copy.deepcopy(answer)


def _reviewer_page(ctx: AppContext, path: str) -> str:
    from app.auth.service import create_user
    from app.auth.tables import Role

    password = "a-long-reviewer-password"
    with session_scope(ctx.engine) as session:
        create_user(
            session,
            username="rev",
            password=password,
            role=Role.REVIEWER,
            approval_limit=Decimal("10000"),
            display_name="Rev",
            actor="test",
        )
    app = create_app(ctx.settings, context=ctx, migrate=False, start_worker=False)
    with TestClient(app, base_url="https://testserver", follow_redirects=False) as client:
        login = client.get("/login").text
        token = re.search(r'name="csrf_token" value="([^"]+)"', login)
        assert token is not None
        client.post(
            "/login",
            data={
                "username": "rev",
                "password": password,
                "csrf_token": token.group(1),
                "next": "/",
            },
        )
        page = client.get(path)
        assert page.status_code == 200, page.status_code
        return page.text


# ------------------------------------------------------ 17: self-reported confidence is moot

DEMO_BODY = (
    "Purchase Order PO-77120\nDate: 11/17/2026\n"
    "Ship to: Great Lakes Fabrication Inc. - Plant 1, 4120 W 36th St, Cleveland, OH "
    "44109\nABR-1015  Chop Saw Wheel  10 EA\nCHM-1020  Lithium grease cartridge  12 EA\n"
)


def _demo_answer(confidence: float) -> dict[str, Any]:
    def field(value: object) -> dict[str, Any]:
        return {"value": value, "confidence": confidence, "evidence": None}

    return po_answer(
        is_order={"value": True, "confidence": confidence, "evidence": None},
        is_change={"value": False, "confidence": confidence, "evidence": None},
        customer_name=field("Great Lakes Fabrication Inc."),
        customer_po_number=field("PO-77120"),
        order_date=field("2026-11-17"),
        requested_delivery_date=field(None),
        currency=field(None),
        total=field(None),
        ship_to={
            "name": "Great Lakes Fabrication Inc. - Plant 1",
            "street": "4120 W 36th St",
            "city": "Cleveland",
            "region": "OH",
            "postal_code": "44109",
            "country": "US",
            "confidence": confidence,
            "evidence": None,
        },
        lines=[
            {
                "customer_item_code": code,
                "description": text,
                "quantity": qty,
                "uom": "EA",
                "unit_price": None,
                "requested_date": None,
                "confidence": confidence,
                "evidence": None,
            }
            for code, text, qty in (
                ("ABR-1015", "Chop Saw Wheel", 10),
                ("CHM-1020", "Lithium grease cartridge", 12),
            )
        ],
    )


def test_the_route_does_not_move_with_the_models_self_reported_confidence(
    make_ctx: ContextFactory, openai_server: FakeOpenAIServer
) -> None:
    outcomes = []
    for confidence in (0.99, 0.2):
        openai_server.handler = lambda request, c=confidence: Reply.answer(_demo_answer(c))
        ctx = make_ctx()
        state = process(
            ctx,
            email(body=DEMO_BODY, message_id="<conf@t>"),
            LlmExtractor(settings_for(openai_server)),
        )
        assert state.route is not None and state.extracted is not None and state.facts
        outcomes.append(
            (
                state.route.decision,
                state.route.reasons,
                state.facts.document_confidence,
                [ln.quantity.confidence for ln in state.extracted.lines],
            )
        )
        unsure = [w for w in state.extracted.warnings if w.startswith("model_unsure")]
        assert bool(unsure) == (confidence < 0.5)  # reported to the reviewer, nothing more
    assert outcomes[0] == outcomes[1]


def test_confidence_comes_from_finding_the_value_not_from_the_model(
    openai_server: FakeOpenAIServer,
) -> None:
    sure, unsure = po_answer(), po_answer()
    for answer, confidence in ((sure, 0.99), (unsure, 0.05)):
        answer["lines"][0]["confidence"] = confidence
        for name in ("customer_po_number", "order_date", "currency", "total"):
            answer[name]["confidence"] = confidence
    openai_server.script(Reply.answer(sure), Reply.answer(unsure))
    extractor = LlmExtractor(settings_for(openai_server))

    first, second = extractor.extract(po_message()), extractor.extract(po_message())

    assert document_confidence(first) == document_confidence(second)
    assert first.lines[0].quantity.confidence == second.lines[0].quantity.confidence


# ---------------------------------------------------------------- 19: per-message token budget


def test_a_repair_that_would_pass_the_token_budget_is_not_sent(
    openai_server: FakeOpenAIServer,
) -> None:
    settings = settings_for(openai_server, llm_token_budget=4_000)
    filler = "Note: handle with care, stack no more than four pallets high.\n" * 2_000
    message = po_message(filler + po_message().documents[0].text)
    bad = po_answer(total={"value": -1, "confidence": 0.9, "evidence": None})
    openai_server.script(Reply.answer(bad, usage=(2_900, 400)), Reply.answer(po_answer()))
    extractor = LlmWithRulesExtractor(LlmExtractor(settings), StubRules())

    order = extractor.extract(message)

    assert len(openai_server.chat_requests) == 1  # the repair call was never made
    assert "extractor_failure: budget" in order.warnings and order.extractor == "rules"


def test_within_the_budget_the_repair_is_made(
    openai_server: FakeOpenAIServer,
) -> None:
    bad = po_answer(total={"value": -1, "confidence": 0.9, "evidence": None})
    openai_server.script(Reply.answer(bad), Reply.answer(po_answer()))
    order = LlmExtractor(settings_for(openai_server)).extract(po_message())
    assert len(openai_server.chat_requests) == 2 and order.total.value == Decimal("84")
