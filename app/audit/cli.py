"""`intake audit verify`: check the audit log's hash chain."""

from __future__ import annotations

import argparse
from typing import Any


def register(sub: Any) -> None:
    audit = sub.add_parser("audit", help="the audit log")
    audit_sub = audit.add_subparsers(dest="audit_command", required=True)
    verify = audit_sub.add_parser("verify", help="verify the hash chain (exit 1 when broken)")
    verify.add_argument("--database-url", default=None)
    verify.set_defaults(func=_verify)


def _verify(args: argparse.Namespace) -> int:
    from sqlmodel import func, select

    from app.audit.service import verify
    from app.audit.tables import AuditEvent
    from app.cli import settings_from
    from app.core.db import make_engine, session_scope

    engine = make_engine(settings_from(args).database_url)
    try:
        with session_scope(engine) as session:
            problems = verify(session)
            count = session.exec(select(func.count()).select_from(AuditEvent)).one()
    finally:
        engine.dispose()
    if problems:
        print(f"audit chain BROKEN: {len(problems)} problem(s) in {count} events")
        for problem in problems:
            print(f"  event {problem.seq}: {problem.problem}")
        return 1
    print(f"audit chain intact: {count} events")
    return 0
