"""Parsing in a limited child process."""

from __future__ import annotations

import signal
import zlib
from collections.abc import Iterator
from pathlib import Path

import pytest

from app.documents import isolation
from app.documents.child import MEMORY_ERROR_EXIT
from app.documents.isolation import _cause, parse_in_subprocess, shutdown_parse_children

from .mailgen import message
from .pdfgen import FakePage, build_pdf

pytestmark = pytest.mark.slow


def _slow_pdf(ops_count: int = 300_000) -> bytes:
    ops = b"\n".join(
        b"BT /F1 1 Tf %d %d Td (a) Tj ET" % (i % 600, i % 700) for i in range(ops_count)
    )
    return build_pdf([FakePage(flate_content=zlib.compress(ops, 1))])


def _idle_pids() -> list[int | None]:
    return [child.process.pid for child in isolation._idle]


@pytest.fixture(autouse=True)
def _fresh_children() -> Iterator[None]:
    shutdown_parse_children()
    yield
    shutdown_parse_children()


def _with_pdf(pdf: bytes) -> bytes:
    msg = message()
    msg.add_attachment(pdf, maintype="application", subtype="pdf", filename="po.pdf")
    return msg.as_bytes()


def test_child_returns_the_parsed_message() -> None:
    parsed = parse_in_subprocess(message().as_bytes(), cpu_s=20, wall_s=30, memory_mb=1024)
    assert parsed.problems == []
    assert parsed.sender == "alice@customer.example"
    assert parsed.documents[0].text == "Please ship PO 4711.\n"


def test_child_parses_paths(tmp_path: Path) -> None:
    path = tmp_path / "po.pdf"
    path.write_bytes(build_pdf([FakePage(texts=[(50, 50, 12, "Qty 7")])]))
    parsed = parse_in_subprocess([path], cpu_s=20, wall_s=30, memory_mb=1024)
    assert "Qty 7" in parsed.documents[0].text


def test_exit_causes_are_classified() -> None:
    assert _cause(MEMORY_ERROR_EXIT, b"") == "memory"
    assert _cause(1, b"Traceback ... MemoryError") == "memory"
    assert _cause(-signal.SIGXCPU, b"") == "timeout"
    assert _cause(-signal.SIGSEGV, b"") == "crash"


def test_slow_pdf_is_killed_at_the_wall_clock_limit() -> None:
    parsed = parse_in_subprocess(_with_pdf(_slow_pdf()), cpu_s=20, wall_s=1.5, memory_mb=1024)
    assert parsed.problems == ["parse_failure: timeout"]
    assert parsed.subject == "PO 4711"


def test_cpu_limit_counts_as_timeout() -> None:
    parsed = parse_in_subprocess(_with_pdf(_slow_pdf()), cpu_s=1, wall_s=30, memory_mb=1024)
    assert parsed.problems == ["parse_failure: timeout"]


def test_one_child_parses_message_after_message() -> None:
    raw = message().as_bytes()
    parse_in_subprocess(raw, cpu_s=20, wall_s=30, memory_mb=1024)
    first = _idle_pids()
    parsed = parse_in_subprocess(raw, cpu_s=20, wall_s=30, memory_mb=1024)
    assert parsed.problems == [] and len(first) == 1
    assert _idle_pids() == first


def test_a_child_killed_at_the_wall_clock_is_replaced() -> None:
    raw = message().as_bytes()
    parse_in_subprocess(raw, cpu_s=20, wall_s=30, memory_mb=1024)
    before = _idle_pids()
    slow = parse_in_subprocess(_with_pdf(_slow_pdf()), cpu_s=20, wall_s=1.5, memory_mb=1024)
    assert slow.problems == ["parse_failure: timeout"] and _idle_pids() == []
    parsed = parse_in_subprocess(raw, cpu_s=20, wall_s=30, memory_mb=1024)
    assert parsed.problems == [] and _idle_pids() != before


def test_the_cpu_limit_is_per_message_not_per_child() -> None:
    """Each message may spend cpu_s: a child past cpu_s in total keeps parsing."""
    raw = _with_pdf(_slow_pdf(6_000))
    for _ in range(4):
        parsed = parse_in_subprocess(raw, cpu_s=1, wall_s=30, memory_mb=1024)
        assert parsed.problems == []
    assert len(_idle_pids()) == 1


def test_children_retire_after_their_share_of_tasks(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(isolation, "MAX_TASKS_PER_CHILD", 2)
    raw = message().as_bytes()
    pids = []
    for _ in range(3):
        parse_in_subprocess(raw, cpu_s=20, wall_s=30, memory_mb=1024)
        pids.append(_idle_pids())
    first, retired, fresh = pids
    assert len(first) == 1 and retired == []  # its second task was its last
    assert len(fresh) == 1 and fresh != first


def test_a_child_serves_only_its_own_memory_cap() -> None:
    raw = message().as_bytes()
    parse_in_subprocess(raw, cpu_s=20, wall_s=30, memory_mb=1024)
    roomy = _idle_pids()
    parse_in_subprocess(raw, cpu_s=20, wall_s=30, memory_mb=512)
    assert len(_idle_pids()) == 1 and _idle_pids() != roomy
    assert [c.memory_mb for c in isolation._idle] == [512]


def test_a_child_past_half_its_address_space_is_not_reused() -> None:
    """Retired once it maps more than half its RLIMIT_AS, so the next message gets the whole
    headroom a fresh child has."""
    raw = message().as_bytes()
    assert parse_in_subprocess(raw, cpu_s=20, wall_s=30, memory_mb=1024).problems == []
    (roomy,) = isolation._idle
    assert 0 < roomy.space_kb < 512 * 1024
    tight_mb = roomy.space_kb * 3 // 2 // 1024 + 1  # a fresh child fits, but past half of it
    assert parse_in_subprocess(raw, cpu_s=20, wall_s=30, memory_mb=tight_mb).problems == []
    assert _idle_pids() == []


def test_prestarted_children_take_the_first_messages() -> None:
    assert isolation.prestart_parse_children(2, memory_mb=1024) == 2
    assert isolation.prestart_parse_children(2, memory_mb=1024) == 0  # enough wait already
    waiting = set(_idle_pids())
    assert len(waiting) == 2
    parsed = parse_in_subprocess(message().as_bytes(), memory_mb=1024)
    assert parsed.problems == [] and set(_idle_pids()) == waiting
