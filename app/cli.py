"""`intake`: the command line. Each domain adds its own sub-commands in `register(parser)`."""

from __future__ import annotations

import argparse
import importlib
import sys
from collections.abc import Callable, Sequence

from app.core.config import get_settings

# Modules with `register(subparsers)`; each adds its commands with set_defaults(func=...).
COMMAND_MODULES: tuple[str, ...] = (
    "app.serve_cli",
    "app.masterdata.cli",
    "app.routing.cli",
    "app.jobs.cli",
    # `intake ingest` runs the pipeline (app.ingest_cli); its --no-wait is app.intake.cli's
    # store-only behaviour. Both cannot register "ingest" (argparse refuses the duplicate).
    "app.ingest_cli",
    "evals.cli",
    "app.auth.cli",
    "app.audit.cli",
    "app.outbox.cli",
    "app.bench.cli",
)

Handler = Callable[[argparse.Namespace], int]


class CliError(Exception):
    """A user-facing error: printed without a traceback, exit code 2 unless given."""

    def __init__(self, message: str, exit_code: int = 2) -> None:
        super().__init__(message)
        self.exit_code = exit_code


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="intake", description=__doc__)
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    for name in COMMAND_MODULES:
        importlib.import_module(name).register(sub)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    handler: Handler = args.func
    try:
        return handler(args)
    except CliError as exc:
        print(f"intake: error: {exc}", file=sys.stderr)
        return exc.exit_code
    except KeyboardInterrupt:
        return 130


def settings_from(args: argparse.Namespace):  # type: ignore[no-untyped-def]
    """Settings, with --database-url applied when the command has it."""
    settings = get_settings()
    url = getattr(args, "database_url", None)
    return settings.model_copy(update={"database_url": url}) if url else settings


if __name__ == "__main__":
    raise SystemExit(main())
