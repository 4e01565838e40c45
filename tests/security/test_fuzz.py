"""Item 13: thousands of malformed MIME messages, spreadsheets and PDFs through parsing: no
exception escapes; a sample through the whole graph each ends as a draft or in quarantine."""

from __future__ import annotations

import io
import random

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from openpyxl import Workbook
from sqlmodel import Session, select

from app.documents.attachments import parse_leaf
from app.documents.isolation import parse_in_subprocess
from app.documents.mail import parse_message
from app.drafts.tables import DraftOrder, DraftStatus
from app.extraction.factory import rules_extractor
from app.intake.tables import InboundMessage, MessageStatus
from app.pipeline import GraphRunner
from app.routing.policy import default_policy
from tests.security.conftest import ContextFactory, store
from tests.security.hostile import mail_with, text_pdf, zip_of
from tests.support import REPO

FUZZ = settings(
    deadline=None,
    derandomize=True,
    database=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)


def _xlsx() -> bytes:
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    for row in (["item", "qty", "price"], ["ABR-1015", 10, 10.35], ["CHM-1020", 12, 4.5]):
        sheet.append(row)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


XLSX = _xlsx()
CSV = b"item;qty;price\nABR-1015;10;10,35\nCHM-1020;12;4,50\n"
PDF = text_pdf("PO 45821 ABR-1015 10 EA")
SEEDS = [p.read_bytes() for p in sorted((REPO / "app/demo_inbox").glob("*.eml"))] + [
    mail_with(PDF, "po.pdf"),
    mail_with(XLSX, "po.xlsx", subtype="vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
    mail_with(CSV, "po.csv", subtype="csv"),
    mail_with(zip_of({"po.csv": CSV}), "po.zip", subtype="zip"),
]


@st.composite
def mutated(draw: st.DrawFn, seeds: list[bytes]) -> bytes:
    """A seed with a few byte-level edits: flips, insertions, deletions, cuts, repeats."""
    data = bytearray(draw(st.sampled_from(seeds)))
    for _ in range(draw(st.integers(1, 6))):
        if not data:
            break
        at = draw(st.integers(0, len(data) - 1))
        edit = draw(st.sampled_from(["flip", "insert", "delete", "cut", "repeat", "splice"]))
        if edit == "flip":
            data[at] = draw(st.integers(0, 255))
        elif edit == "insert":
            data[at:at] = draw(
                st.sampled_from(
                    [
                        b"\r\n",
                        b"--",
                        b"=?utf-8?b?",
                        b"\x00",
                        b";",
                        b"boundary=",
                        b"Content-Type: multipart/mixed",
                        b"\xff\xfe",
                        b"<!--",
                        b"%PDF-",
                        b"PK\x03\x04",
                    ]
                )
            )
        elif edit == "delete":
            del data[at : at + draw(st.integers(1, 64))]
        elif edit == "cut":
            del data[at:]
        elif edit == "repeat":
            data[at:at] = data[at : at + draw(st.integers(1, 200))] * draw(st.integers(2, 20))
        else:
            data[at:at] = draw(st.binary(max_size=64))
    return bytes(data)


@settings(FUZZ, max_examples=1500)
@given(raw=mutated(SEEDS))
def test_malformed_mime_never_raises(raw: bytes) -> None:
    parsed = parse_message(raw)
    assert all(d.document_id for d in parsed.documents)


@settings(FUZZ, max_examples=600)
@given(data=mutated([XLSX]))
def test_malformed_xlsx_never_raises(data: bytes) -> None:
    doc = parse_leaf(data, kind="xlsx", document_id="att-1", filename="po.xlsx", content_type=None)
    assert doc.text or doc.problems or doc.tables is not None


@settings(FUZZ, max_examples=1000)
@given(data=mutated([CSV, CSV.replace(b";", b","), "ä;ö;ü\n١٠;x;\n".encode()]))
def test_malformed_csv_never_raises(data: bytes) -> None:
    parse_leaf(data, kind="csv", document_id="att-1", filename="po.csv", content_type=None)


@pytest.mark.slow
@settings(FUZZ, max_examples=25)
@given(pdf=mutated([PDF]))
def test_malformed_pdfs_in_the_parse_child_never_raise(pdf: bytes) -> None:
    parsed = parse_in_subprocess(mail_with(pdf, "po.pdf"), cpu_s=5, wall_s=15, memory_mb=1024)
    assert parsed.problems == [] or all(":" in p or p for p in parsed.problems)


def _damaged(seed: bytes, rng: random.Random) -> bytes:
    """A seed with a few random bytes changed and maybe its end cut off."""
    data = bytearray(seed)
    for _ in range(rng.randint(1, 8)):
        data[rng.randrange(len(data))] = rng.randrange(256)
    return bytes(data[: rng.randint(len(data) // 2, len(data))])


@pytest.mark.slow
def test_a_sample_through_the_graph_each_ends_as_a_draft_or_in_quarantine(
    make_ctx: ContextFactory,
) -> None:
    ctx = make_ctx(parse_cpu_s=5, parse_timeout_s=15)
    runner = GraphRunner(ctx=ctx, extractor=rules_extractor(), policy=default_policy())
    inputs = [
        b"",
        b"\x00\xff" * 100,
        b"From: x\r\n\r\n",
        *(_damaged(seed, random.Random(n)) for n, seed in enumerate(SEEDS[::2])),
    ]
    ids = []
    for n, raw in enumerate(inputs):
        try:
            message_id = store(ctx, raw + f"\r\nX-Fuzz: {n}\r\n".encode())
        except Exception as exc:
            pytest.fail(f"intake refused input {n}: {exc!r}")
        runner.process(message_id)
        ids.append(message_id)
    with Session(ctx.engine) as s:
        for message_id in ids:
            message = s.get(InboundMessage, message_id)
            draft = s.exec(
                select(DraftOrder).where(DraftOrder.inbound_message_id == message_id)
            ).first()
            assert message is not None
            quarantined = message.status == MessageStatus.QUARANTINED and bool(
                message.quarantine_reason
            )
            assert quarantined or (
                draft is not None
                and draft.status != DraftStatus.PROCESSING
                and draft.route_decision is not None
            ), message_id
