"""`python -m tests.security.crash_worker NODE[:after] DATABASE_URL`: `intake worker` that
kills itself with SIGKILL on entering graph node NODE (or right after it returns, before
LangGraph saves anything), with the fake extractor of the graph tests so the order is clean.

Used by test_crash_recovery.py: nothing is flushed, no finally block runs, exactly as when the
machine loses power or the OOM killer picks the worker.
"""

from __future__ import annotations

import os
import signal
import sys
from collections.abc import Callable
from typing import Any

import graphs.tracing

KILL_ENV = "INTAKE_TEST_KILL_AT"


def _die() -> None:
    os.kill(os.getpid(), signal.SIGKILL)


def install(kill_at: str) -> None:
    """Make every graph built from now on die at `kill_at` ("parse", "commit:after", ...)."""
    node, _, when = kill_at.partition(":")
    original = graphs.tracing.traced

    def traced(name: str, fn: Callable[..., Any]) -> Callable[..., Any]:
        wrapped = original(name, fn)
        if name != node:
            return wrapped

        def dying(*args: Any, **kwargs: Any) -> Any:
            if when != "after":
                _die()
            result = wrapped(*args, **kwargs)
            _die()
            return result

        dying.__wrapped__ = fn  # type: ignore[attr-defined]
        return dying

    graphs.tracing.traced = traced  # before graphs.graph imports it


def main(argv: list[str]) -> int:
    kill_at, database_url = argv
    install(kill_at)
    import app.pipeline
    from app.cli import main as cli_main
    from tests.graphs.test_graph import CLEAN, FakeExtractor

    app.pipeline.build_extractor = lambda settings, provider=None: FakeExtractor(CLEAN)  # type: ignore[assignment]
    return cli_main(["worker", "--database-url", database_url, "--concurrency", "1"])


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
