"""Parsing in a limited child process."""

from __future__ import annotations

import signal
import zlib
from pathlib import Path

import pytest

from app.documents.child import MEMORY_ERROR_EXIT
from app.documents.isolation import _cause, parse_in_subprocess

from .mailgen import message
from .pdfgen import FakePage, build_pdf

pytestmark = pytest.mark.slow


def _slow_pdf() -> bytes:
    ops = b"\n".join(b"BT /F1 1 Tf %d %d Td (a) Tj ET" % (i % 600, i % 700) for i in range(300_000))
    return build_pdf([FakePage(flate_content=zlib.compress(ops, 1))])


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
