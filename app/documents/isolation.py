"""Parsing in a child process with CPU, memory and wall-clock limits.

Each parse runs in a fresh process forked from a forkserver that has already imported the
parsers (pdfplumber, openpyxl, pydantic): a fork costs milliseconds where starting
`python -m app.documents.child` cost a second of interpreter start-up and imports. The
forkserver is single-threaded, so forking it is safe however many threads the worker runs.
The child caps its own CPU seconds and address space (RLIMIT_CPU, RLIMIT_AS); the parent
keeps the wall clock and kills the child when it runs over.
"""

from __future__ import annotations

import multiprocessing
import os
import signal
import sys
import threading
import time
from email import policy
from email.parser import BytesHeaderParser
from multiprocessing.connection import Connection
from multiprocessing.context import ForkServerContext
from pathlib import Path

from pydantic import ValidationError

from app.documents.child import MEMORY_ERROR_EXIT, run_parse
from app.documents.mail import read_headers
from app.documents.model import ParsedMessage
from app.documents.pdf import DEFAULT_MAX_PAGES

PRELOAD = ["app.documents.child", "app.documents"]  # imported once, in the forkserver

_context: ForkServerContext | None = None
_context_lock = threading.Lock()
_peak_child_kb = 0


def parse_in_subprocess(
    source: bytes | list[Path],
    *,
    cpu_s: int = 60,
    wall_s: float = 120.0,
    memory_mb: int = 2048,
    max_pages: int = DEFAULT_MAX_PAGES,
) -> ParsedMessage:
    """parse_message / parse_files in a limited child; a killed child gives "parse_failure: …"."""
    arg: bytes | list[str] = (
        source if isinstance(source, bytes) else [str(Path(p).resolve()) for p in source]
    )
    receive, send = _forkserver().Pipe(duplex=False)
    child = _forkserver().Process(
        target=run_parse,
        args=(send, arg, cpu_s, memory_mb, max_pages),
        name="parse-child",
        daemon=True,
    )
    deadline = time.monotonic() + wall_s
    child.start()
    send.close()  # the child holds the only write end: EOF when it dies
    try:
        payload = _receive(receive, deadline)
        if payload is None:
            child.kill()
            child.join()
            return _failure(source, "timeout")
        child.join(max(0.0, deadline - time.monotonic()))
        if child.exitcode is None:
            child.kill()
            child.join()
            return _failure(source, "timeout")
    finally:
        receive.close()
    if child.exitcode != 0 or not payload:
        return _failure(source, _cause(child.exitcode or 0, b""))
    try:
        return ParsedMessage.model_validate_json(payload)
    except ValidationError:
        return _failure(source, "crash")


def peak_child_rss_mb() -> float:
    """The largest peak RSS any parse child of this process reported, in MB."""
    return _peak_child_kb / 1024


def _forkserver() -> ForkServerContext:
    global _context
    with _context_lock:
        if _context is None:
            context = multiprocessing.get_context("forkserver")
            assert isinstance(context, ForkServerContext)
            context.set_forkserver_preload([*_main_module(), *PRELOAD])
            _context = context
    return _context


def _main_module() -> list[str]:
    """The parent's main module, imported once in the forkserver.

    multiprocessing re-imports the parent's main module in every child it starts (as
    `__mp_main__`); imported once in the server, each child finds it there instead of paying
    for its imports (pytest, the CLI) on every parse.
    """
    main = sys.modules.get("__main__")
    spec_name = getattr(getattr(main, "__spec__", None), "name", None)
    if spec_name:
        return [spec_name]
    path = getattr(main, "__file__", None)
    return ["__main__"] if path and os.path.isfile(path) else []


def _receive(conn: Connection, deadline: float) -> bytes | None:
    """The child's JSON, b"" when it died without sending, None when the wall clock ran out."""
    global _peak_child_kb
    try:
        if not conn.poll(max(0.0, deadline - time.monotonic())):
            return None
        payload = conn.recv_bytes()
        if conn.poll(max(0.0, deadline - time.monotonic())):
            _peak_child_kb = max(_peak_child_kb, int(conn.recv_bytes()))
    except (EOFError, OSError, ValueError):
        return b""
    return payload


def _cause(returncode: int, stderr: bytes) -> str:
    """Why the child died: timeout (CPU limit), memory, or crash."""
    if returncode in (-signal.SIGXCPU, -signal.SIGKILL):
        return "timeout"
    if returncode == MEMORY_ERROR_EXIT or b"MemoryError" in stderr or b"Cannot allocate" in stderr:
        return "memory"
    return "crash"


def _failure(source: bytes | list[Path], cause: str) -> ParsedMessage:
    """A message carrying only its headers (when raw) and the failure problem."""
    result = ParsedMessage()
    if isinstance(source, bytes):
        headers = BytesHeaderParser(policy=policy.default).parsebytes(source[:65536])
        read_headers(headers, result)
        result.problems = [p for p in result.problems if p.startswith("from_")]
    result.problems.append(f"parse_failure: {cause}")
    return result
