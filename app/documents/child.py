"""The parse child: limits applied to itself, then parse_message / parse_files.

Two entries: `run_parse` is the target of a process forked from the forkserver (the usual
path, see isolation.py), and `python -m app.documents.child` reads stdin or paths (by hand).
"""

from __future__ import annotations

import argparse
import resource
import sys
import warnings
from multiprocessing.connection import Connection
from pathlib import Path

MEMORY_ERROR_EXIT = 3

# This module is preloaded in the forkserver; a child re-running a `python -m` parent's main
# module (multiprocessing does, as __mp_main__) finds it imported there already, harmlessly.
warnings.filterwarnings(
    "ignore", message=r".* found in sys\.modules after import of package", category=RuntimeWarning
)


def _limit(cpu_s: int, memory_mb: int) -> None:
    """Cap CPU seconds (SIGXCPU, then SIGKILL) and address space for this process."""
    used = resource.getrusage(resource.RUSAGE_SELF)
    spent = int(used.ru_utime + used.ru_stime)  # a forked child inherits nothing, but be exact
    resource.setrlimit(resource.RLIMIT_CPU, (spent + cpu_s, spent + cpu_s + 1))
    if memory_mb > 0:
        limit = memory_mb * 1024 * 1024
        resource.setrlimit(resource.RLIMIT_AS, (limit, limit))


def _parse_json(source: bytes | list[str], max_pages: int) -> bytes:
    from app.documents.files import parse_files
    from app.documents.mail import parse_message

    if isinstance(source, bytes):
        parsed = parse_message(source, max_pages=max_pages)
    else:
        parsed = parse_files([Path(p) for p in source], max_pages=max_pages)
    return parsed.model_dump_json().encode()


def run_parse(
    result: Connection, source: bytes | list[str], cpu_s: int, memory_mb: int, max_pages: int
) -> None:
    """Forked-child entry: parse under limits and send the JSON, then the peak RSS in KB."""
    _limit(cpu_s, memory_mb)
    try:
        payload = _parse_json(source, max_pages)
    except MemoryError:
        sys.exit(MEMORY_ERROR_EXIT)
    result.send_bytes(payload)
    result.send_bytes(str(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss).encode())
    result.close()


def main(argv: list[str] | None = None) -> int:
    """Parse the message on stdin (or the given files) and print it as JSON."""
    parser = argparse.ArgumentParser()
    parser.add_argument("--cpu-s", type=int, required=True)
    parser.add_argument("--memory-mb", type=int, required=True)
    parser.add_argument("--max-pages", type=int, required=True)
    parser.add_argument("paths", nargs="*", type=Path)
    args = parser.parse_args(argv)
    raw = b"" if args.paths else sys.stdin.buffer.read()
    _limit(args.cpu_s, args.memory_mb)
    try:
        payload = _parse_json([str(p) for p in args.paths] if args.paths else raw, args.max_pages)
        sys.stdout.buffer.write(payload)
        sys.stdout.flush()
    except MemoryError:
        return MEMORY_ERROR_EXIT
    return 0


if __name__ == "__main__":
    sys.exit(main())
