"""Child process entry: `python -m app.documents.child` parses stdin or paths under limits."""

from __future__ import annotations

import argparse
import resource
import sys
from pathlib import Path

MEMORY_ERROR_EXIT = 3


def _limit(cpu_s: int, memory_mb: int) -> None:
    """Cap CPU seconds (SIGXCPU, then SIGKILL) and address space for this process."""
    resource.setrlimit(resource.RLIMIT_CPU, (cpu_s, cpu_s + 1))
    if memory_mb > 0:
        limit = memory_mb * 1024 * 1024
        resource.setrlimit(resource.RLIMIT_AS, (limit, limit))


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
        from app.documents.files import parse_files
        from app.documents.mail import parse_message

        if args.paths:
            parsed = parse_files(args.paths, max_pages=args.max_pages)
        else:
            parsed = parse_message(raw, max_pages=args.max_pages)
        sys.stdout.write(parsed.model_dump_json())
        sys.stdout.flush()
    except MemoryError:
        return MEMORY_ERROR_EXIT
    return 0


if __name__ == "__main__":
    sys.exit(main())
