"""`intake ingest FILE...`: store .eml files as inbound messages (source "cli")."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any


def register(sub: Any) -> None:
    ingest = sub.add_parser("ingest", help="store .eml files as inbound messages for processing")
    ingest.add_argument("files", nargs="+", type=Path, metavar="FILE")
    ingest.add_argument("--database-url", default=None)
    ingest.set_defaults(func=_ingest)


def _ingest(args: argparse.Namespace) -> int:
    from app.cli import CliError, settings_from
    from app.core.db import make_engine, session_scope
    from app.intake.service import store_inbound
    from app.intake.tables import MessageSource

    settings = settings_from(args)
    missing = [str(f) for f in args.files if not f.is_file()]
    if missing:
        raise CliError(f"not a file: {', '.join(missing)}")
    engine = make_engine(settings.database_url)
    try:
        for path in args.files:
            with session_scope(engine) as session:
                message, duplicate = store_inbound(
                    session, raw=path.read_bytes(), source=MessageSource.CLI
                )
            print(f"{path}\t{message.id}\t{'duplicate' if duplicate else 'stored'}")
    finally:
        engine.dispose()
    return 0
