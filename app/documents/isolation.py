"""Parsing in a child process with CPU, memory and wall-clock limits."""

from __future__ import annotations

import signal
import subprocess
import sys
from email import policy
from email.parser import BytesHeaderParser
from pathlib import Path

from pydantic import ValidationError

from app.documents.child import MEMORY_ERROR_EXIT
from app.documents.mail import read_headers
from app.documents.model import ParsedMessage
from app.documents.pdf import DEFAULT_MAX_PAGES

_ROOT = Path(__file__).resolve().parents[2]


def parse_in_subprocess(
    source: bytes | list[Path],
    *,
    cpu_s: int = 60,
    wall_s: float = 120.0,
    memory_mb: int = 2048,
    max_pages: int = DEFAULT_MAX_PAGES,
) -> ParsedMessage:
    """parse_message / parse_files in a limited child; a killed child gives "parse_failure: …"."""
    paths = [] if isinstance(source, bytes) else [str(Path(p).resolve()) for p in source]
    command = [
        sys.executable,
        "-m",
        "app.documents.child",
        f"--cpu-s={cpu_s}",
        f"--memory-mb={memory_mb}",
        f"--max-pages={max_pages}",
        *(["--", *paths] if paths else []),
    ]
    stdin = source if isinstance(source, bytes) else b""
    with subprocess.Popen(
        command,
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        cwd=_ROOT,
        start_new_session=True,
    ) as child:
        try:
            out, err = child.communicate(stdin, timeout=wall_s)
        except subprocess.TimeoutExpired:
            child.kill()
            child.communicate()
            return _failure(source, "timeout")
    if child.returncode == 0:
        try:
            return ParsedMessage.model_validate_json(out)
        except ValidationError:
            return _failure(source, "crash")
    return _failure(source, _cause(child.returncode, err))


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
