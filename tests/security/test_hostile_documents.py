"""Item 6: PDFs that hang or explode are stopped by the parse child's limits (CPU, memory,
wall clock); the worker lives on and the message goes to review with parse_failure."""

from __future__ import annotations

import os
import time
from collections.abc import Callable

import pytest
from sqlmodel import Session, select

from app.documents.isolation import parse_in_subprocess
from app.documents.model import ParsedMessage
from app.drafts.tables import DraftOrder, DraftStatus
from app.extraction.schema import ExtractedOrder
from app.jobs.handlers import HandlerRegistry, load_handlers
from app.jobs.tables import Job, JobStatus
from app.jobs.worker import Worker
from app.pipeline import GraphRunner
from app.routing.policy import default_policy
from tests.graphs.test_graph import CLEAN, FakeExtractor, email
from tests.security.conftest import ContextFactory, store
from tests.security.hostile import (
    fan_out_forms_pdf,
    flate_bomb_pdf,
    looping_forms_pdf,
    mail_with,
    self_referencing_pages_pdf,
    text_pdf,
)

pytestmark = pytest.mark.slow

WALL_S = 8.0


def _parse(pdf: bytes, *, cpu_s: int = 2, memory_mb: int = 512) -> tuple[float, list[str]]:
    started = time.monotonic()
    parsed = parse_in_subprocess(
        mail_with(pdf, "po.pdf"), cpu_s=cpu_s, wall_s=WALL_S, memory_mb=memory_mb
    )
    problems = parsed.problems + [p for d in parsed.documents for p in d.problems]
    return time.monotonic() - started, problems


def test_a_flate_bomb_is_refused_by_the_memory_limit() -> None:
    # Two FlateDecode filters: 4 KB on the wire, 1.5 GB inflated; the child may have 512 MB.
    elapsed, problems = _parse(flate_bomb_pdf(1500), memory_mb=512)
    assert elapsed < WALL_S
    assert any(
        "allocate" in p or "MemoryError" in p or p == "parse_failure: memory" for p in problems
    ), problems


def test_forms_that_multiply_are_killed_at_the_cpu_limit() -> None:
    elapsed, problems = _parse(fan_out_forms_pdf(), cpu_s=2)
    assert problems == ["parse_failure: timeout"]
    assert elapsed < WALL_S + 2


@pytest.mark.parametrize(
    "pdf",
    [self_referencing_pages_pdf, looping_forms_pdf],
    ids=["self_referencing_page_tree", "looping_form_xobjects"],
)
def test_cycles_in_a_pdf_end_within_the_limits(pdf: Callable[[], bytes]) -> None:
    elapsed, problems = _parse(pdf())
    assert elapsed < WALL_S and "parse_failure: timeout" not in problems


def test_the_address_space_limit_is_enforced_in_the_child() -> None:
    """RLIMIT_AS really applies: a message the parser needs ~100 MB for dies at 150 MB as
    parse_failure: memory, and parses at 1 GB."""
    raw = mail_with(os.urandom(15 * 1024 * 1024), "po.csv", subtype="octet-stream")
    limited = parse_in_subprocess(raw, cpu_s=10, wall_s=30, memory_mb=150)
    assert limited.problems == ["parse_failure: memory"]
    assert limited.sender == "mkowalski@greatlakesfab.com"  # headers kept for review
    roomy = parse_in_subprocess(raw, cpu_s=10, wall_s=30, memory_mb=1024)
    assert not roomy.problems and len(roomy.documents) == 2


class OnePoPerMessage(FakeExtractor):
    """The clean order of the graph tests, under a PO number of its own for each message."""

    def __init__(self) -> None:
        super().__init__(CLEAN)

    def extract(self, message: ParsedMessage) -> ExtractedOrder:
        order = super().extract(message)
        order.customer_po_number.value = f"PO-{abs(hash(message.message_id)) % 10**8}"
        return order


def test_the_worker_survives_and_each_hostile_pdf_goes_to_review(make_ctx: ContextFactory) -> None:
    ctx = make_ctx(parse_cpu_s=2, parse_timeout_s=WALL_S, parse_memory_mb=512)
    hostile = {
        "flate_bomb": flate_bomb_pdf(1500),
        "fan_out_forms": fan_out_forms_pdf(),
        "self_referencing_pages": self_referencing_pages_pdf(),
    }
    ids = {
        name: store(ctx, mail_with(pdf, f"{name}.pdf", message_id=f"<{name}@t>"))
        for name, pdf in hostile.items()
    }
    clean_id = store(
        ctx, email(message_id="<after-the-bombs@t>", attachment=("po.pdf", text_pdf("PO 45821")))
    )
    ctx.extras["graph_runner"] = GraphRunner(
        ctx=ctx, extractor=OnePoPerMessage(), policy=default_policy()
    )
    worker = Worker(ctx, registry=load_handlers(HandlerRegistry(), ("app.pipeline",)))

    while worker.run_once():
        pass

    with Session(ctx.engine) as s:
        assert {j.status for j in s.exec(select(Job))} == {JobStatus.DONE}
        drafts = {d.inbound_message_id: d for d in s.exec(select(DraftOrder))}
    for name, message_id in ids.items():
        draft = drafts[message_id]
        assert draft.status == DraftStatus.IN_REVIEW, name
        assert "parse_failure" in draft.reasons, (name, draft.reasons)
    assert drafts[clean_id].status == DraftStatus.APPROVED  # the next message is unaffected
