"""`intake outbox relay`: deliver pending outbox effects now (the worker does it periodically)."""

from __future__ import annotations

import argparse
from typing import Any


def register(sub: Any) -> None:
    outbox = sub.add_parser("outbox", help="side effects waiting for delivery")
    outbox_sub = outbox.add_subparsers(dest="outbox_command", required=True)
    relay = outbox_sub.add_parser("relay", help="deliver pending outbox rows")
    relay.add_argument("--limit", type=int, default=1000)
    relay.add_argument("--database-url", default=None)
    relay.set_defaults(func=_relay)


def _relay(args: argparse.Namespace) -> int:
    from app.cli import settings_from
    from app.core.db import make_engine
    from app.outbox.relay import relay_pending

    engine = make_engine(settings_from(args).database_url)
    try:
        report = relay_pending(engine, limit=args.limit)
    finally:
        engine.dispose()
    for key in report.delivered:
        print(f"delivered\t{key}")
    for key in report.failed:
        print(f"failed\t{key}")
    print(f"{len(report.delivered)} delivered, {len(report.failed)} failed")
    return 1 if report.failed else 0
