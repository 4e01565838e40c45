"""The parse child: limits applied to itself, then parse_message / parse_files.

Two entries: `serve` is the target of a long-lived process forked from the forkserver (the
usual path, see isolation.py), and `python -m app.documents.child` reads stdin or paths (by
hand).
"""

from __future__ import annotations

import argparse
import math
import os
import resource
import sys
import warnings
from multiprocessing.connection import Connection
from pathlib import Path
from typing import NamedTuple

MEMORY_ERROR_EXIT = 3

# This module is preloaded in the forkserver; a child re-running a `python -m` parent's main
# module (multiprocessing does, as __mp_main__) finds it imported there already, harmlessly.
warnings.filterwarnings(
    "ignore", message=r".* found in sys\.modules after import of package", category=RuntimeWarning
)


class ParseTask(NamedTuple):
    """One message (raw bytes) or set of files (absolute paths) for a serving child."""

    source: bytes | list[str]
    cpu_s: int
    max_pages: int


def _limit_memory(memory_mb: int) -> None:
    """Cap this process's address space (MemoryError past it); for its whole life."""
    if memory_mb > 0:
        limit = memory_mb * 1024 * 1024
        resource.setrlimit(resource.RLIMIT_AS, (limit, limit))


def _limit_cpu(cpu_s: int) -> None:
    """Allow at least `cpu_s` more CPU seconds from now, then SIGXCPU (which kills).

    Only the soft limit moves: a lowered hard limit could never be raised again for the next
    task. The limit counts whole seconds of the process's total, so the allowance is rounded
    up from what the process has spent so far.
    """
    used = resource.getrusage(resource.RUSAGE_SELF)
    soft = math.ceil(used.ru_utime + used.ru_stime) + cpu_s
    _, hard = resource.getrlimit(resource.RLIMIT_CPU)
    if hard != resource.RLIM_INFINITY:
        soft = min(soft, hard)
    resource.setrlimit(resource.RLIMIT_CPU, (soft, hard))


def _parse_json(source: bytes | list[str], max_pages: int) -> bytes:
    from app.documents.files import parse_files
    from app.documents.mail import parse_message

    if isinstance(source, bytes):
        parsed = parse_message(source, max_pages=max_pages)
    else:
        parsed = parse_files([Path(p) for p in source], max_pages=max_pages)
    return parsed.model_dump_json().encode()


def serve(conn: Connection, memory_mb: int) -> None:
    """Pooled-child entry: cap the address space, then parse tasks until the parent hangs up.

    For each task the child sends the ParsedMessage as JSON, then its peak RSS and its address
    space now, in KB (see `usage`). A MemoryError ends the process (MEMORY_ERROR_EXIT): the
    parent replaces it rather than trust an interpreter that ran out of memory half-way.
    """
    _limit_memory(memory_mb)
    while True:
        try:
            task: ParseTask = conn.recv()
        except (EOFError, OSError):
            return
        _limit_cpu(task.cpu_s)
        try:
            payload = _parse_json(task.source, task.max_pages)
        except MemoryError:
            sys.exit(MEMORY_ERROR_EXIT)
        conn.send_bytes(payload)
        conn.send_bytes(usage())


def usage() -> bytes:
    """b"<peak RSS KB> <address space KB>" of this process (address space 0 when unknown)."""
    peak_kb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    try:
        with open("/proc/self/statm", "rb") as statm:
            pages = int(statm.read().split()[0])
        space_kb = pages * os.sysconf("SC_PAGE_SIZE") // 1024
    except (OSError, ValueError, IndexError):
        space_kb = 0
    return f"{peak_kb} {space_kb}".encode()


def main(argv: list[str] | None = None) -> int:
    """Parse the message on stdin (or the given files) and print it as JSON."""
    parser = argparse.ArgumentParser()
    parser.add_argument("--cpu-s", type=int, required=True)
    parser.add_argument("--memory-mb", type=int, required=True)
    parser.add_argument("--max-pages", type=int, required=True)
    parser.add_argument("paths", nargs="*", type=Path)
    args = parser.parse_args(argv)
    raw = b"" if args.paths else sys.stdin.buffer.read()
    _limit_memory(args.memory_mb)
    _limit_cpu(args.cpu_s)
    try:
        payload = _parse_json([str(p) for p in args.paths] if args.paths else raw, args.max_pages)
        sys.stdout.buffer.write(payload)
        sys.stdout.flush()
    except MemoryError:
        return MEMORY_ERROR_EXIT
    return 0


if __name__ == "__main__":
    sys.exit(main())
