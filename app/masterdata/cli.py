"""`intake masterdata load DIR` and `intake masterdata export DIR`."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

from app.cli import CliError, settings_from
from app.core.db import make_engine, migrations_current, session_scope, upgrade
from app.masterdata import service
from app.masterdata.csvio import MasterDataInvalid

MAX_ERRORS_SHOWN = 50


def register(sub: Any) -> None:
    """Add the `masterdata` command and its sub-commands."""
    md = sub.add_parser("masterdata", help="load or export the master-data CSV files")
    mdsub = md.add_subparsers(dest="masterdata_command", required=True, metavar="COMMAND")
    load = mdsub.add_parser(
        "load", help="replace ALL master data with the CSV files in DIR (one transaction)"
    )
    load.add_argument("directory", type=Path, metavar="DIR")
    load.add_argument("--database-url", default=None)
    load.set_defaults(func=_load)
    export = mdsub.add_parser("export", help="write the master data as CSV files into DIR")
    export.add_argument("directory", type=Path, metavar="DIR")
    export.add_argument("--database-url", default=None)
    export.set_defaults(func=_export)


def _load(args: argparse.Namespace) -> int:
    settings = settings_from(args)
    upgrade(settings.database_url)
    engine = make_engine(settings.database_url)
    try:
        with session_scope(engine) as session:
            summary = service.load_directory(
                session, args.directory, base_currency=settings.base_currency
            )
    except MasterDataInvalid as exc:
        raise CliError(_describe(exc)) from exc
    finally:
        engine.dispose()
    print(
        f"loaded master data version {summary.version} from {args.directory}: "
        + _counts(summary.counts)
    )
    return 0


def _export(args: argparse.Namespace) -> int:
    settings = settings_from(args)
    if args.directory.exists() and not args.directory.is_dir():
        raise CliError(f"{args.directory} is not a directory")
    engine = make_engine(settings.database_url)
    try:
        if not migrations_current(engine):
            raise CliError("the database schema is not current; run `intake db upgrade`")
        with session_scope(engine) as session:
            counts = service.export_directory(session, args.directory)
    finally:
        engine.dispose()
    print(f"exported master data to {args.directory}: {_counts(counts)}")
    return 0


def _describe(exc: MasterDataInvalid) -> str:
    lines = [str(err) for err in exc.errors[:MAX_ERRORS_SHOWN]]
    if len(exc.errors) > MAX_ERRORS_SHOWN:
        lines.append(f"... and {len(exc.errors) - MAX_ERRORS_SHOWN} more")
    return f"{exc.message}\n  " + "\n  ".join(lines)


def _counts(counts: dict[str, int]) -> str:
    return ", ".join(f"{n} {name.removesuffix('.csv')}" for name, n in counts.items() if n)
