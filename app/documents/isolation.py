"""Parsing in sandboxed child processes with CPU, memory and wall-clock limits.

A small pool of long-lived parse children, forked from a forkserver that has already imported
the parsers (pdfplumber, openpyxl, pydantic), parses many messages each: a task costs one
round trip over a pipe instead of a fork and a cold process. The forkserver is
single-threaded, so forking it is safe however many threads the worker runs; each thread
takes an idle child (or starts one), so there are about as many children as parsing threads.

Limits: a child caps its address space once, when it starts (RLIMIT_AS: past it, MemoryError
and the child exits), and before each task moves its CPU limit to `cpu_s` seconds beyond what
it has spent (RLIMIT_CPU: SIGXCPU kills it). The parent keeps the wall clock and kills a child
that runs over. A child that died or was killed is never reused; the next task starts a fresh
one. Children are retired after MAX_TASKS_PER_CHILD tasks, once their peak RSS passes
RECYCLE_PEAK_MB, or once their address space has grown past half their RLIMIT_AS: a leak or a
fragmented heap does not live on, and a document never meets a memory limit that a fresh child
would have had room under. Results come back as the
ParsedMessage's JSON, validated by the parent: cheaper than pickle here (JSON ~0.23 ms per
message both ways, pickle ~0.48 ms) and a child that parsed a hostile document cannot hand
the parent anything to unpickle.
"""

from __future__ import annotations

import multiprocessing
import os
import signal
import sys
import threading
import time
from dataclasses import dataclass
from email import policy
from email.parser import BytesHeaderParser
from multiprocessing.connection import Connection
from multiprocessing.context import ForkServerContext
from multiprocessing.process import BaseProcess
from pathlib import Path

from pydantic import ValidationError

from app.documents.child import MEMORY_ERROR_EXIT, ParseTask, serve
from app.documents.mail import read_headers
from app.documents.model import ParsedMessage
from app.documents.pdf import DEFAULT_MAX_PAGES

PRELOAD = ["app.documents.child", "app.documents"]  # imported once, in the forkserver
MAX_IDLE_CHILDREN = 4  # idle children kept; more parsing threads start more, then retire them
MAX_TASKS_PER_CHILD = 200
RECYCLE_PEAK_MB = 300

_context: ForkServerContext | None = None
_context_lock = threading.Lock()
_idle: list[_ParseChild] = []
_idle_lock = threading.Lock()
_peak_child_kb = 0


@dataclass
class _ParseChild:
    """A serving child process, the parent's end of its pipe, and how much it has done."""

    process: BaseProcess
    conn: Connection
    memory_mb: int
    tasks: int = 0
    peak_kb: int = 0
    space_kb: int = 0  # address space after its last task

    def stop(self) -> None:
        """Kill the child (idle or stuck) and reap it."""
        self.conn.close()
        if self.process.exitcode is None:
            self.process.kill()
        self.process.join()


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
    deadline = time.monotonic() + wall_s
    child = _submit(ParseTask(arg, cpu_s, max_pages), memory_mb)
    try:
        payload = _receive(child, deadline)
    except BaseException:  # interrupted mid-task: the child's state is unknown, never reuse it
        child.stop()
        raise
    if payload is None:
        child.stop()
        return _failure(source, "timeout")
    if not payload:  # the child died: see how, within what is left of the wall clock
        child.process.join(max(0.0, deadline - time.monotonic()))
        exitcode = child.process.exitcode
        child.stop()
        return _failure(source, "timeout" if exitcode is None else _cause(exitcode, b""))
    _release(child)
    try:
        return ParsedMessage.model_validate_json(payload)
    except ValidationError:
        return _failure(source, "crash")


def peak_child_rss_mb() -> float:
    """The largest peak RSS any parse child of this process reported, in MB."""
    return _peak_child_kb / 1024


def prestart_parse_children(count: int, *, memory_mb: int = 2048) -> int:
    """Start the forkserver and idle children until `count` (at most MAX_IDLE_CHILDREN) wait
    with this memory cap, so a worker's first messages do not pay for them; how many started."""
    with _idle_lock:
        ready = sum(1 for c in _idle if c.memory_mb == memory_mb and c.process.exitcode is None)
    started = [_start(memory_mb) for _ in range(min(count, MAX_IDLE_CHILDREN) - ready)]
    for child in started:
        _release(child, done=0)
    return len(started)


def shutdown_parse_children() -> None:
    """Stop every idle parse child (the next parse starts a fresh one)."""
    with _idle_lock:
        children = list(_idle)
        _idle.clear()
    for child in children:
        child.stop()


def _submit(task: ParseTask, memory_mb: int) -> _ParseChild:
    """Hand the task to an idle child with the same memory cap, or to a new one."""
    child = _acquire(memory_mb)
    try:
        child.conn.send(task)
    except OSError:  # it died while idle (killed from outside): once more, on a fresh one
        child.stop()
        child = _start(memory_mb)
        try:
            child.conn.send(task)
        except BaseException:
            child.stop()
            raise
    return child


def _acquire(memory_mb: int) -> _ParseChild:
    with _idle_lock:
        while _idle:
            child = _idle.pop()
            if child.memory_mb == memory_mb and child.process.exitcode is None:
                return child
            child.stop()
    return _start(memory_mb)


def _release(child: _ParseChild, *, done: int = 1) -> None:
    """Back to the idle children, unless it is due for retirement or there are enough."""
    child.tasks += done
    worn = (
        child.tasks >= MAX_TASKS_PER_CHILD
        or child.peak_kb > RECYCLE_PEAK_MB * 1024
        or (child.memory_mb > 0 and child.space_kb > child.memory_mb * 1024 // 2)
    )
    with _idle_lock:
        if not worn and len(_idle) < MAX_IDLE_CHILDREN:
            _idle.append(child)
            return
    child.stop()


def _start(memory_mb: int) -> _ParseChild:
    context = _forkserver()
    ours, theirs = context.Pipe(duplex=True)
    process = context.Process(
        target=serve, args=(theirs, memory_mb), name="parse-child", daemon=True
    )
    process.start()
    theirs.close()  # the child holds the only other end: EOF when it dies
    return _ParseChild(process, ours, memory_mb)


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


def _receive(child: _ParseChild, deadline: float) -> bytes | None:
    """The child's JSON, b"" when it died without sending, None when the wall clock ran out."""
    global _peak_child_kb
    conn = child.conn
    try:
        if not conn.poll(max(0.0, deadline - time.monotonic())):
            return None
        payload = conn.recv_bytes()
        if not conn.poll(max(0.0, deadline - time.monotonic())):
            return None
        usage = conn.recv_bytes()
    except (EOFError, OSError):
        return b""
    try:
        peak, space = usage.split()
        child.peak_kb, child.space_kb = int(peak), int(space)
    except ValueError:  # not what a parse child sends: do not give it another task
        child.tasks = MAX_TASKS_PER_CHILD
    _peak_child_kb = max(_peak_child_kb, child.peak_kb)
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
